/** Offsets to spans: the one place that turns `[start, end)` into line:column. */
import type { Span } from "../diagnostics/diagnostic.ts";
import type { LineIndex } from "./lines.ts";

/** Returns the span of `[start, end)` in a file, with a 1-based line and column. */
export function spanOf(file: string, lines: LineIndex, start: number, end: number): Span {
  const { line, column } = lines.position(start);
  return { file, line, column, offset: start, endOffset: Math.max(end, start) };
}
