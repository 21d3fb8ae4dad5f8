/**
 * The manifest stage: bytes in, validated Pods and diagnostics out. No network, no Podman.
 *
 * decode (size, binary, UTF-8) -> parse (YAML with positions) -> plain value (bounded aliases)
 * -> per object: kind -> fields and support -> typed model -> Kubernetes rules.
 */
import { type Diagnostic, hasErrors, strictify } from "../diagnostics/diagnostic.ts";
import { type ObjectContext, spanAt } from "./context.ts";
import { refuseSource } from "./decode.ts";
import { MAX_DIAGNOSTICS_PER_FILE } from "./limits.ts";
import { LineIndex } from "./lines.ts";
import type { PodDocument } from "./model.ts";
import { checkObject } from "./object.ts";
import type { KubeObject } from "./objects.ts";
import { redactSecrets } from "./redact.ts";
import { checkReferences } from "./references.ts";
import type { SourceFile } from "./source.ts";
import { spanOf } from "./span.ts";
import { toObject } from "./to-object.ts";
import { decodeYamlBytes, type YamlProblem } from "./yaml/index.ts";

/** Options of `loadManifests`. */
export interface LoadOptions {
  /** Turn warnings (ignored fields, …) into errors. */
  readonly strict?: boolean;
  /** The namespace of objects that name none (`-n`); `default` unless set. */
  readonly namespace?: string;
}

/** What `loadManifests` returns: Pods, every diagnostic, and the texts to render them with. */
export interface LoadResult {
  /** Valid Pods, in input order (file order, then document order). Empty if any error. */
  readonly pods: PodDocument[];
  /** The Pods that are valid themselves, even when other documents have errors. */
  readonly validPods: PodDocument[];
  /** Valid workloads, ConfigMaps, Secrets and claims, in input order. Empty if any error. */
  readonly objects: KubeObject[];
  /** The objects that are valid themselves, even when other documents have errors. */
  readonly validObjects: KubeObject[];
  /** Every problem found across all files and documents, in input order. */
  readonly diagnostics: Diagnostic[];
  /** Decoded text per file name, so diagnostics can be rendered with a source frame. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Loads, parses and validates every document of every file; never throws for bad input. */
export function loadManifests(files: readonly SourceFile[], options: LoadOptions = {}): LoadResult {
  const pods: PodDocument[] = [];
  const objects: KubeObject[] = [];
  const defaultNamespace = options.namespace ?? "default";
  let diagnostics: Diagnostic[] = [];
  const texts = new LazyTexts();
  let documents = 0;
  let position = 0;
  for (const file of files) {
    const refused = refuseSource(file);
    if (refused) {
      diagnostics.push(refused);
      continue;
    }
    const first = diagnostics.length;
    const decoded = decodeYamlBytes(file.bytes);
    const lines = new LineIndex(decoded.text);
    texts.defer(file.name, () => redactSecrets(decoded.text, decoded.documents));
    for (const p of decoded.problems) diagnostics.push(problemDiagnostic(file.name, lines, p));
    for (const doc of decoded.documents) {
      documents++;
      const ctx: ObjectContext = {
        file: file.name,
        text: decoded.text,
        doc,
        lines,
        prefix: [],
        diagnostics,
      };
      for (const found of checkObject(ctx, doc.value)) {
        const at: ObjectContext = { ...ctx, prefix: found.prefix };
        const locate: PodDocument["locate"] = (path) => spanAt(at, path);
        const source = {
          file: file.name,
          dir: file.dir,
          documentIndex: doc.index,
          position: position++,
          locate,
        };
        if (found.kind === "Pod") {
          const namespace = found.pod.metadata.namespace ?? defaultNamespace;
          pods.push({ pod: found.pod, namespace, ...source });
        } else {
          objects.push(toObject(found, defaultNamespace, source));
        }
      }
    }
    sortBySpan(diagnostics, first);
    capDiagnostics(diagnostics, first, file.name);
  }
  if (documents === 0 && diagnostics.length === 0) diagnostics.push(noObjects(files));
  if (!hasErrors(diagnostics)) diagnostics.push(...checkReferences(pods, objects));
  if (options.strict === true) diagnostics = strictify(diagnostics);
  const failed = hasErrors(diagnostics);
  return {
    pods: failed ? [] : pods,
    validPods: pods,
    objects: failed ? [] : objects,
    validObjects: objects,
    diagnostics,
    texts,
  };
}

/**
 * The texts diagnostics are rendered with, each masked (redact.ts) when it is first read: the
 * masking splits and scans the whole file again, and a file without diagnostics is never read.
 */
class LazyTexts implements ReadonlyMap<string, string> {
  /** A text, or what makes it; one map, so the order is that of Map.set as before. */
  private readonly texts = new Map<string, string | (() => string)>();

