/**
 * A linear pre-scan that bounds the YAML parser's work before it runs. yaml is correct but
 * costs about 5 µs per node and 10 µs per document here, and every later walk recurses, so a
 * crafted file (a million `[`, a hundred thousand `a: 1` lines, a million `---`) is refused in
 * milliseconds instead of taking seconds. The scan over-approximates (brackets in plain text
 * may count) and each limit is far above any real manifest.
 */
import { MAX_DOCUMENTS, MAX_NESTING_DEPTH, MAX_NODES } from "./limits.ts";

/** Which bound the text exceeds first, and where (1-based). */
export interface Excess {
  readonly kind: "depth" | "nodes" | "documents";
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Returns the first bound `text` exceeds, or undefined if it stays within all of them. */
export function prescan(text: string): Excess | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote = "";
  let blockScalarParent = -1;
  let nodes = 0;
  let documents = 0;
  let line = 0;
  // Whether the last non-blank line ended on an indicator (`:`, `-`, `[`, `{`, `,`): only
  // then can the next line's first character open a quoted scalar. Otherwise that line
  // continues a plain scalar, where a quote is just text.
  let lastIndicator = true;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    line++;
    const at = (kind: Excess["kind"], offset: number): Excess => ({
      kind,
      line,
      column: offset - start + 1,
      offset,
    });
    let i = start;
    while (i < end && text[i] === " ") i++;
    const indent = i - start;
    const blank = i === end || text[i] === "\r" || text[i] === "#";
    if (blockScalarParent >= 0 && (blank || indent > blockScalarParent)) {
      start = end + 1;
      continue;
    }
    blockScalarParent = -1;
    if (indent === 0 && isDocumentMarker(text, start) && ++documents > MAX_DOCUMENTS)
      return at("documents", start);
    let depth = flow;
    if (!blank && flow === 0 && quote === "") {
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
    }
    let lineNodes = 0;
    // Each `- ` opening the line is one more sequence level on the same line; inside a flow
    // collection that is a syntax error, but yaml still nests them.
    if (!blank && quote === "") {
      while ((text[i] === "-" || text[i] === "?") && (text[i + 1] === " " || i + 1 === end)) {
        if (flow === 0) indents.push(i - start + 2);
        if (++depth > MAX_NESTING_DEPTH) return at("depth", i);
        if (++nodes > MAX_NODES) return at("nodes", i);
        lineNodes++;
        i += 2;
        while (i < end && text[i] === " ") i++;
      }
    }
    // A quoted scalar or a flow collection starts a node only after an indicator, as in YAML
    // (`key: "x"`, `- [`, `{a: [`), so a quote inside plain text (`echo "`) hides nothing.
    let previous = "";
    for (; i < end; i++) {
      const c = text[i] ?? "";
      if (quote === '"') {
        if (c === "\\") i++;
        else if (c === '"') quote = "";
        continue;
      }
      if (quote === "'") {
        if (c === "'" && text[i + 1] === "'") i++;
        else if (c === "'") quote = "";
        continue;
      }
      if (c === " " || c === "\t" || c === "\r") continue;
      const before = i === start ? " " : (text[i - 1] ?? " ");
      if (c === "#" && (before === " " || before === "\t")) break;
      const atNode = previous === "" ? lastIndicator || flow > 0 : "[{,:-?".includes(previous);
      if ((c === '"' || c === "'") && atNode) quote = c;
      else if ((c === "[" || c === "{") && (atNode || flow > 0)) flow++;
      else if ((c === "]" || c === "}") && flow > 0) flow--;
      if (depth + flow > MAX_NESTING_DEPTH) return at("depth", i);
      // Every `key:` and flow `,` is about one node for the parser.
      const after = text[i + 1];
      const indicator =
        (c === ":" && (after === " " || after === undefined || i + 1 === end)) ||
        (c === "," && flow > 0);
      if (indicator && ++nodes > MAX_NODES) return at("nodes", i);
      if (indicator) lineNodes++;
      previous = c;
    }
    if (!blank && quote === "") lastIndicator = previous === "" || "[{,:-?".includes(previous);
    // A line with no indicator (a list item's scalar, a line of a quoted scalar) costs a node too.
    if (!blank && lineNodes === 0 && ++nodes > MAX_NODES) return at("nodes", start + indent);
    if (flow === 0 && quote === "" && endsWithBlockScalarHeader(text, start, end))
      blockScalarParent = indent;
    start = end + 1;
  }
  return undefined;
}

function isDocumentMarker(text: string, start: number): boolean {
  if (!text.startsWith("---", start) && !text.startsWith("...", start)) return false;
  const after = text[start + 3];
  return after === undefined || after === " " || after === "\n" || after === "\r" || after === "\t";
}

/** Whether the line ends with a block scalar header (`key: |`, `- >-`, `args: |2+`). */
function endsWithBlockScalarHeader(text: string, start: number, end: number): boolean {
  let j = end - 1;
  while (j >= start && (text[j] === " " || text[j] === "\r" || text[j] === "\t")) j--;
  while (
    j >= start &&
    (text[j] === "-" || text[j] === "+" || ((text[j] ?? "") >= "0" && (text[j] ?? "") <= "9"))
  )
    j--;
  if (j < start || (text[j] !== "|" && text[j] !== ">")) return false;
  return j === start || text[j - 1] === " ";
}
