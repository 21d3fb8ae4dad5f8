import { podmanName } from "../../graph/names.ts";
import {
  kplayContainer,
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_SLOT,
} from "../../plan/labels.ts";
import type { PodmanClient } from "../../podman/client.ts";
import { followTail } from "../../podman/log-tail.ts";
import { decodeLogStream } from "../../podman/logs.ts";
import { inspectPod, listPodContainers, listPods } from "../../podman/objects.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.ts";

export interface LogsFlags {
  readonly url?: string;
  /** A Podman connection name (`--connection`). */
  readonly connection?: string;
  /** The namespace of a `kind/name` target (default "default"). */
  readonly namespace?: string;
  readonly container?: string;
  readonly follow: boolean;
  readonly tail?: number;
  readonly debug: boolean;
}

/** One container of a pod as `logs` names it: its Kubernetes name and Podman's ID. */
export interface PodMember {
  readonly container: string;
  readonly id: string;
  readonly init: boolean;
}

/**
 * `kplay logs POD [-c CONTAINER] [-f] [--tail N]`: a container's stdout to stdout and its
 * stderr to stderr, from libpod's multiplexed logs stream. `-f` ends cleanly (exit 0) when
 * the command is interrupted.
 */
export async function runLogs(io: CliIo, arg: string, flags: LogsFlags): Promise<number> {
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  try {
    const target = await resolveTarget(client, arg, flags.namespace ?? "default");
    if ("error" in target) {
      io.stderr(`kplay: ${target.error}\n`);
      return target.code;
    }
    if (target.note) io.stderr(`${target.note}\n`);
    const pod = target.pod;
    const members = await listMembers(client, pod);
    if (!members) {
      io.stderr(`kplay: Pod "${pod}" not found\n`);
      return EXIT_FAILURE;
    }
    const picked = pickContainer(pod, members, flags.container);
    if ("error" in picked) {
      io.stderr(`kplay: ${picked.error}\n`);
      return picked.code;
    }
    await copyLogs(client, io, picked.member.id, flags);
    return EXIT_OK;
  } catch (e) {
    // Interrupting -f aborts the request or the read in flight: that is the normal way out.
    if (flags.follow && io.signal.aborted) return EXIT_OK;
    throw e;
  } finally {
    await client.transport.close();
  }
}

/** Workload kinds as `logs` accepts them (kubectl's names and short names). */
const KINDS: Readonly<Record<string, string>> = {
  pod: "pod",
  pods: "pod",
  po: "pod",
  deployment: "deployment",
  deployments: "deployment",
  deploy: "deployment",
  statefulset: "statefulset",
  statefulsets: "statefulset",
  sts: "statefulset",
  daemonset: "daemonset",
  daemonsets: "daemonset",
  ds: "daemonset",
  replicaset: "replicaset",
  replicasets: "replicaset",
  rs: "replicaset",
  replicationcontroller: "replicationcontroller",
  replicationcontrollers: "replicationcontroller",
  rc: "replicationcontroller",
  job: "job",
  jobs: "job",
};

/**
 * The Podman pod a `logs` argument means: a pod's Podman name as `ps` shows it, or
 * `kind/name` as kubectl takes it; a workload with several pods gives its first (lowest
 * slot, a running one before an ended one), and says so, as kubectl does.
 */
export async function resolveTarget(
  client: PodmanClient,
  arg: string,
  namespace: string,
): Promise<{ pod: string; note?: string } | { error: string; code: number }> {
  const slash = arg.indexOf("/");
  if (slash < 0) return { pod: arg };
  const kindWord = arg.slice(0, slash);
  const name = arg.slice(slash + 1);
  const kind = Object.hasOwn(KINDS, kindWord.toLowerCase())
    ? KINDS[kindWord.toLowerCase()]
    : undefined;
  if (!kind || name === "" || name.includes("/")) {
    return {
      error: `"${arg}" is not a pod or a workload: write POD, or KIND/NAME with KIND one of pod, deployment, statefulset, daemonset, replicaset, replicationcontroller, job`,
      code: EXIT_USAGE,
    };
  }
  if (kind === "pod") return { pod: podmanName(namespace, name) };
  const pods = await listPods(
    client,
    `${LABEL_MANAGED}=true`,
    `${LABEL_OWNER}=${kind}/${name}`,
    `${LABEL_NAMESPACE}=${namespace}`,
  );
  const where = namespace === "default" ? "" : ` in namespace "${namespace}"`;
  if (pods.length === 0) return { error: `No pods of ${kind}/${name}${where}`, code: EXIT_FAILURE };
  const ranked = [...pods].sort((a, b) => {
    const up = (p: typeof a) => (p.Status === "Running" ? 0 : 1);
    const slot = (p: typeof a) => Number(p.Labels?.[LABEL_SLOT] ?? 0);
    return up(a) - up(b) || slot(a) - slot(b) || (a.Name < b.Name ? -1 : 1);
  });
  const first = ranked[0]?.Name ?? "";
  return pods.length > 1
    ? { pod: first, note: `Found ${pods.length} pods, using pod/${first}` }
    : { pod: first };
}

