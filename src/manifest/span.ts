/** Offsets to spans: the one place that turns yaml's `[start, end]` into line:column. */
import type { LineCounter } from "yaml";
import type { Span } from "../diagnostics/diagnostic.ts";

/** Returns the span of `[start, end)` in a file, with a 1-based line and column. */
export function spanOf(file: string, lineCounter: LineCounter, start: number, end: number): Span {
  const { line, col } = lineCounter.linePos(start);
  return { file, line, column: col, offset: start, endOffset: Math.max(end, start) };
}
