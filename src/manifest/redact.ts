/**
 * Secret values must never be printed, and a diagnostic's source frame prints the line it
 * points at. So the text kept for rendering has every value under `data` / `stringData` of a
 * Secret document masked with `*`, character for character: offsets, lines and columns stay
 * right. Line-based on purpose, so it works on documents that do not even parse.
 */
import type { Document } from "yaml";

// A fallback for documents that do not parse: any `kind: Secret` in the text, whatever
// follows it (a comment, more flow-style fields).
const SECRET_KIND = /["']?kind["']?\s*:\s*["']?Secret\b/;
const SECRET_KEY = /^(\s*)["']?(data|stringData)["']?\s*:/;

/** Returns `text` with the values of every Secret document's data and stringData masked. */
export function redactSecrets(text: string, documents: readonly Document.Parsed[]): string {
  let out = text;
  const ranges =
    documents.length > 0
      ? documents.map((d) => [d.range[0], d.range[2]] as const)
      : [[0, text.length] as const];
  for (const [i, [start, end]] of ranges.entries()) {
    const part = text.slice(start, end);
    const kind = documents[i]?.errors.length === 0 ? documents[i]?.get("kind") : undefined;
    if (kind !== "Secret" && !SECRET_KIND.test(part)) continue;
    // Flow (JSON) style cannot be masked line by line: the whole document is masked.
    const masked = /^\s*(#[^\n]*\n\s*)*\{/.test(part) ? mask(part) : maskDataBlocks(part);
    out = out.slice(0, start) + masked + out.slice(end);
  }
  return out;
}

/** Masks what follows `data:` / `stringData:` and every line indented deeper than that key. */
function maskDataBlocks(part: string): string {
  let depth: number | undefined;
  return part
    .split("\n")
    .map((line) => {
      const indent = line.length - line.trimStart().length;
      const key = SECRET_KEY.exec(line);
      if (key) {
        depth = key[1]?.length ?? 0;
        return line.slice(0, key[0].length) + mask(line.slice(key[0].length));
      }
      if (depth === undefined || line.trim() === "") return line;
      if (indent <= depth) {
        depth = undefined;
        return line;
      }
      // A `key: value` line keeps its key; anything else (block scalar lines) is all value.
      const colon = /^\s*["']?[\w.-]+["']?\s*:/.exec(line);
      return colon
        ? line.slice(0, colon[0].length) + mask(line.slice(colon[0].length))
        : mask(line);
    })
    .join("\n");
}

function mask(s: string): string {
  return s.replace(/[^\s{}[\],]/g, "*");
}
