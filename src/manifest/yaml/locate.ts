/**
 * From a field path back to the node a value came from, following go-yaml's own order: the
 * last writer of a key wins, a `<<` entry writes its mapping's keys where it stands, and in a
 * merged list the earlier map wins. Walks nodes (not values), iteratively, so it costs no
 * more than the mapping it searches.
 */

import { formatFloatKey } from "./go-numbers.ts";
import { isMergeKey, type Node } from "./nodes.ts";
import { resolveScalar } from "./resolve.ts";
import type { YamlLocation } from "./types.ts";

/** Where a key's value comes from: the value node, its key node, and the `<<` entry if merged. */
interface Found {
  readonly value: Node;
  readonly key: Node;
  readonly merge?: { readonly start: number; readonly end: number; readonly keyEnd: number };
}

/** Locates `path` under `root` (see YamlDocument.locate). */
export function locatePath(
  root: Node | null,
  path: readonly (string | number)[],
): YamlLocation | undefined {
  if (root === null) return undefined;
  let node = root;
  let at: YamlLocation = { start: root.start, end: root.end, exact: true };
  for (const step of path) {
    const target = node.kind === "alias" ? node.target : node;
    let found: Found | undefined;
    if (target.kind === "map") found = findKey(target, String(step), 0);
    else if (target.kind === "seq" && typeof step === "number") {
      const item = target.items[step];
      if (item !== undefined) found = { value: item, key: item };
    }
    if (found === undefined) return { ...at, exact: false };
    node = found.value;
    if (found.merge !== undefined)
      at = {
        start: found.merge.start,
        end: found.merge.end,
        keyStart: found.merge.start,
        keyEnd: found.merge.keyEnd,
        exact: true,
      };
    else if (found.key === found.value) at = { start: node.start, end: node.end, exact: true };
    else
      at = {
        start: node.start,
        end: node.end,
        keyStart: found.key.start,
        keyEnd: found.key.end,
        exact: true,
      };
  }
  return at;
}

/** The last writer of `key` in a mapping, looking into merges; bounded by `depth`. */
function findKey(map: Node & { kind: "map" }, key: string, depth: number): Found | undefined {
  let found: Found | undefined;
  const pairs = map.pairs;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const k = pairs[i] as Node;
    const v = pairs[i + 1] as Node;
    if (isMergeKey(k)) {
      if (depth > 100) continue;
      const sources = v.kind === "seq" ? [...v.items].reverse() : [v];
      for (const source of sources) {
        const target = source.kind === "alias" ? source.target : source;
        if (target.kind !== "map") continue;
        const inner = findKey(target, key, depth + 1);
        if (inner !== undefined)
          found = { ...inner, merge: { start: k.start, end: v.end, keyEnd: k.end } };
      }
    } else if (keyText(k) === key) found = { value: v, key: k };
  }
  return found;
}

/** A key node's JSON key, or undefined for a key that has none. */
function keyText(node: Node): string | undefined {
  const n = node.kind === "alias" ? node.target : node;
  if (n.kind !== "scalar") return undefined;
  if (n.fixed !== undefined) return typeof n.fixed === "string" ? n.fixed : undefined;
  if (n.tag === "" && !n.implicit) return n.value;
  try {
    const [, value] = resolveScalar(n.tag, n.value, 0, 0);
    switch (value.t) {
      case "str":
        return value.v;
      case "int":
        return value.v.toString();
      case "float":
        return formatFloatKey(value.v);
      case "bool":
        return String(value.v);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
