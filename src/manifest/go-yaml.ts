/**
 * Where go-yaml (Kubernetes' YAML decoder) is more lenient than the YAML spec and yaml: it
 * accepts `\'` in a double-quoted scalar as `'`. The Kubernetes docs themselves rely on it
 * (pods/inject/envars-file-container.yaml), so kplay accepts it too: the errors are dropped and
 * the scalars re-read with `\'` as a plain `'`.
 */
import { type Document, isScalar, parseDocument } from "yaml";
import { forEachNode } from "./nodes.ts";

/** Drops yaml's `\'` escape errors from a document and fixes the scalars they came from. */
export function acceptQuoteEscapes(doc: Document.Parsed, text: string): void {
  const isQuoteEscape = (e: { code: string; message: string }) =>
    e.code === "BAD_DQ_ESCAPE" && e.message.endsWith("\\'");
  if (!doc.errors.some(isQuoteEscape)) return;
  doc.errors = doc.errors.filter((e) => !isQuoteEscape(e));
  forEachNode(doc, (node) => {
    if (!isScalar(node) || node.type !== "QUOTE_DOUBLE" || !node.range) return;
    const source = text.slice(node.range[0], node.range[1]);
    if (!source.includes("\\'")) return;
    const reread = parseDocument(withoutQuoteEscapes(source)).contents;
    if (isScalar(reread)) node.value = reread.value;
  });
}

/** Rewrites `\'` to `'` in a double-quoted scalar's source, leaving other escapes alone. */
function withoutQuoteEscapes(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\" && source[i + 1] === "'") {
      out += "'";
      i++;
    } else if (c === "\\") {
      out += c + (source[i + 1] ?? "");
      i++;
    } else out += c;
  }
  return out;
}
