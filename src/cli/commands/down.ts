import { mapSettled } from "../../apply/concurrency.ts";
import {
  type ClaimRemoval,
  claimVolumes,
  type DownResult,
  downPod,
  removeClaims,
} from "../../apply/down.ts";
import { removeKplayNetwork } from "../../apply/networks.ts";
import { ownedBy } from "../../apply/play.ts";
import { removeKplaySecret } from "../../apply/secrets.ts";
import { networkName } from "../../graph/services.ts";
import { objectId } from "../../plan/index.ts";
import {
  LABEL_GENERATE_NAME,
  LABEL_MANAGED,
  LABEL_NAMESPACE,
  LABEL_OWNER,
} from "../../plan/labels.ts";
import type { ObjectPlan } from "../../plan/types.ts";
import { listPods } from "../../podman/objects.ts";
import { describeEndpoint } from "../../transport/types.ts";
import { connect } from "../connect.ts";
import { type EndpointLock, lockForCommand } from "../endpoint-lock.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { type OutputFormat, renderData } from "../render.ts";

export interface DownFlags {
  /** The namespace of objects that name none (`-n`). */
  readonly namespace?: string;
  /** Read the sub-folders of folder arguments too (`-R`). */
  readonly recursive?: boolean;
  readonly url?: string;
  /** A Podman connection name (`--connection`). */
  readonly connection?: string;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly output: OutputFormat;
  readonly debug: boolean;
  /** Also remove the volumes kplay created for claims (`--volumes`). */
  readonly volumes?: boolean;
}

/** `kplay down FILE...`: stop and remove what the files made, pods first, all at once. */
export async function runDown(
  io: CliIo,
  files: readonly string[],
  flags: DownFlags,
): Promise<number> {
  const loaded = await loadForCommand(io, files, {
    strict: flags.strict,
    recursive: flags.recursive === true,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
  if (!loaded.ok) return EXIT_USAGE;
  const { state } = loaded;
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  let lock: EndpointLock | undefined;
  try {
    lock = await lockForCommand(
      io,
      describeEndpoint(client.transport.endpoint),
      "down",
      flags.quiet,
    );
    // A workload's pods are found by their owner label (scaled-away and retried ones too); a
    // standalone Pod by its name.
    const workloads = state.objects.filter((o) => o.rollout.kind !== "pod");
    const all = workloads.length > 0 ? await listPods(client, `${LABEL_MANAGED}=true`) : [];
    const names = [
      ...new Set([
        ...state.objects
          .filter((o) => o.rollout.kind === "pod")
          .flatMap((o) => o.pods.map((p) => p.doc.name)),
        ...workloads.flatMap((o) =>
          ownedBy(all, { object: objectId(o.ref) } as ObjectPlan).map((p) => p.Name),
        ),
        // An object named from generateName has a fresh name each play: all of them go.
        ...workloads.flatMap((o) => {
          const prefix = o.pods[0]?.generateName ?? o.template?.(0, 0).generateName;
          if (prefix === undefined) return [];
          const kind = o.ref.kind.toLowerCase();
          return all
            .filter(
              (p) =>
                p.Labels?.[LABEL_GENERATE_NAME] === prefix &&
                (p.Labels?.[LABEL_OWNER] ?? "").startsWith(`${kind}/`) &&
                (p.Labels?.[LABEL_NAMESPACE] ?? "default") === o.ref.namespace,
            )
            .map((p) => p.Name);
        }),
      ]),
    ];
    // Pods stop concurrently so a slow grace period in one does not hold up the others.
    const results = await mapSettled(names, Math.max(1, names.length), (n) => downPod(client, n));
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
    // The Podman secrets of the files' Secrets go once their pods are gone.
    const secrets: string[] = [];
    for (const s of state.secrets) {
      try {
        if (await removeKplaySecret(client, s.name)) secrets.push(s.name);
      } catch (e) {
        const f = describeFailure(e, flags.debug);
        io.stderr(f.text);
        code = Math.max(code, f.code);
      }
    }
    // The namespaces' networks go once no pod uses them (another file's may still).
    const networks: string[] = [];
    const namespaces = new Set([
      ...state.networks.map((n) => n.namespace),
      ...state.objects.map((o) => o.ref.namespace),
    ]);
    for (const namespace of namespaces) {
      try {
        if (await removeKplayNetwork(client, networkName(namespace)))
          networks.push(networkName(namespace));
      } catch (e) {
        const f = describeFailure(e, flags.debug);
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
        const known = new Set(claims.map((c) => c.name));
        const more = await claimVolumes(
          client,
          state.claims.map((c) => c.name).filter((n) => !known.has(n)),
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
        renderData(
          { pods: done, secrets, networks, ...(flags.volumes ? { claims: removals } : {}) },
          flags.output,
        ),
      );
    } else if (!flags.quiet) {
      for (const d of done) io.stdout(podLine(d));
      const missing = state.objects.filter(
        (o) =>
          o.rollout.kind !== "pod" &&
          !done.some((d) =>
            ownedBy(all, { object: objectId(o.ref) } as ObjectPlan).some((p) => p.Name === d.name),
          ),
      );
      for (const o of missing) {
        // A generated name is this run's own: say what the file's object is called.
        const prefix = o.pods[0]?.generateName ?? o.template?.(0, 0).generateName;
        const generated = prefix !== undefined;
        if (generated && done.some((d) => d.name.startsWith(prefix))) continue;
        const name = generated ? `${prefix}* (generateName)` : o.ref.name;
        io.stdout(`${o.ref.kind.toLowerCase()}/${name}: no pods found\n`);
      }
      for (const s of secrets) io.stdout(`secret/${s} removed\n`);
      for (const n of networks) io.stdout(`network/${n} removed\n`);
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
    lock?.release();
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