  defer(name: string, text: () => string): void {
    this.texts.set(name, text);
  }

  get(name: string): string | undefined {
    const text = this.texts.get(name);
    if (typeof text !== "function") return text;
    const made = text();
    this.texts.set(name, made);
    return made;
  }

  has(name: string): boolean {
    return this.texts.has(name);
  }

  get size(): number {
    return this.texts.size;
  }

  forEach(f: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.entries()) f(v, k, this);
  }

  *entries(): MapIterator<[string, string]> {
    for (const k of [...this.texts.keys()]) yield [k, this.get(k) as string];
  }

  keys(): MapIterator<string> {
    return this.texts.keys();
  }

  *values(): MapIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * Nothing to do is a mistake, as `kubectl apply` says "no objects passed to apply": an empty
 * stdin (a closed one reads as empty) or a file of comments must not pass as success.
 */
function noObjects(files: readonly SourceFile[]): Diagnostic {
  const names = files.map((f) => f.name);
  const where = names.length === 1 ? (names[0] ?? "") : `any of ${names.length} inputs`;
  const first = files[0];
  return {
    code: "no-objects",
    severity: "error",
    message: `No Kubernetes objects in ${where}: it is empty or only comments`,
    ...(first ? { span: { file: first.name, line: 1, column: 1, offset: 0, endOffset: 0 } } : {}),
  };
}

/** Sorts one file's diagnostics (from index `first` on) into source order; the sort is stable. */
function sortBySpan(diagnostics: Diagnostic[], first: number): void {
  const sorted = diagnostics
    .slice(first)
    .sort((a, b) => (a.span?.offset ?? -1) - (b.span?.offset ?? -1));
  diagnostics.splice(first, sorted.length, ...sorted);
}

/** A decoder problem as a diagnostic of the file. */
function problemDiagnostic(file: string, lines: LineIndex, p: YamlProblem): Diagnostic {
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    span: spanOf(file, lines, p.start, Math.max(p.end, p.start + 1)),
    ...(p.hint ? { hint: p.hint } : {}),
  };
}

/**
 * Most diagnostics told per file: a file of 19 000 bad labels must not print 19 000 errors
 * (nor take seconds to); past the cap, one summary line says how many more, at the first of
 * them.
 */
function capDiagnostics(diagnostics: Diagnostic[], first: number, file: string): void {
  const extra = diagnostics.length - first - MAX_DIAGNOSTICS_PER_FILE;
  if (extra <= 0) return;
  const next = diagnostics[first + MAX_DIAGNOSTICS_PER_FILE];
  const dropped = diagnostics.splice(first + MAX_DIAGNOSTICS_PER_FILE);
  const errors = dropped.filter((d) => d.severity === "error").length;
  diagnostics.push({
    code: "too-many-problems",
    severity: errors > 0 ? "error" : "warning",
    message: `${extra} more problems in ${file} not shown (${errors} errors)`,
    ...(next?.span ? { span: next.span } : {}),
    hint: "Fix the ones shown first; the rest are often the same mistake repeated",
  });
}
