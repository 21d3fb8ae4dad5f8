/**
 * Secret values must never be printed, and a diagnostic's source frame prints the line it
 * points at. So the text kept for rendering has every value under `data` / `stringData` of a
 * Secret document masked with `*`, character for character: offsets, lines and columns stay
 * right. Line-based on purpose, so it works on documents that do not even parse: each chunk
 * of the `---` splitter is masked when it decoded to a Secret or merely mentions one.
 */

import type { YamlDocument } from "./yaml/index.ts";
import { splitDocuments } from "./yaml/split.ts";

// A fallback for documents that do not parse: any `kind: Secret` in the text, whatever
// follows it (a comment, more flow-style fields).
const SECRET_KIND = /["']?kind["']?\s*:\s*["']?Secret\b/;
const SECRET_KEY = /^(\s*)["']?(data|stringData)["']?\s*:/;

/** Returns `text` with the values of every Secret document's data and stringData masked. */
export function redactSecrets(text: string, documents: readonly YamlDocument[]): string {
  const secrets = documents.filter((d) => isSecret(d.value)).map((d) => d.range);
  // The splitter's chunks, or the whole text when it stops early (a bad separator).
  const chunks = splitDocuments(text).chunks.map((c) => [c.start, c.end] as const);
  const ranges = chunks.length > 0 ? chunks : [[0, text.length] as const];
  let out = text;
  for (const [start, end] of ranges) {
    const part = text.slice(start, end);
    const decoded = secrets.some(([s, e]) => s < end && e > start);
    if (!decoded && !SECRET_KIND.test(part)) continue;
    // Flow (JSON) style cannot be masked line by line: the whole document is masked.
    const masked = /^\s*(#[^\n]*\n\s*)*\{/.test(part) ? mask(part) : maskDataBlocks(part);
    out = out.slice(0, start) + masked + out.slice(start + masked.length);
  }
  return out;
}

function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "Secret"
  );
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
