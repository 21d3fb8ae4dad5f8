/**
 * Rendering diagnostics for people (`file:line:col: severity[code]: message`, the source line
 * and a caret line under the value, then the hint) and for machines (`diagnosticToJson`).
 * Pure: returns strings; printing is the CLI's business.
 */
import type { Diagnostic, Severity } from "./diagnostic.ts";

/** Rendering options: ANSI colour only when the caller asks (a TTY, no NO_COLOR). */
export interface RenderOptions {
  readonly color: boolean;
}

/** A diagnostic as JSON: a fixed shape, `null` where a value is absent. */
export interface DiagnosticJson {
  code: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  path: string | null;
  hint: string | null;
}

const ANSI = {
  bold: "\x1b[1m",
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
  reset: "\x1b[0m",
};

/** Renders one diagnostic, with a source frame when the file's text is given. */
export function renderDiagnostic(
  d: Diagnostic,
  text: string | undefined,
  options: RenderOptions,
): string {
  const paint = (style: string, s: string) => (options.color ? `${style}${s}${ANSI.reset}` : s);
  const tone = d.severity === "error" ? ANSI.red : ANSI.yellow;
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column}: ` : "";
  const lines = [
    `${paint(ANSI.bold, where)}${paint(tone, `${d.severity}[${d.code}]`)}: ${d.message}`,
  ];
  if (d.span !== undefined && text !== undefined) {
    const frame = sourceFrame(text, d.span.offset, d.span.endOffset);
    if (frame !== undefined) lines.push(frame.line, paint(tone, frame.caret));
  }
  if (d.hint !== undefined) lines.push(`  ${paint(ANSI.cyan, "hint")}: ${d.hint}`);
  return lines.join("\n");
}

/** Renders a list of diagnostics, each with its file's text from `texts`, blank-line separated. */
export function renderDiagnostics(
  list: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
  options: RenderOptions,
): string {
  return list
    .map((d) => renderDiagnostic(d, d.span ? texts.get(d.span.file) : undefined, options))
    .join("\n\n");
}

/** Returns a diagnostic as a plain JSON-serialisable object. */
export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span?.file ?? null,
    line: d.span?.line ?? null,
    column: d.span?.column ?? null,
    path: d.path ?? null,
    hint: d.hint ?? null,
  };
}

/** The source line holding `offset` and a caret line under `[offset, end)`, cut at the line end. */
function sourceFrame(
  text: string,
  offset: number,
  end: number,
): { line: string; caret: string } | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let stop = text.indexOf("\n", offset);
  if (stop === -1) stop = text.length;
  if (stop > start && text[stop - 1] === "\r") stop--;
  // A long line (minified JSON) is shown around the value, not whole.
  const from = Math.max(start, offset - 60);
  const to = Math.min(stop, Math.max(offset, from) + 120);
  const line = text.slice(from, to);
  // Keep tabs in the padding so the caret lines up however the terminal draws them.
  let pad = "";
  for (let i = from; i < offset; i++) pad += text[i] === "\t" ? "\t" : " ";
  const width = Math.max(1, Math.min(end, to) - offset);
  return { line, caret: pad + "^".repeat(width) };
}
