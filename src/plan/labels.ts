import { createHash } from "node:crypto";

/** Labels kplay puts on what it creates; `ps`, `down` and converge find objects by them. */
export const LABEL_MANAGED = "io.kplay.managed";
export const LABEL_POD = "io.kplay.pod";
export const LABEL_POD_HASH = "io.kplay.pod-hash";
export const LABEL_CONTAINER_HASH = "io.kplay.container-hash";
export const LABEL_CONTAINER = "io.kplay.container";
export const LABEL_GRACE = "io.kplay.grace-period";
/** "true" on init containers, so converge can tell them apart from app containers. */
export const LABEL_INIT = "io.kplay.init";
/**
 * On a Podman volume kplay created for a PersistentVolumeClaim: the claim's name. Such a
 * volume outlives the pods that mount it; only `down --volumes` removes it.
 */
export const LABEL_CLAIM = "io.kplay.claim";
/** The readiness probe (JSON of a PlannedProbe), so `ps` can tell ready from running. */
export const LABEL_READINESS = "io.kplay.readiness";

/** The Kubernetes container name kplay put on a container it made, if it made it. */
export function kplayContainer(c: {
  readonly Labels?: Readonly<Record<string, string>> | null;
}): string | undefined {
  return c.Labels?.[LABEL_CONTAINER];
}

/** Hashes a JSON value with sorted keys, so equal specs always give equal hashes. */
export function hashJson(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex").slice(0, 16);
}

/** JSON.stringify with object keys sorted at every level. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
