/**
 * Decoding one chunk as sigs.k8s.io/yaml's YAMLToJSON does: the first document only, refused
 * at its first error; characters go-yaml's reader refuses are errors even past the document's
 * end, where go-yaml may never read them; what follows the end gets a warning.
 */
import { Builder } from "./build.ts";
import { firstDisallowed, isBreak } from "./chars.ts";
import { YamlFailure } from "./failure.ts";
import { locatePath } from "./locate.ts";
import type { Node } from "./nodes.ts";
import { type ParsedDocument, parseDocument } from "./parser.ts";
import { Scanner } from "./scanner.ts";
import type { Chunk } from "./split.ts";
import type { YamlDocument, YamlLocation, YamlProblem, YamlValue } from "./types.ts";

/** A chunk's outcome: its document (absent when refused or null) and its problems. */
export interface ChunkResult {
  readonly document?: YamlDocument;
  readonly problems: YamlProblem[];
}

/** Options of one chunk's decoding. */
export interface ChunkOptions {
  readonly maxDepth: number;
  readonly maxNodes: number;
  /** File offsets of bytes that were not valid UTF-8 (shown as U+FFFD in the text). */
  readonly invalid: readonly number[];
  /** A UTF-16 file whose last byte go-yaml cannot pair: an error once it reads to the end. */
  readonly oddUtf16?: boolean;
}

/** Decodes chunk number `index`. */
export function decodeChunk(chunk: Chunk, index: number, options: ChunkOptions): ChunkResult {
  const problems: YamlProblem[] = [];
  const text = chunk.text;
  // go-yaml's reader drops a byte order mark at the start of its input, so of each chunk.
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const scanner = new Scanner(text, from, text.length);
  const toFile = (offset: number) => chunk.toFile(offset);
  let parsed: ParsedDocument | undefined;
  let failure: YamlFailure | undefined;
  try {
    parsed = parseDocument(scanner, toFile, options.maxDepth, options.maxNodes);
  } catch (error) {
    failure = asFailure(error);
  }
  const stop = parsed?.stop ?? failure?.start ?? text.length;
  const reader = readerProblem(chunk, options, stop);
  if (
    reader !== undefined &&
    (failure === undefined || reader.start <= chunk.toFile(failure.start))
  ) {
    problems.push(reader);
    return { problems };
  }
  if (failure !== undefined) {
    problems.push(fromFailure(failure, toFile));
    return { problems };
  }
  const doc = parsed as ParsedDocument;
  if (options.oddUtf16 === true && doc.atEnd) {
    const at = chunk.toFile(text.length);
    problems.push({
      code: "bad-encoding",
      severity: "error",
      message: "File is not valid UTF-16: incomplete UTF-16 character at the end",
      start: Math.max(0, at - 1),
      end: at,
      hint: "Kubernetes' line splitter adds a byte to a UTF-16 file that does not end in a newline byte; save the file as UTF-8",
    });
    return { problems };
  }
  const ignored = ignoredContent(text, doc);
  if (ignored !== undefined)
    problems.push({
      code: "ignored-content",
      severity: "warning",
      message:
        "Content after the end of the document is ignored: Kubernetes reads one document per chunk",
      start: chunk.toFile(ignored),
      end: chunk.toFile(lineEnd(text, ignored)),
      hint: 'Start another document with a "---" line; "..." ends a document',
    });
  const builder = new Builder(options.maxDepth);
  let value: YamlValue;
  try {
    value = builder.document(doc.root);
  } catch (error) {
    problems.push(fromFailure(asFailure(error), (x) => x));
    return { problems };
  }
  for (const w of builder.warnings()) problems.push(w);
  if (value === null) return { problems };
  return { document: new NodeDocument(index, [chunk.start, chunk.end], value, doc.root), problems };
}

/** A decoded document that can locate its paths in its node tree. */
export class NodeDocument implements YamlDocument {
  constructor(
    readonly index: number,
    readonly range: readonly [number, number],
    readonly value: YamlValue,
    private readonly root: Node | null,
  ) {}

  locate(path: readonly (string | number)[]): YamlLocation | undefined {
    return locatePath(this.root, path);
  }
}

/**
 * A thrown value as a failure. Anything but a YamlFailure is a bug of the decoder; it still
 * becomes a problem, because decoding must never throw for any input.
 */
export function asFailure(error: unknown): YamlFailure {
  if (error instanceof YamlFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new YamlFailure(
    "yaml-syntax",
    `Document could not be decoded (a kplay bug): ${message}`,
    0,
    0,
  );
}

/** A failure as a problem, its offsets mapped to the file. */
export function fromFailure(f: YamlFailure, toFile: (offset: number) => number): YamlProblem {
  const start = toFile(f.start);
  const problem: YamlProblem = {
    code: f.code,
    severity: "error",
    message: f.message,
    start,
    end: Math.max(toFile(f.end), start),
  };
  return f.hint === undefined ? problem : { ...problem, hint: f.hint };
}

/** The first character go-yaml's reader refuses in the chunk, as a problem. */
function readerProblem(chunk: Chunk, options: ChunkOptions, stop: number): YamlProblem | undefined {
  const local = firstDisallowed(chunk.text, 0, chunk.text.length);
  const invalid =
    options.invalid.length === 0
      ? undefined
      : options.invalid.find((o) => o >= chunk.start && o < chunk.end);
  const at =
    local === -1 ? invalid : Math.min(chunk.toFile(local), invalid ?? Number.POSITIVE_INFINITY);
  if (at === undefined) return undefined;
  const after = at >= chunk.toFile(stop);
  const where = after
    ? ", after the end of the document (Kubernetes may not read that far, kplay refuses it anyway)"
    : "";
  if (at === invalid)
    return {
      code: "bad-encoding",
      severity: "error",
      message: `File is not valid UTF-8: invalid byte sequence${where}`,
      start: at,
      end: at + 1,
      hint: "Save the file as UTF-8",
    };
  const code = chunk.text.charCodeAt(local);
  const shown = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0)
    return {
      code: "binary-file",
      severity: "error",
      message: `File is binary: it contains a NUL byte${where}`,
      start: at,
      end: at + 1,
      hint: "kplay reads Kubernetes YAML text",
    };
  return {
    code: "control-character",
    severity: "error",
    message: `Control character ${shown} is not allowed in YAML${where}`,
    start: at,
    end: at + 1,
    hint: "YAML allows tab, line breaks and printable characters only; write it as an escape in a double-quoted string",
  };
}

/** The chunk offset of the first content past the document's end, if there is any. */
function ignoredContent(text: string, doc: ParsedDocument): number | undefined {
  if (doc.atEnd) return undefined;
  let i = doc.stop;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || isBreak(c)) i++;
    else if (c === 35) {
      while (i < text.length && !isBreak(text.charCodeAt(i))) i++;
    } else return i;
  }
  return undefined;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isBreak(text.charCodeAt(i))) i++;
  return i;
}
