import { listKplayPods, type PodStatus } from "../../apply/status.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_OK, UsageError } from "../io.ts";
import { type OutputFormat, renderAge, renderData, renderTable } from "../render.ts";

/** `kplay ps`: the pods kplay created, with owner, status, ready/total, ports and age. */
export async function runPs(
  io: CliIo,
  flags: {
    url?: string;
    connection?: string;
    output: OutputFormat;
    debug?: boolean;
    what?: string;
  },
  now: number,
): Promise<number> {
  const kinds = flags.what === undefined ? undefined : workloadKinds(flags.what);
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  try {
    const pods = await listKplayPods(client);
    if (kinds) return printWorkloads(io, pods, kinds, flags.output, now);
    if (flags.output !== "table") {
      io.stdout(renderData({ pods }, flags.output));
      return EXIT_OK;
    }
    if (pods.length === 0) {
      io.stdout("No pods created by kplay\n");
      return EXIT_OK;
    }
    // A standalone pod is its own owner: shown as `-`, as kubectl shows no controller.
    const rows = pods.map((p) => [
      p.name,
      p.owner.startsWith("pod/") ? "-" : p.owner,
      p.status,
      `${p.ready}/${p.total}`,
      String(p.restarts),
      p.ports.join(",") || "-",
      renderAge(p.created, now),
    ]);
    io.stdout(renderTable(["NAME", "OWNER", "STATUS", "READY", "RESTARTS", "PORTS", "AGE"], rows));
    return EXIT_OK;
  } finally {
    await client.transport.close();
  }
}

/** `ps` arguments and the owner kinds (as labels spell them) each one lists. */
const WHAT: Readonly<Record<string, readonly string[]>> = {
  workloads: [
    "deployment",
    "replicaset",
    "replicationcontroller",
    "statefulset",
    "daemonset",
    "job",
  ],
  deployments: ["deployment"],
  deploy: ["deployment"],
  replicasets: ["replicaset"],
  rs: ["replicaset"],
  replicationcontrollers: ["replicationcontroller"],
  rc: ["replicationcontroller"],
  statefulsets: ["statefulset"],
  sts: ["statefulset"],
  daemonsets: ["daemonset"],
  ds: ["daemonset"],
  jobs: ["job"],
};

function workloadKinds(what: string): readonly string[] {
  const key = what.toLowerCase();
  const kinds = Object.hasOwn(WHAT, key) ? WHAT[key] : undefined;
  if (!kinds)
    throw new UsageError(
      `ps lists pods, or the owners of one kind: "${what}" is none of ${Object.keys(WHAT).join(", ")}`,
    );
  return kinds;
}

/** One row per workload, as `kubectl get deploy,sts,jobs` shows them. */
export interface WorkloadStatus {
  readonly owner: string;
  readonly namespace: string;
  /** Pods whose containers all run and are ready, of all its pods. */
  readonly ready: number;
  readonly pods: number;
  /** Job pods that completed, and that failed. */
  readonly completed: number;
  readonly failed: number;
  readonly created: string;
}

export function groupWorkloads(
  pods: readonly PodStatus[],
  kinds: readonly string[],
): WorkloadStatus[] {
  const groups = new Map<string, PodStatus[]>();
  for (const p of pods) {
    const kind = p.owner.split("/")[0] ?? "";
    if (!kinds.includes(kind)) continue;
    const key = `${p.namespace}\u0000${p.owner}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()]
    .map((list) => ({
      owner: list[0]?.owner ?? "",
      namespace: list[0]?.namespace ?? "default",
      ready: list.filter((p) => p.status === "Running" && p.total > 0 && p.ready === p.total)
        .length,
      pods: list.length,
      completed: list.filter((p) => p.status === "Completed").length,
      failed: list.filter((p) => p.status === "Error").length,
      created: list.map((p) => p.created).sort()[0] ?? "",
    }))
    .sort((a, b) =>
      a.namespace === b.namespace
        ? a.owner < b.owner
          ? -1
          : 1
        : a.namespace < b.namespace
          ? -1
          : 1,
    );
}

function printWorkloads(
  io: CliIo,
  pods: readonly PodStatus[],
  kinds: readonly string[],
  output: OutputFormat,
  now: number,
): number {
  const workloads = groupWorkloads(pods, kinds);
  if (output !== "table") {
    io.stdout(renderData({ workloads }, output));
    return EXIT_OK;
  }
  if (workloads.length === 0) {
    io.stdout("No workloads created by kplay\n");
    return EXIT_OK;
  }
  const rows = workloads.map((w) => [
    w.owner,
    w.namespace,
    `${w.ready}/${w.pods}`,
    w.owner.startsWith("job/") ? `${w.completed} completed, ${w.failed} failed` : "-",
    renderAge(w.created, now),
  ]);
  io.stdout(renderTable(["OWNER", "NAMESPACE", "READY", "COMPLETIONS", "AGE"], rows));
  return EXIT_OK;
}
