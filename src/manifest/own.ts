/**
 * Lookups keyed by text from a manifest or a command line. `table[key]` on a plain object
 * also finds what Object.prototype has (`constructor`, `toString`, `__proto__`), and writing
 * `out[key]` with key `__proto__` replaces the prototype instead of adding a key; both have
 * crashed kplay or dropped a user's key. Every such lookup goes through `own`, every such
 * map is made by `ownMap`.
 */

/** `table[key]` if `key` is the table's own property, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** An empty map-like object without a prototype: any key, `__proto__` too, is a plain key. */
export function ownMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Copies `entries` into an `ownMap`. */
export function ownMapOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = ownMap<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}
