/**
 * YAML problems the yaml library accepts but Kubernetes' decoder (go-yaml v2 behind a `---`
 * splitter) refuses: a bare document after a `...` end marker, a mapping used as a key
 * (`replicas: {{replicas}}`, an unrendered template placeholder), and duplicate keys. yaml's
 * own duplicate check compares each key with every earlier one, which is quadratic (150k keys
 * take minutes), so it is off and done here with a set per mapping.
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { quote } from "./context.ts";
import { forEachNode } from "./nodes.ts";
import { spanOf } from "./span.ts";

/** Reports both problems; returns the indexes of documents too damaged to validate. */
export function checkKubernetesYaml(
  file: string,
  text: string,
  lc: LineCounter,
  docs: readonly Document.Parsed[],
  out: Diagnostic[],
): Set<number> {
  const broken = new Set<number>();
  docs.forEach((doc, i) => {
    const previous = docs[i - 1];
    if (
      previous?.directives?.docEnd === true &&
      doc.directives?.docStart !== true &&
      doc.contents !== null
    ) {
      const marker = text.lastIndexOf("\n...", doc.range[0]) + 1;
      const hint =
        '"..." ends a YAML document; if it stands for omitted lines, remove it, and separate documents with "---"';
      const message = 'Document after a document end marker ("...") does not start with "---"';
      out.push({
        code: "yaml-syntax",
        severity: "error",
        message,
        span: spanOf(file, lc, marker, marker + 3),
        hint,
      });
      broken.add(i - 1).add(i);
    }
    forEachNode(doc, (node) => {
      if (!isMap(node)) return;
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isMap(key) || isSeq(key)) {
          const range = key.range ?? [0, 0];
          const hint =
            "Is it an unrendered template placeholder such as {{value}}? Render the template first";
          const message = "Mapping key is a collection: Kubernetes keys are strings";
          out.push({
            code: "bad-key",
            severity: "error",
            message,
            span: spanOf(file, lc, range[0], range[1]),
            hint,
          });
          broken.add(i);
          continue;
        }
        if (!isScalar(key) || typeof key.value === "symbol") continue;
        const name = String(key.value);
        if (!seen.has(name)) {
          seen.add(name);
          continue;
        }
        const range = key.range ?? [0, 0];
        const hint = "Kubernetes refuses a mapping with the same key twice; keep one";
        const message = `Duplicate key ${quote(name)}`;
        out.push({
          code: "duplicate-key",
          severity: "error",
          message,
          span: spanOf(file, lc, range[0], range[1]),
          hint,
        });
      }
    });
  });
  return broken;
}
