import { restartPod } from "../../apply/restart.ts";
import { podmanName } from "../../graph/names.ts";
import { LABEL_MANAGED, LABEL_NAMESPACE, LABEL_OWNER, LABEL_SLOT } from "../../plan/labels.ts";
import type { PodListEntry } from "../../podman/objects.ts";
import { listPods } from "../../podman/objects.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, interrupted, UsageError } from "../io.ts";
import { KINDS as LOG_KINDS } from "./logs.ts";

export interface RestartFlags {
  readonly url?: string;
  readonly connection?: string;
  readonly namespace?: string;
  /** How long each pod may take to run and be ready again (ms). */
  readonly timeoutMs: number;
  readonly debug: boolean;
}

/** The kinds `restart` takes: those of `logs` but Jobs and ReplicationControllers. */
const KINDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LOG_KINDS).filter(
    ([, kind]) => kind !== "job" && kind !== "replicationcontroller",
  ),
);

/** `deployment/web` as kind and name; a UsageError for anything else. */
export function parseRestartTarget(arg: string): { kind: string; name: string } {
  const [word = "", name = "", ...rest] = arg.split("/");
  const kind = Object.hasOwn(KINDS, word.toLowerCase()) ? KINDS[word.toLowerCase()] : undefined;
  if (!kind || name === "" || rest.length > 0)
    throw new UsageError(
      `"${arg}" is not something kplay restarts: write KIND/NAME with KIND one of deployment, statefulset, daemonset, replicaset, pod`,
    );
  return { kind, name };
}

/**
 * `kplay restart KIND/NAME [-n NS]`: pod/NAME restarts that pod's containers in place; a
 * workload's pods are restarted so one at a time (a StatefulSet's from the highest ordinal
 * down, others from the lowest slot up), each running and ready before the next. One line
 * per pod restarted.
 */
export async function runRestart(io: CliIo, arg: string, flags: RestartFlags): Promise<number> {
  const { kind, name } = parseRestartTarget(arg);
  const namespace = flags.namespace ?? "default";
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  try {
    const where = namespace === "default" ? "" : ` in namespace "${namespace}"`;
    let pods: string[];
    if (kind === "pod") {
      pods = [podmanName(namespace, name)];
    } else {
      const listed = await listPods(
        client,
        `${LABEL_MANAGED}=true`,
        `${LABEL_OWNER}=${kind}/${name}`,
        `${LABEL_NAMESPACE}=${namespace}`,
      );
      if (listed.length === 0) {
        io.stderr(`kplay: No pods of ${kind}/${name}${where}\n`);
        return EXIT_FAILURE;
      }
      pods = rollingOrder(listed, kind === "statefulset").map((p) => p.Name);
    }
    for (const [i, pod] of pods.entries()) {
      if (io.signal.aborted) throw interrupted(io.signal, "restarting");
      try {
        const done = await restartPod(client, pod, Date.now() + flags.timeoutMs, io.signal);
        for (const w of done.warnings) io.stderr(`kplay: warning: ${w}\n`);
        io.stdout(`pod/${pod} restarted\n`);
      } catch (e) {
        if (io.signal.aborted) throw interrupted(io.signal, "restarting");
        const left = pods.slice(i + 1);
        if (left.length > 0 && e instanceof Error)
          e.message += `\n  not restarted: ${left.map((p) => `pod/${p}`).join(", ")}`;
        throw e;
      }
    }
    return EXIT_OK;
  } finally {
    await client.transport.close();
  }
}

/** The order a rolling restart takes: by slot, a StatefulSet's highest ordinal first. */
function rollingOrder(pods: readonly PodListEntry[], descending: boolean): PodListEntry[] {
  const slot = (p: PodListEntry) => Number(p.Labels?.[LABEL_SLOT] ?? 0);
  return [...pods].sort(
    (a, b) => (descending ? slot(b) - slot(a) : slot(a) - slot(b)) || (a.Name < b.Name ? -1 : 1),
  );
}
