/**
 * An iterative walk over a document's nodes. yaml's `visit` copies the ancestor path at every
 * node, which is quadratic in depth; broken input can nest deeply where the depth pre-scan
 * cannot tell (block sequences inside flow collections), so kplay walks with its own stack.
 */
import { type Document, isMap, isPair, isSeq, type Node } from "yaml";

/** Calls `fn` on every node of `doc` (collections, scalars, aliases), parents first. */
export function forEachNode(doc: Document.Parsed, fn: (node: Node) => void): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const item = stack.pop();
    if (isPair(item)) {
      stack.push(item.value, item.key);
      continue;
    }
    if (item === null || typeof item !== "object") continue;
    fn(item as Node);
    if (isMap(item) || isSeq(item))
      for (let i = item.items.length - 1; i >= 0; i--) stack.push(item.items[i]);
  }
}
