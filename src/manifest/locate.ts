/**
 * From a Kubernetes field path back to the YAML node it came from, so a diagnostic found on
 * the plain value can point at the user's line. Follows aliases and `<<` merge keys.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { FieldPath } from "./model.ts";

/** The node found for a path: the deepest one that exists, and whether the whole path did. */
export interface Located {
  readonly node: Node;
  /** The key of the last field found, when the path's last step is a mapping key. */
  readonly key?: Node;
  readonly exact: boolean;
}

/** Finds the YAML node at `path` in `doc` (or its deepest existing ancestor). */
export function locateNode(doc: Document.Parsed, path: FieldPath): Located | undefined {
  const root = doc.contents;
  if (root === null) return undefined;
  let node: Node = root;
  let key: Node | undefined;
  for (const step of path) {
    const target = resolve(doc, node);
    let next: Node | undefined;
    let nextKey: Node | undefined;
    if (isMap(target)) {
      const pair = findPair(doc, target.items, String(step), 0);
      if (pair !== undefined) {
        nextKey = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? pair.key : undefined;
        next = (pair.value as Node | null) ?? nextKey;
      }
    } else if (isSeq(target) && typeof step === "number") {
      const item = target.items[step];
      next = (item as Node | null | undefined) ?? undefined;
    }
    if (next === undefined) return withKey(node, key, false);
    node = next;
    key = nextKey;
  }
  return withKey(node, key, true);
}

function withKey(node: Node, key: Node | undefined, exact: boolean): Located {
  return key === undefined ? { node, exact } : { node, key, exact };
}

function resolve(doc: Document.Parsed, node: Node): Node {
  // One level is enough: an alias never resolves to another alias.
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? node;
  return node;
}

/** A mapping's pair for `key`, looking into `<<` merges after the mapping's own keys. */
function findPair(
  doc: Document.Parsed,
  items: readonly unknown[],
  key: string,
  depth: number,
): Pair | undefined {
  for (const item of items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item;
  }
  if (depth > 8) return undefined;
  for (const item of items) {
    // yaml's 1.1 schema turns the merge key into `Symbol("<<")`.
    if (!isPair(item) || !isScalar(item.key) || !isMergeKey(item.key.value)) continue;
    const value = item.value as Node | null;
    if (value === null) continue;
    const sources = isSeq(value) ? (value.items as Node[]) : [value];
    for (const source of sources) {
      const target = resolve(doc, source);
      if (isMap(target)) {
        const found = findPair(doc, target.items, key, depth + 1);
        if (found !== undefined) return found;
      }
    }
  }
  return undefined;
}

function isMergeKey(key: unknown): boolean {
  return key === "<<" || (typeof key === "symbol" && key.description === "<<");
}
