/** Content hashes of JSON values: the same value always gives the same hash. */
import { sha256 } from "./digest.ts";

/** Hashes a JSON value with sorted keys, so equal specs always give equal hashes. */
export function hashJson(value: unknown): string {
  return sha256().update(stableStringify(value)).digest("hex").slice(0, 16);
}

/** JSON.stringify with object keys sorted at every level. */
export function stableStringify(value: unknown): string {
  // One string built in place: every pod's plan is hashed, and the arrays of entries, pieces
  // and joins a functional version makes cost more than the hash.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      // A hole is skipped by map and joined as nothing, as before.
      if (i in value) out += stableStringify(value[i]);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort(byCodeUnits);
    let out = "{";
    let first = true;
    for (const k of keys) {
      const v = object[k];
      if (v === undefined) continue;
      if (!first) out += ",";
      first = false;
      out += `${JSON.stringify(k)}:${stableStringify(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A UUID derived from `seed`, shaped as an RFC 9562 version 8 (custom) UUID: a stable
 * `metadata.uid` for objects that name none, so plans stay deterministic.
 */
export function stableUuid(seed: string): string {
  const hex = sha256().update(seed).digest("hex");
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
