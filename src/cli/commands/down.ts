import { mapSettled } from "../../apply/concurrency.ts";
import {
  type ClaimRemoval,
  claimVolumes,
  type DownResult,
  downPod,
  removeClaims,
} from "../../apply/down.ts";
import { connect } from "../connect.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { type OutputFormat, renderData } from "../render.ts";

export interface DownFlags {
  /** Read the sub-folders of folder arguments too (`-R`). */
  readonly recursive?: boolean;
  readonly url?: string;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly output: OutputFormat;
  readonly debug: boolean;
  /** Also remove the volumes kplay created for claims (`--volumes`). */
  readonly volumes?: boolean;
}

/** `kplay down FILE...`: stop and remove the pods the files describe, all at once. */
export async function runDown(
  io: CliIo,
  files: readonly string[],
  flags: DownFlags,
): Promise<number> {
  const loaded = await loadForCommand(io, files, flags.strict, {
    recursive: flags.recursive === true,
  });
  if (!loaded.ok) return EXIT_USAGE;
  const names = [...new Set(loaded.pods.map((d) => d.pod.metadata.name))];
  const { client } = await connect(flags.url, io.env, flags.debug ? io.stderr : undefined);
  try {
    // Pods stop concurrently so a slow grace period in one does not hold up the others.
    const results = await mapSettled(names, names.length, (n) => downPod(client, n));
    let code = EXIT_OK;
    const done: DownResult[] = [];
    for (const r of results) {
      if (r.status === "fulfilled") {
        done.push(r.value);
      } else {
        const f = describeFailure(r.reason, flags.debug);
        io.stderr(f.text);
        code = Math.max(code, f.code);
      }
    }
    // Claims go only after every pod is down: two pods of the input may share one. Those
    // the files name count too, so `down --volumes` after a plain `down` still finds them.
    let claims = uniqueClaims(done);
    let removals: ClaimRemoval[] = [];
    if (flags.volumes) {
      try {
        const named = loaded.pods.flatMap((d) =>
          (d.pod.spec.volumes ?? []).flatMap((v) =>
            v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [],
          ),
        );
        const known = new Set(claims.map((c) => c.name));
        const more = await claimVolumes(
          client,
          named.filter((n) => !known.has(n)),
        );
        claims = [...claims, ...more].sort((a, b) => (a.name < b.name ? -1 : 1));
        removals = await removeClaims(client, claims);
      } catch (e) {
        const f = describeFailure(e, flags.debug);
        io.stderr(f.text);
        code = Math.max(code, f.code);
      }
    }
    if (flags.output !== "table") {
      io.stdout(
        renderData({ pods: done, ...(flags.volumes ? { claims: removals } : {}) }, flags.output),
      );
    } else if (!flags.quiet) {
      for (const d of done) io.stdout(podLine(d));
      if (flags.volumes) {
        for (const r of removals) {
          io.stdout(
            r.status === "removed"
              ? `volume/${r.name} removed\n`
              : `volume/${r.name} kept: ${r.reason}\n`,
          );
        }
      } else if (claims.length > 0) {
        const list = claims.map((c) => c.name).join(", ");
        io.stdout(
          `volumes of claims kept: ${list} (down --volumes removes the ones kplay created)\n`,
        );
      }
    }
    return code;
  } finally {
    await client.transport.close();
  }
}

function podLine(d: DownResult): string {
  if (d.status !== "removed") return `pod/${d.name} not found\n`;
  const vols = d.volumes.length
    ? ` (and volume${d.volumes.length > 1 ? "s" : ""} ${d.volumes.join(", ")})`
    : "";
  return `pod/${d.name} removed${vols}\n`;
}

function uniqueClaims(done: readonly DownResult[]): DownResult["claims"] {
  const byName = new Map(done.flatMap((d) => d.claims).map((c) => [c.name, c]));
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
