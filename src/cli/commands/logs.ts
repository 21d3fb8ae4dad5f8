import { podmanName } from "../../graph/names.ts";
import type { LabelSelector } from "../../manifest/objects.ts";
import { matchesSelector } from "../../manifest/selector.ts";
import {
  kplayContainer,
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_SLOT,
} from "../../plan/labels.ts";
import type { PodmanClient } from "../../podman/client.ts";
import { followTail, formatLogTime, parseLogTime } from "../../podman/log-tail.ts";
import { decodeLogStream } from "../../podman/logs.ts";
import { inspectPod, listPodContainers, listPods } from "../../podman/objects.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.ts";

export interface LogsFlags {
  readonly url?: string;
  /** A Podman connection name (`--connection`). */
  readonly connection?: string;
  /** The namespace of a `kind/name` target or of `-l` (default "default"). */
  readonly namespace?: string;
  readonly container?: string;
  /** `-l`: every pod kplay made in the namespace whose labels match, instead of one. */
  readonly selector?: LabelSelector;
  /** Every container of each pod, init containers first. */
  readonly allContainers?: boolean;
  /** `[pod/NAME/CONTAINER] ` before each line (default: with -l only). */
  readonly prefix?: boolean;
  /** Only lines written in the last this many milliseconds. */
  readonly sinceMs?: number;
  /** Podman's stamp before each line. */
  readonly timestamps?: boolean;
  /** What the container wrote before its current run began. */
  readonly previous?: boolean;
  readonly follow: boolean;
  /** The last N lines of each container; -1 for all of them. */
  readonly tail?: number;
  readonly debug: boolean;
}

/** One container of a pod as `logs` names it: its Kubernetes name and Podman's ID. */
export interface PodMember {
  readonly container: string;
  readonly id: string;
  readonly init: boolean;
}

/** One container whose log is printed, and the prefix of its lines. */
interface Source {
  readonly pod: string;
  readonly member: PodMember;
  readonly prefix: string;
}

/** kubectl's default `--tail` with a selector: the last 10 lines of each container. */
const SELECTOR_TAIL = 10;

/**
 * `kplay logs POD|KIND/NAME|-l SELECTOR [-c CONTAINER|--all-containers] [-f] [--tail N]
 * [--since D] [--timestamps] [--prefix] [-p]`: containers' stdout to stdout and stderr to
 * stderr, from libpod's multiplexed logs stream. Several containers are printed one after
 * the other, or interleaved line by line with -f. `-f` ends cleanly (exit 0) when the
 * command is interrupted.
 */
export async function runLogs(
  io: CliIo,
  arg: string | undefined,
  flags: LogsFlags,
  now: () => number = Date.now,
): Promise<number> {
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  try {
    const namespace = flags.namespace ?? "default";
    const pods = await targetPods(client, arg, flags.selector, namespace);
    if ("error" in pods) {
      io.stderr(`kplay: ${pods.error}\n`);
      return pods.code;
    }
    if (pods.note) io.stderr(`${pods.note}\n`);
    if (pods.pods.length === 0) {
      io.stderr(`No resources found in ${namespace} namespace.\n`);
      return EXIT_OK;
    }
    const prefixed = flags.prefix ?? flags.selector !== undefined;
    const sources: Source[] = [];
    for (const pod of pods.pods) {
      const members = await listMembers(client, pod);
      if (!members) {
        io.stderr(`kplay: Pod "${pod}" not found\n`);
        return EXIT_FAILURE;
      }
      const chosen = chooseContainers(pod, members, flags);
      if ("error" in chosen) {
        io.stderr(`kplay: ${chosen.error}\n`);
        return chosen.code;
      }
      const name = pod.startsWith(`${namespace}_`) ? pod.slice(namespace.length + 1) : pod;
      for (const member of chosen.members)
        sources.push({ pod, member, prefix: prefixed ? `[pod/${name}/${member.container}] ` : "" });
    }
    // -1 is kubectl's "every line", which -l otherwise caps at 10.
    const tail =
      flags.tail === -1 ? undefined : (flags.tail ?? (flags.selector ? SELECTOR_TAIL : undefined));
    const query = logQuery(flags, tail, now());
    if (flags.previous) {
      for (const source of sources) {
        const code = await copyPrevious(client, io, source, query);
        if (code !== EXIT_OK) return code;
      }
    } else if (flags.follow && sources.length > 1) {
      await Promise.all(sources.map((s) => copyLogs(client, io, s, query)));
    } else {
      for (const source of sources) await copyLogs(client, io, source, query);
    }
    return EXIT_OK;
  } catch (e) {
    // Interrupting -f aborts the request or the read in flight: that is the normal way out.
    if (flags.follow && io.signal.aborted) return EXIT_OK;
    throw e;
  } finally {
    await client.transport.close();
  }
}

/** The pods whose logs are asked for: `-l`'s matches, or the one the argument names. */
async function targetPods(
  client: PodmanClient,
  arg: string | undefined,
  selector: LabelSelector | undefined,
  namespace: string,
): Promise<{ pods: string[]; note?: string } | { error: string; code: number }> {
  if (selector) {
    const listed = await listPods(
      client,
      `${LABEL_MANAGED}=true`,
      `${LABEL_NAMESPACE}=${namespace}`,
    );
    const pods = listed
      .filter((p) => matchesSelector(selector, p.Labels ?? {}))
      .map((p) => p.Name)
      .sort();
    return { pods };
  }
  const target = await resolveTarget(client, arg ?? "", namespace);
  if ("error" in target) return target;
  return { pods: [target.pod], ...(target.note ? { note: target.note } : {}) };
}

