/**
 * Container resources: Kubernetes requests and limits to libpod's `resource_limits`, computed
 * the way the kubelet computes its cgroup settings, from exact quantities.
 */
import type { Container, ResourceRequirements } from "../manifest/model.ts";
import { ownMap, ownMapOf } from "../manifest/own.ts";
import { parseQuantity, type Rational, toBytes, toMilli } from "../manifest/quantity.ts";

/** The CFS period the kubelet (and Podman) use, in microseconds. */
export const CPU_PERIOD = 100_000;
/** The kubelet's floor for a CFS quota: 1 ms per period. */
const MIN_QUOTA = 1_000;
/** cgroup v1 cpu.shares bounds the kubelet applies. */
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;

/** A quantity by resource name; only parseable values (validation reports the others). */
export type ResourceList = Readonly<Record<string, Rational>>;

/**
 * Requests and limits as the API server stores them: a resource with a limit but no request
 * gets the limit as its request (Kubernetes' defaulting), so the kubelet sees both.
 */
export function effectiveResources(c: Container): { limits: ResourceList; requests: ResourceList } {
  const limits = parseList(c.resources?.limits);
  const requests = ownMapOf(Object.entries(parseList(c.resources?.requests)));
  for (const [name, value] of Object.entries(limits))
    if (!Object.hasOwn(requests, name)) requests[name] = value;
  return { limits, requests };
}

function parseList(list: ResourceRequirements["limits"]): ResourceList {
  const out = ownMap<Rational>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const parsed = parseQuantity(raw);
    if (parsed.ok) out[name] = parsed.value;
  }
  return out;
}

/**
 * The largest integer kplay can put in a libpod request exactly: JSON numbers are doubles
 * here, and libpod's fields are int64s that a rounded value can overflow.
 */
export const MAX_LIBPOD_INTEGER = BigInt(Number.MAX_SAFE_INTEGER);

/** An amount whose libpod integer would not fit: the field and the integer it would be. */
export interface OversizedResource {
  readonly list: "limits" | "requests";
  readonly name: "cpu" | "memory";
  readonly unit: string;
}

/**
 * The container's amounts that resourceLimits cannot hand libpod: a memory limit or request
 * of more bytes, or a CPU limit of a larger CFS quota, than MAX_LIBPOD_INTEGER. (A CPU
 * request becomes shares, which the kubelet caps.) checks.ts refuses them.
 */
export function oversizedResources(c: Container): OversizedResource[] {
  const out: OversizedResource[] = [];
  const limits = parseList(c.resources?.limits);
  const requests = parseList(c.resources?.requests);
  if (limits.cpu && (toMilli(limits.cpu) * BigInt(CPU_PERIOD)) / 1000n > MAX_LIBPOD_INTEGER)
    out.push({ list: "limits", name: "cpu", unit: "microseconds of CFS quota" });
  for (const [list, values] of [
    ["limits", limits],
    ["requests", requests],
  ] as const) {
    if (values.memory && toBytes(values.memory) > MAX_LIBPOD_INTEGER)
      out.push({ list, name: "memory", unit: "bytes" });
  }
  return out;
}

/** The kubelet's `MilliCPUToQuota`: a limit of `milli` thousandths of a CPU per CPU_PERIOD. */
export function cpuQuota(milli: bigint): number {
  const quota = (milli * BigInt(CPU_PERIOD)) / 1000n;
  return Number(quota < MIN_QUOTA ? BigInt(MIN_QUOTA) : quota);
}

/** The kubelet's `MilliCPUToShares`: 1024 shares per CPU requested, within [2, 262144]. */
export function cpuShares(milli: bigint): number {
  const shares = (milli * 1024n) / 1000n;
  if (shares < MIN_SHARES) return MIN_SHARES;
  return Number(shares > MAX_SHARES ? BigInt(MAX_SHARES) : shares);
}

/**
 * libpod's `resource_limits` for one container, or undefined when it sets none.
 * limits.cpu -> CFS quota/period; requests.cpu (or the defaulted limit) -> cpu.shares;
 * limits.memory -> memory limit; an explicit requests.memory -> memory reservation (a soft
 * limit, as `podman kube play` sets it; the kubelet has no equivalent on cgroup v1).
 */
export function resourceLimits(c: Container): Record<string, unknown> | undefined {
  const { limits, requests } = effectiveResources(c);
  const cpu: Record<string, number> = {};
  const cpuLimit = limits.cpu && toMilli(limits.cpu);
  if (cpuLimit && cpuLimit > 0n)
    Object.assign(cpu, { quota: cpuQuota(cpuLimit), period: CPU_PERIOD });
  const cpuRequest = requests.cpu && toMilli(requests.cpu);
  if (cpuRequest !== undefined) cpu.shares = cpuShares(cpuRequest);
  const memory: Record<string, number> = {};
  const memoryLimit = limits.memory && toBytes(limits.memory);
  if (memoryLimit && memoryLimit > 0n) memory.limit = Number(memoryLimit);
  const explicit = c.resources?.requests?.memory;
  const reservation = explicit === undefined ? undefined : parseQuantity(explicit);
  if (reservation?.ok && toBytes(reservation.value) > 0n)
    memory.reservation = Number(toBytes(reservation.value));
  const out: Record<string, unknown> = {};
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (Object.keys(memory).length > 0) out.memory = memory;
  return Object.keys(out).length > 0 ? out : undefined;
}