/** Lists a pod's containers, the infra one left out; undefined when the pod does not exist. */
export async function listMembers(
  client: PodmanClient,
  pod: string,
): Promise<PodMember[] | undefined> {
  const inspected = await inspectPod(client, pod);
  if (!inspected) return undefined;
  const listed = await listPodContainers(client, inspected.Id);
  const prefix = `${inspected.Name}-`;
  return listed
    .filter((c) => c.Id !== inspected.InfraContainerID)
    .map((c) => {
      // A pod kplay did not create has no labels: Podman's names are `<pod>-<container>`.
      const name = c.Names[0] ?? c.Id;
      const container =
        kplayContainer(c) ?? (name.startsWith(prefix) ? name.slice(prefix.length) : name);
      return { container, id: c.Id, init: c.Labels?.[LABEL_INIT] === "true" };
    })
    .sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0));
}

/** The container to read, or why there is none and the exit code that goes with it. */
export type Picked =
  | { readonly member: PodMember }
  | { readonly error: string; readonly code: number };

/**
 * Picks the container `-c` names (app or init), or else the pod's only app container.
 * Several app containers and no `-c` is a usage error worded like kubectl's.
 */
export function pickContainer(
  pod: string,
  members: readonly PodMember[],
  wanted: string | undefined,
): Picked {
  const list = (names: readonly string[]) => `[${names.join(" ")}]`;
  const apps = members.filter((m) => !m.init);
  const inits = members.filter((m) => m.init).map((m) => m.container);
  if (wanted !== undefined) {
    const member = members.find((m) => m.container === wanted);
    if (member) return { member };
    const all = members.map((m) => m.container);
    const choose = all.length > 0 ? `, choose one of: ${list(all)}` : "";
    return {
      error: `Container "${wanted}" not found in pod "${pod}"${choose}`,
      code: EXIT_FAILURE,
    };
  }
  const [only, ...others] = apps;
  if (only && others.length === 0) return { member: only };
  if (!only) {
    const initPart = inits.length > 0 ? `; its init containers: ${list(inits)}` : "";
    return { error: `Pod "${pod}" has no app containers${initPart}`, code: EXIT_FAILURE };
  }
  const initPart = inits.length > 0 ? ` or one of the init containers: ${list(inits)}` : "";
  return {
    error: `A container name must be specified for pod ${pod}, choose one of: ${list(apps.map((m) => m.container))}${initPart}`,
    code: EXIT_USAGE,
  };
}

/** Streams one container's logs, each frame to the output it came from. */
async function copyLogs(
  client: PodmanClient,
  io: CliIo,
  id: string,
  flags: LogsFlags,
): Promise<void> {
  const followed =
    flags.follow && flags.tail !== undefined && flags.tail > 0
      ? await followTail(client, id, flags.tail, io.signal)
      : undefined;
  const frames = followed ?? decodeLogStream(await plainLogs(client, io, id, flags));
  // One decoder per stream: a UTF-8 character may be split across two frames of the same stream.
  const out = new TextDecoder();
  const err = new TextDecoder();
  for await (const frame of frames) {
    if (frame.stream === "stderr") io.stderr(err.decode(frame.data, { stream: true }));
    else io.stdout(out.decode(frame.data, { stream: true }));
  }
  const restOut = out.decode();
  const restErr = err.decode();
  if (restOut) io.stdout(restOut);
  if (restErr) io.stderr(restErr);
}

/** Podman's own logs request: the whole log or its tail, followed or not. */
function plainLogs(
  client: PodmanClient,
  io: CliIo,
  id: string,
  flags: LogsFlags,
): Promise<ReadableStream<Uint8Array>> {
  const query: Record<string, string> = {
    stdout: "true",
    stderr: "true",
    follow: String(flags.follow),
  };
  if (flags.tail !== undefined) query.tail = String(flags.tail);
  return client.stream(
    { method: "GET", path: `/containers/${encodeURIComponent(id)}/logs`, query },
    flags.follow ? io.signal : undefined,
  );
}