/** `-c`'s container, every one with --all-containers (init first), or the only app one. */
function chooseContainers(
  pod: string,
  members: readonly PodMember[],
  flags: LogsFlags,
): { members: PodMember[] } | { error: string; code: number } {
  if (flags.allContainers)
    return { members: [...members.filter((m) => m.init), ...members.filter((m) => !m.init)] };
  const picked = pickContainer(pod, members, flags.container);
  return "error" in picked ? picked : { members: [picked.member] };
}

/** What every logs request of this run asks Podman, besides the container. */
interface LogQuery {
  readonly follow: boolean;
  readonly tail?: number;
  /** Nanoseconds since the epoch. */
  readonly since?: bigint;
  readonly timestamps: boolean;
}

function logQuery(flags: LogsFlags, tail: number | undefined, now: number): LogQuery {
  return {
    follow: flags.follow && !flags.previous,
    ...(tail !== undefined ? { tail } : {}),
    ...(flags.sinceMs !== undefined ? { since: BigInt(now - flags.sinceMs) * 1_000_000n } : {}),
    timestamps: flags.timestamps === true,
  };
}

/** Workload kinds as `logs` accepts them (kubectl's names and short names). */
export const KINDS: Readonly<Record<string, string>> = {
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
  source: Source,
  query: LogQuery,
  until?: string,
): Promise<number> {
  const id = source.member.id;
  const followed =
    query.follow && query.tail !== undefined && query.tail > 0
      ? await followTail(client, id, query.tail, io.signal, {
          ...(query.since !== undefined ? { since: query.since } : {}),
          timestamps: query.timestamps,
        })
      : undefined;
  const frames = followed ?? decodeLogStream(await plainLogs(client, io, id, query, until));
  const out = lineWriter((t) => io.stdout(t), source.prefix);
  const err = lineWriter((t) => io.stderr(t), source.prefix);
  let bytes = 0;
  for await (const frame of frames) {
    bytes += frame.data.length;
    (frame.stream === "stderr" ? err : out).write(frame.data);
  }
  out.end();
  err.end();
  return bytes;
}

/**
 * `-p`: what the container wrote before its current run began. Podman keeps one log per
 * container across restarts, with no mark between runs, so this is every earlier run, asked
 * with libpod's `until`. The line between runs is taken halfway between the previous run's
 * end (FinishedAt) and the current one's start: StartedAt alone is recorded after the
 * process has begun and may come after its first lines. A container kplay replaced is gone
 * with its log.
 */
async function copyPrevious(
  client: PodmanClient,
  io: CliIo,
  source: Source,
  query: LogQuery,
): Promise<number> {
  const info = await client.call<{
    State?: { StartedAt?: string; FinishedAt?: string; Running?: boolean };
    RestartCount?: number;
  }>({
    method: "GET",
    path: `/containers/${encodeURIComponent(source.member.id)}/json`,
  });
  const started = stampOf(info.State?.StartedAt);
  const finished = stampOf(info.State?.FinishedAt);
  // A running container had an earlier run if one ended before this one began; one that
  // has ended had an earlier run only if its policy restarted it (its own end is FinishedAt).
  const until =
    started === undefined
      ? undefined
      : info.State?.Running
        ? finished !== undefined && finished < started
          ? finished + (started - finished) / 2n
          : undefined
        : (info.RestartCount ?? 0) > 0
          ? started
          : undefined;
  if (until === undefined) {
    io.stderr(
      `kplay: previous terminated container "${source.member.container}" in pod "${source.pod}" not found (it has not restarted; a container that kplay replaced is removed with its log)\n`,
    );
    return EXIT_FAILURE;
  }
  await copyLogs(client, io, source, query, formatLogTime(until));
  return EXIT_OK;
}

/** An inspect time as nanoseconds; undefined for Go's zero time (never happened). */
function stampOf(text: string | undefined): bigint | undefined {
  if (!text || text.startsWith("0001-")) return undefined;
  return parseLogTime(text);
}

/** Podman's own logs request: the whole log or its tail, followed or not. */
function plainLogs(
  client: PodmanClient,
  io: CliIo,
  id: string,
  q: LogQuery,
  until: string | undefined,
): Promise<ReadableStream<Uint8Array>> {
  const query: Record<string, string> = {
    stdout: "true",
    stderr: "true",
    follow: String(q.follow),
  };
  if (q.tail !== undefined) query.tail = String(q.tail);
  if (q.since !== undefined) query.since = formatLogTime(q.since);
  if (q.timestamps) query.timestamps = "true";
  if (until !== undefined) query.until = until;
  return client.stream(
    { method: "GET", path: `/containers/${encodeURIComponent(id)}/logs`, query },
    q.follow ? io.signal : undefined,
  );
}

/**
 * Text to one output: decoded as UTF-8 across frames (a character may be split between two
 * frames of a stream); with a prefix, written a whole line at a time, each line prefixed, so
 * that containers followed together interleave by lines.
 */
function lineWriter(
  emit: (text: string) => void,
  prefix: string,
): { write(data: Uint8Array): void; end(): void } {
  const decoder = new TextDecoder();
  let partial = "";
  const flush = (text: string) => {
    if (!prefix) {
      if (text) emit(text);
      return;
    }
    partial += text;
    const last = partial.lastIndexOf("\n");
    if (last < 0) return;
    const lines = partial.slice(0, last + 1);
    partial = partial.slice(last + 1);
    emit(
      lines
        .slice(0, -1)
        .split("\n")
        .map((line) => `${prefix}${line}\n`)
        .join(""),
    );
  };
  return {
    write: (data) => flush(decoder.decode(data, { stream: true })),
    end: () => {
      flush(decoder.decode());
      if (prefix && partial) emit(`${prefix}${partial}\n`);
      partial = "";
    },
  };
}
