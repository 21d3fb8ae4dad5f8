import { mapSettled } from "../../apply/concurrency.ts";
import { playPod } from "../../apply/converge.ts";
import type { PlayedPod } from "../../apply/execute.ts";
import { nodeHostFs } from "../../apply/hostpath.ts";
import type { ImageFacts } from "../../apply/images.ts";
import { waitForPod } from "../../apply/wait.ts";
import { needsNodeFacts, needsPortFloor, planPods } from "../../plan/index.ts";
import { readHostInfo } from "../../podman/info.ts";
import { connect } from "../connect.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { podmanNodeFacts, unprivilegedPortStart } from "../node-facts.ts";
import { type OutputFormat, renderData, renderTable, shortId } from "../render.ts";

export interface PlayFlags {
  /** Read the sub-folders of folder arguments too (`-R`). */
  readonly recursive?: boolean;
  readonly url?: string;
  readonly strict: boolean;
  readonly start: boolean;
  readonly replace: boolean;
  readonly keepOnError: boolean;
  readonly infraImage?: string;
  /** Wait this long for every container to run and be ready. */
  readonly waitMs?: number;
  readonly quiet: boolean;
  readonly output: OutputFormat;
  readonly debug: boolean;
}

/** Pods played at once; each is its own transaction. */
const POD_CONCURRENCY = 4;

/** `kplay play FILE...`: validate, plan, then create and start every pod. */
export async function runPlay(
  io: CliIo,
  files: readonly string[],
  flags: PlayFlags,
): Promise<number> {
  const loaded = await loadForCommand(io, files, flags.strict, {
    recursive: flags.recursive === true,
  });
  if (!loaded.ok) return EXIT_USAGE;
  const { client, apiVersion } = await connect(
    flags.url,
    io.env,
    flags.debug ? io.stderr : undefined,
  );
  const progress = io.stderrIsTTY && !flags.quiet;
  try {
    // GET /info costs ~0.3 s: asked only when a pod reads host facts or a low host port.
    const pods = loaded.pods.map((d) => d.pod);
    const endpoint = client.transport.endpoint;
    const wantsNode = needsNodeFacts(pods);
    const info = wantsNode || needsPortFloor(pods) ? await readHostInfo(client) : undefined;
    const node = info && wantsNode ? podmanNodeFacts(info, endpoint) : undefined;
    const portStart = info ? unprivilegedPortStart(info, endpoint) : undefined;
    const plan = planPods(loaded.pods, {
      ...(node ? { node } : {}),
      start: flags.start,
      ...(flags.infraImage ? { infraImage: flags.infraImage } : {}),
    });
    const deadline = Date.now() + (flags.waitMs ?? 0);
    // Each image is inspected once for the whole play, whatever number of pods use it.
    const images = new Map<string, ImageFacts>();
    const results = await mapSettled(plan.pods, POD_CONCURRENCY, async (p) => {
      const played = await playPod(client, p, {
        hostFs: nodeHostFs,
        images,
        apiVersion,
        ...(portStart === undefined ? {} : { unprivilegedPortStart: portStart }),
        replace: flags.replace,
        keepOnError: flags.keepOnError,
        signal: io.signal,
        onEvent: (e) => {
          if (e.type === "pulling" && progress) io.stderr(`Pulling ${e.image}…\n`);
        },
      });
      if (flags.waitMs !== undefined && flags.start)
        await waitForPod(client, p, deadline, io.signal);
      return played;
    });
    const played = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    let code = EXIT_OK;
    for (const r of results) {
      if (r.status === "rejected") {
        const failure = describeFailure(r.reason, flags.debug);
        io.stderr(failure.text);
        code = Math.max(code, failure.code);
      }
    }
    for (const p of played) for (const w of p.warnings) io.stderr(`kplay: warning: ${w}\n`);
    printPlayed(io, played, flags, results.length);
    return code;
  } finally {
    await client.transport.close();
  }
}

function printPlayed(
  io: CliIo,
  played: readonly PlayedPod[],
  flags: PlayFlags,
  total: number,
): void {
  if (flags.output !== "table") {
    io.stdout(renderData({ pods: played }, flags.output));
    return;
  }
  if (flags.quiet || played.length === 0) return;
  const rows: string[][] = [];
  for (const p of played) {
    rows.push([
      `pod/${p.name}`,
      p.name,
      shortId(p.id),
      p.reason ? `${p.action} (${p.reason})` : p.action,
    ]);
    if (p.infraId) rows.push(["  infra", "", shortId(p.infraId), ""]);
    for (const c of p.containers) {
      rows.push([`  ${c.init ? "init " : ""}${c.container}`, c.name, shortId(c.id), c.action]);
    }
  }
  io.stdout(renderTable(["OBJECT", "NAME", "ID", "ACTION"], rows));
  if (played.length < total) io.stdout(`${played.length} of ${total} pods played\n`);
}
