/**
 * A file's text to Kubernetes' documents: the JSON sniff of YAMLOrJSONDecoder (a stream whose
 * first non-space byte, within 4096, is `{` is read as JSON values until one fails; if no
 * more than one succeeded, the rest is read as YAML after its leading whitespace), then the
 * `---` splitter, then each chunk as YAMLToJSON reads it.
 */
import { Builder } from "./build.ts";
import { asFailure, type ChunkOptions, decodeChunk, fromFailure, NodeDocument } from "./chunk.ts";
import { isJsonSpace, readJson } from "./json.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { type Chunk, isGoSpace, splitDocuments } from "./split.ts";
import type { YamlDecoded, YamlDocument, YamlLimits, YamlProblem } from "./types.ts";

/** How a text came to be, for the rules that depend on its bytes. */
export interface TextOrigin {
  /** File offsets of bytes that were not valid UTF-8. */
  readonly invalid?: readonly number[];
  /** The text is UTF-16: Kubernetes' splitter sees no `---` in it, nor JSON. */
  readonly utf16?: { readonly oddLength: boolean };
}

/** Decodes every document of a file's text as Kubernetes does; never throws. */
export function decodeYamlText(
  text: string,
  limits: YamlLimits = {},
  origin: TextOrigin = {},
): YamlDecoded {
  const maxDepth = limits.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const maxProblems = limits.maxProblems ?? DEFAULT_LIMITS.maxProblems;
  const options: ChunkOptions = {
    maxDepth,
    maxNodes: limits.maxNodes ?? DEFAULT_LIMITS.maxNodes,
    invalid: origin.invalid ?? [],
    ...(origin.utf16?.oddLength === true ? { oddUtf16: true } : {}),
  };
  const documents: YamlDocument[] = [];
  const problems: YamlProblem[] = [];
  let index = 0;
  let from = 0;
  if (origin.utf16 === undefined && looksLikeJson(text)) {
    const json = decodeJsonStream(text, options, documents, problems);
    index = json.count;
    if (json.yamlFrom === undefined) return capped(documents, problems, maxProblems);
    from = json.yamlFrom;
  }
  const split: { chunks: Chunk[]; badSeparator?: { start: number; end: number; rest: string } } =
    origin.utf16 !== undefined ? { chunks: [wholeText(text)] } : splitDocuments(text, from);
  for (const chunk of split.chunks) {
    const result = decodeChunk(chunk, index++, options);
    if (result.document !== undefined) documents.push(result.document);
    for (const p of result.problems) problems.push(p);
  }
  const bad = split.badSeparator;
  if (bad !== undefined)
    problems.push({
      code: "yaml-syntax",
      severity: "error",
      message: `Invalid document separator: "---" is followed by "${bad.rest}"`,
      start: bad.start,
      end: bad.end,
      hint: 'Kubernetes cuts documents at lines starting with "---" and allows only a comment after it; put the content on the next line',
    });
  return capped(documents, problems, maxProblems);
}

/** A UTF-16 text is one chunk: Kubernetes splits bytes, and UTF-16 has no "---" byte line. */
function wholeText(text: string): Chunk {
  return {
    start: 0,
    end: text.length,
    text,
    toFile: (offset: number) => Math.min(offset, text.length),
  };
}

/** kubectl's sniff: the first non-space character within 4096 bytes is `{`. */
function looksLikeJson(text: string): boolean {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) return bytes < 4096;
    if (!isGoSpace(c)) return false;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes >= 4096) return false;
  }
  return false;
}

/** Reads JSON values; returns how many, and where YAML takes over if it does. */
function decodeJsonStream(
  text: string,
  options: ChunkOptions,
  documents: YamlDocument[],
  problems: YamlProblem[],
): { count: number; yamlFrom?: number } {
  let count = 0;
  let pos = 0;
  for (;;) {
    let next = pos;
    while (isJsonSpace(text.charCodeAt(next))) next++;
    if (next >= text.length) return { count };
    const read = readJson(text, pos, options.maxNodes);
    if (!read.ok && read.tooMany === true) {
      problems.push({
        code: "too-many-nodes",
        severity: "error",
        message: `Document has too many JSON values: more than ${options.maxNodes}`,
        start: read.at,
        end: read.at + 1,
      });
      return { count };
    }
    if (read.ok) {
      const builder = new Builder(options.maxDepth);
      const invalid = options.invalid.find((o) => o >= read.node.start && o < read.end);
      if (invalid !== undefined)
        problems.push({
          code: "bad-encoding",
          severity: "error",
          message: "File is not valid UTF-8: invalid byte sequence in a JSON document",
          start: invalid,
          end: invalid + 1,
          hint: "Save the file as UTF-8",
        });
      else
        try {
          const value = builder.document(read.node);
          if (value !== null)
            documents.push(new NodeDocument(count, [read.node.start, read.end], value, read.node));
        } catch (error) {
          problems.push(fromFailure(asFailure(error), (x) => x));
        }
      count++;
      pos = read.end;
      continue;
    }
    const failed: YamlProblem = {
      code: "yaml-syntax",
      severity: "error",
      message: `Invalid JSON: ${read.message}`,
      start: read.at,
      end: read.at + 1,
      hint: "A file that starts with { is read as JSON first, as kubectl does",
    };
    if (count > 1) {
      problems.push(failed);
      return { count };
    }
    const yamlFrom = whitespaceBeforeYaml(text, pos);
    if (yamlFrom === undefined) {
      problems.push(failed);
      return { count };
    }
    // The JSON documents read so far stand; the rest is YAML.
    return { count, yamlFrom };
  }
}

/**
 * YAMLOrJSONDecoder.consumeWhitespace: skips spaces up to and including the first "\n";
 * undefined where kubectl gives up (fewer than 4 bytes left, or a U+FFFD).
 */
function whitespaceBeforeYaml(text: string, from: number): number | undefined {
  let pos = from;
  for (;;) {
    let bytes = 0;
    for (let i = pos; i < text.length && bytes < 4; i++) {
      const c = text.charCodeAt(i);
      bytes +=
        c < 0x80
          ? 1
          : c < 0x800
            ? 2
            : c >= 0xd800 && c <= 0xdbff
              ? 4
              : c >= 0xdc00 && c <= 0xdfff
                ? 0
                : 3;
    }
    if (bytes < 4) return undefined;
    const c = text.charCodeAt(pos);
    if (c === 0xfffd) return undefined;
    if (!isGoSpace(c)) return pos;
    pos++;
    if (c === 10) return pos;
  }
}

/** Keeps the first `max` problems in source order, plus one that says how many were left out. */
function capped(documents: YamlDocument[], problems: YamlProblem[], max: number): YamlDecoded {
  problems.sort((a, b) => a.start - b.start);
  if (problems.length <= max) return { documents, problems };
  const shown = problems.slice(0, max);
  const first = problems[max] as YamlProblem;
  const errors = problems.slice(max).some((p) => p.severity === "error");
  shown.push({
    code: "too-many-problems",
    severity: errors ? "error" : "warning",
    message: `${problems.length - max} more YAML problems not shown`,
    start: first.start,
    end: first.end,
  });
  return { documents, problems: shown };
}
