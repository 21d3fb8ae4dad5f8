/**
 * What every check needs to report on one Kubernetes object: where it is (file, document, and
 * the path prefix of a `kind: List` item) and how to turn a field path into a diagnostic.
 */
import type { Diagnostic, Severity, Span } from "../diagnostics/diagnostic.ts";
import type { LineIndex } from "./lines.ts";
import type { FieldPath, PodDocument } from "./model.ts";
import { spanOf } from "./span.ts";
import type { YamlDocument } from "./yaml/index.ts";

/** One object under validation and the diagnostics found in it so far. */
export interface ObjectContext {
  readonly file: string;
  /** The file's text, to quote what the user wrote (`yes`) rather than what YAML made of it. */
  readonly text: string;
  readonly doc: YamlDocument;
  readonly lines: LineIndex;
  /** Path of the object inside its document: `[]`, or `["items", 3]` inside a List. */
  readonly prefix: FieldPath;
  readonly diagnostics: Diagnostic[];
}

/** Where a diagnostic points: the field's value (default) or its key. */
export type Anchor = "value" | "key";

/** Returns the span of a field (relative to the object), or of its deepest existing ancestor. */
export function spanAt(
  ctx: ObjectContext,
  path: FieldPath,
  anchor: Anchor = "value",
): Span | undefined {
  const found = ctx.doc.locate([...ctx.prefix, ...path]);
  if (found === undefined) return undefined;
  // A missing field points at the key of its nearest existing parent (`metadata:`), not at the
  // whole parent mapping.
  const useKey = (anchor === "key" || !found.exact) && found.keyStart !== undefined;
  if (useKey && found.keyStart !== undefined)
    return spanOf(ctx.file, ctx.lines, found.keyStart, found.keyEnd ?? found.keyStart + 1);
  return spanOf(ctx.file, ctx.lines, found.start, found.end);
}

/** Adds a diagnostic about the field at `path` (relative to the object). */
export function report(
  ctx: ObjectContext,
  code: string,
  severity: Severity,
  path: FieldPath,
  message: string,
  hint?: string,
  anchor: Anchor = "value",
): void {
  const span = spanAt(ctx, path, anchor);
  const d: Diagnostic = { code, severity, message, path: formatPath(path) };
  ctx.diagnostics.push({ ...d, ...(span ? { span } : {}), ...(hint ? { hint } : {}) });
}

/** Formats a field path as Kubernetes prints it: `spec.containers[0].ports[0].hostPort`. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const step of path) {
    if (typeof step === "number") out += `[${step}]`;
    else if (isIdentifier(step)) out += out === "" ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

function isIdentifier(s: string): boolean {
  if (s === "") return false;
  for (const c of s) {
    const ok =
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_";
    if (!ok) return false;
  }
  return true;
}

/** The source text of a one-line scalar at `path`, if it is short enough to quote. */
export function sourceOf(ctx: ObjectContext, path: FieldPath): string | undefined {
  const span = spanAt(ctx, path);
  if (span === undefined || span.endOffset - span.offset > 60) return undefined;
  const text = ctx.text.slice(span.offset, span.endOffset);
  return text.includes("\n") ? undefined : text;
}

/** Describes a plain value for a message: quoted strings, `a list`, `a mapping`, numbers as is. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return quote(value);
  return String(value);
}

/** Quotes a value for a message, shortening long ones so a diagnostic stays one line. */
export function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(short);
}

/** Whether a value is a plain mapping (not null, not a list). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A plain mapping, or undefined if the value is not one. */
export function mapping(v: unknown): Record<string, unknown> | undefined {
  return isMapping(v) ? v : undefined;
}

/** A list, or an empty one if the value is not a list. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Reports `path is required` (missing-field). */
export function reportMissing(ctx: ObjectContext, path: FieldPath): void {
  report(ctx, "missing-field", "error", path, `${formatPath(path)} is required`);
}

/**
 * An error at `path` of a pod that loaded, for the checks that run on loaded pods (across
 * pods, the planner's refusals): located in its file like the loader's own diagnostics.
 */
export function podError(
  doc: PodDocument,
  code: string,
  path: FieldPath,
  message: string,
  hint?: string,
): Diagnostic {
  const span = doc.locate(path);
  return {
    code,
    severity: "error",
    message,
    path: formatPath(path),
    ...(span ? { span } : {}),
    ...(hint ? { hint } : {}),
  };
}
