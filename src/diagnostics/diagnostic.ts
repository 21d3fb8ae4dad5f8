/**
 * A problem found in the user's input: collected and returned, never thrown.
 *
 * `path` is the Kubernetes field path (`spec.containers[0].ports[0].hostPort`);
 * `span` points at the value in the source text.
 */
export type Severity = "error" | "warning";

/** Where a diagnostic points: 1-based line and column, plus the source offset range. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Offsets into the source text, used to draw the caret under the whole value. */
  readonly offset: number;
  readonly endOffset: number;
}

export interface Diagnostic {
  /** A short stable code in kebab case, e.g. `port-range`, `unknown-field`. */
  readonly code: string;
  readonly severity: Severity;
  /** Sentence case, no final period, values quoted. */
  readonly message: string;
  readonly path?: string;
  readonly span?: Span;
  readonly hint?: string;
}

/** Returns whether any diagnostic in the list is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Returns the diagnostics with every warning turned into an error (`--strict`). */
export function strictify(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" } : d));
}
