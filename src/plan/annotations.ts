/**
 * Podman's own pod annotations, read as `podman kube play` (4.3 and later) reads them, so a
 * manifest written for Podman plays the same. Pod-wide ones apply to every container;
 * per-container ones are keyed `<annotation>/<container name>`.
 */
import type { Pod } from "../manifest/model.ts";
import { own } from "../manifest/own.ts";
import { containerName } from "./names.ts";

const P = "io.podman.annotations.";
export const ANNOTATION = {
  userns: `${P}userns`,
  initContainerType: `${P}init.container.type`,
  infraName: `${P}infra.name`,
  ulimit: `${P}ulimit`,
  pidsLimit: `${P}pids-limit`,
  autoremove: `${P}autoremove`,
  init: `${P}init`,
  volumesFrom: `${P}volumes-from`,
  cpuset: `${P}cpuset`,
  memoryNodes: `${P}memory-nodes`,
} as const;

/** Container labels that `podman auto-update` reads, taken from pod annotations as kube play does. */
const AUTO_UPDATE_LABELS = ["io.containers.autoupdate", "io.containers.autoupdate.authfile"];

/**
 * The auto-update labels of one container: `<label>/<container>` wins over a pod-wide
 * `<label>`, as in `podman kube play`.
 */
export function autoUpdateLabels(pod: Pod, container: string): Record<string, string> {
  const all = pod.metadata.annotations ?? {};
  const out: Record<string, string> = {};
  for (const label of AUTO_UPDATE_LABELS) {
    const value = own(all, `${label}/${container}`) ?? own(all, label);
    if (value) out[label] = value;
  }
  return out;
}

/** libpod fields from annotations, and problems (annotation key, sentence) for checks.ts. */
export interface AnnotationFields {
  readonly fields: Record<string, unknown>;
  /** Parts of `resource_limits`: `pids.limit`, `cpu.cpus`, `cpu.mems`. */
  readonly resources: { pids?: { limit: number }; cpu?: { cpus?: string; mems?: string } };
  readonly problems: readonly AnnotationProblem[];
}

export interface AnnotationProblem {
  readonly key: string;
  readonly problem: string;
}

const RLIMITS = [
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
];

/** Go's strconv.ParseBool, which Podman uses for its boolean annotations. */
export function parseBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** `nofile=1024:2048,nproc=512` to libpod's `r_limits` (type without `RLIMIT_`, as Podman sends). */
export function parseUlimits(
  value: string,
): { type: string; soft: number; hard: number }[] | string {
  const out: { type: string; soft: number; hard: number }[] = [];
  for (const item of value.split(",")) {
    const m = /^([a-z]+)=(-?[0-9]+)(?::(-?[0-9]+))?$/.exec(item.trim());
    if (!m || !RLIMITS.includes(m[1] ?? ""))
      return `"${item}" is not NAME=SOFT[:HARD] with NAME one of ${RLIMITS.join(", ")}`;
    const soft = Number(m[2]);
    const hard = m[3] === undefined ? soft : Number(m[3]);
    if (hard !== -1 && (soft === -1 || soft > hard))
      return `"${item}": the soft limit is above the hard limit`;
    out.push({ type: m[1] as string, soft, hard });
  }
  return out;
}

/**
 * Per-container annotation fields. `earlier` are the Kubernetes names of the containers
 * created before this one: a volumes-from source among them is named `<pod>-<name>`, any
 * other name is a container outside the pod (Podman's rule, which also rules out cycles).
 */
export function containerAnnotationFields(
  pod: Pod,
  container: string,
  earlier: readonly string[],
): AnnotationFields {
  const all = pod.metadata.annotations ?? {};
  const fields: Record<string, unknown> = {};
  const resources: AnnotationFields["resources"] = {};
  const problems: AnnotationProblem[] = [];
  const get = (base: string): [string, string] | undefined => {
    const key = `${base}/${container}`;
    return Object.hasOwn(all, key) ? [key, all[key] as string] : undefined;
  };
  const ulimit = all[ANNOTATION.ulimit];
  if (ulimit !== undefined) {
    const parsed = parseUlimits(ulimit);
    if (typeof parsed === "string") problems.push({ key: ANNOTATION.ulimit, problem: parsed });
    else fields.r_limits = parsed;
  }
  const pids = get(ANNOTATION.pidsLimit);
  if (pids && !/^-?[0-9]+$/.test(pids[1]))
    problems.push({ key: pids[0], problem: `"${pids[1]}" is not an integer` });
  else if (pids) resources.pids = { limit: Number(pids[1]) };
  for (const [base, field] of [
    [ANNOTATION.autoremove, "remove"],
    [ANNOTATION.init, "init"],
  ] as const) {
    const found = get(base);
    if (!found) continue;
    const b = parseBool(found[1]);
    if (b === undefined)
      problems.push({ key: found[0], problem: `"${found[1]}" is not a boolean` });
    else if (b) fields[field] = true;
  }
  const from = get(ANNOTATION.volumesFrom);
  if (from && from[1] !== "") {
    const sources: string[] = [];
    for (const entry of from[1].split(";")) {
      const [source = "", options, extra] = entry.split(":");
      if (source === "" || extra !== undefined || source === container) {
        problems.push({
          key: from[0],
          problem: `"${entry}" is not CONTAINER[:OPTIONS] naming another container`,
        });
        continue;
      }
      const name = earlier.includes(source) ? containerName(pod.metadata.name, source) : source;
      sources.push(options === undefined ? name : `${name}:${options}`);
    }
    fields.volumes_from = sources;
  }
  const cpus = get(ANNOTATION.cpuset)?.[1];
  const mems = get(ANNOTATION.memoryNodes)?.[1];
  if (cpus !== undefined || mems !== undefined) {
    resources.cpu = {
      ...(cpus !== undefined ? { cpus } : {}),
      ...(mems !== undefined ? { mems } : {}),
    };
  }
  return { fields, resources, problems };
}
