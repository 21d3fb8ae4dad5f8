/** Content hashes of JSON values: the same value always gives the same hash. */
import { sha256 } from "./digest.ts";

/** Hashes a JSON value with sorted keys, so equal specs always give equal hashes. */
export function hashJson(value: unknown): string {
  return sha256().update(stableStringify(value)).digest("hex").slice(0, 16);
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

/**
 * A UUID derived from `seed`, shaped as an RFC 9562 version 8 (custom) UUID: a stable
 * `metadata.uid` for objects that name none, so plans stay deterministic.
 */
export function stableUuid(seed: string): string {
  const hex = sha256().update(seed).digest("hex");
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
