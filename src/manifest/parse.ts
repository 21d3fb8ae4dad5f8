/**
 * Parsing stage: text to YAML documents with source positions, and YAML-level problems
 * (syntax, tabs, duplicate keys, excessive nesting) as diagnostics.
 *
 * Kubernetes decodes YAML as go-yaml v2 does, which is YAML 1.1: `yes`/`on` are booleans and
 * `0644` is octal. yaml's 1.1 schema matches that except for timestamps and sexagesimal
 * numbers, which go-yaml leaves as strings, so those two tags are dropped.
 */
import { type Document, LineCounter, parseAllDocuments, type YAMLError } from "yaml";
import type { Diagnostic, Span } from "../diagnostics/diagnostic.ts";
import { acceptQuoteEscapes } from "./go-yaml.ts";
import { MAX_DOCUMENTS, MAX_NESTING_DEPTH, MAX_NODES } from "./limits.ts";
import { type Excess, prescan } from "./prescan.ts";
import { spanOf } from "./span.ts";
import { checkKubernetesYaml } from "./yaml-checks.ts";

/** One file's YAML documents, with what turns offsets into line:column. */
export interface ParsedFile {
  readonly documents: Document.Parsed[];
  readonly lineCounter: LineCounter;
  readonly diagnostics: Diagnostic[];
  /** Indexes of documents whose YAML is too damaged to validate. */
  readonly broken: ReadonlySet<number>;
}

/** Most YAML errors reported per file: after a syntax error the rest are usually its echoes. */
const MAX_YAML_ERRORS = 20;

/** Parses every YAML document of a file; YAML problems come back as diagnostics. */
export function parseYaml(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const excess = prescan(text);
  if (excess !== undefined) {
    const { line, column, offset } = excess;
    const span = {
      file,
      line,
      column,
      offset,
      endOffset: offset + (excess.kind === "documents" ? 3 : 1),
    };
    return {
      documents: [],
      lineCounter,
      diagnostics: [tooMuch(excess.kind, span)],
      broken: new Set(),
    };
  }
  const documents = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    version: "1.1",
    // Duplicate keys are found by yaml-checks.ts in linear time.
    uniqueKeys: false,
    // Problems are collected as diagnostics; yaml must not print to the console itself.
    logLevel: "silent",
    customTags: (tags) => tags.filter((t) => typeof t === "string" || !isGoYamlString(t)),
  });
  const diagnostics: Diagnostic[] = [];
  const list = "empty" in documents ? [] : documents;
  for (const doc of list) acceptQuoteEscapes(doc, text);
  for (const doc of list) {
    for (const error of doc.errors)
      diagnostics.push(toDiagnostic(file, lineCounter, error, "error"));
    for (const warning of doc.warnings)
      diagnostics.push(toDiagnostic(file, lineCounter, warning, "warning"));
  }
  const damaged = checkKubernetesYaml(file, text, lineCounter, list, diagnostics);
  list.forEach((doc, i) => {
    if (doc.errors.length > 0) damaged.add(i);
  });
  if (diagnostics.length > MAX_YAML_ERRORS) {
    const more = diagnostics.length - MAX_YAML_ERRORS;
    diagnostics.length = MAX_YAML_ERRORS;
    diagnostics.push({
      code: "yaml-syntax",
      severity: "error",
      message: `${more} more YAML problems not shown`,
    });
  }
  return { documents: list, lineCounter, diagnostics, broken: damaged };
}

/** The diagnostic for a file the pre-scan refuses before parsing. */
function tooMuch(kind: Excess["kind"], span: Span): Diagnostic {
  switch (kind) {
    case "depth":
      return {
        code: "too-deep",
        severity: "error",
        message: `Document nests too deeply: more than ${MAX_NESTING_DEPTH} levels`,
        span,
      };
    case "nodes": {
      const hint = "A Pod manifest has a few hundred; split the input into several files";
      return {
        code: "too-many-nodes",
        severity: "error",
        message: `File has too many YAML nodes: more than ${MAX_NODES}`,
        span,
        hint,
      };
    }
    case "documents":
      return {
        code: "too-many-documents",
        severity: "error",
        message: `File has too many YAML documents: more than ${MAX_DOCUMENTS}`,
        span,
      };
  }
}

/** go-yaml v2 reads timestamps and sexagesimal numbers (`1:20`) as plain strings. */
function isGoYamlString(tag: { tag: string; format?: string }): boolean {
  return tag.tag === "tag:yaml.org,2002:timestamp" || tag.format === "TIME";
}

function toDiagnostic(
  file: string,
  lc: LineCounter,
  e: YAMLError,
  severity: Diagnostic["severity"],
): Diagnostic {
  const [start, end] = e.pos;
  const span = spanOf(file, lc, start, Math.max(end, start + 1));
  switch (e.code) {
    case "TAB_AS_INDENT":
      return {
        code: "tab-indent",
        severity,
        message: "Tab character used for indentation",
        span,
        hint: "YAML indents with spaces only",
      };
    case "RESOURCE_EXHAUSTION":
      return { code: "too-deep", severity, message: "Document nests too deeply", span };
    default:
      return {
        code: "yaml-syntax",
        severity,
        message: `Invalid YAML: ${lowerFirst(e.message.replace(/\.$/, ""))}`,
        span,
      };
  }
}

function lowerFirst(s: string): string {
  return s.length > 1 && s[1] !== s[1]?.toUpperCase() ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
