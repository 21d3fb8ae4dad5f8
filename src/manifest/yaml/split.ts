/**
 * Kubernetes' document splitter (apimachinery YAMLReader over LineReader): the text is cut
 * into lines ending in "\n" ("\r\n" loses its "\r", a last line without "\n" gets one), and a
 * line that starts with `---` ends the chunk when only spaces or a `#` comment follow; any
 * other text after `---` is an error that stops the file. The separator that ends a chunk
 * belongs to no chunk, but one that finds the chunk still empty (the file's first line, or
 * right after another separator) is kept as its first line: go-yaml then sees an explicit
 * document start, so `---` followed by `%YAML 1.2` is an empty document, not an error.
 */

/** One chunk: its text as go-yaml gets it, and the way back to file offsets. */
export interface Chunk {
  /** File offsets of the chunk's first and last line (the end excludes a final "\n"). */
  readonly start: number;
  readonly end: number;
  /** The chunk as go-yaml reads it: CR LF as LF, always ending in "\n". */
  readonly text: string;
  /** File offset of a chunk offset. */
  toFile(offset: number): number;
}

/** What the splitter makes of a text. */
export interface Split {
  readonly chunks: Chunk[];
  /** The separator line that stopped the file, with its text after `---` trimmed. */
  readonly badSeparator?: { readonly start: number; readonly end: number; readonly rest: string };
}

/** Whether `c` is a space for Go's unicode.IsSpace. */
export function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Splits `text` from offset `from`. */
export function splitDocuments(text: string, from = 0): Split {
  const chunks: Chunk[] = [];
  let chunkStart = -1;
  let pos = from;
  const close = (end: number) => {
    if (chunkStart >= 0) chunks.push(makeChunk(text, chunkStart, end));
    chunkStart = -1;
  };
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const next = nl === -1 ? text.length : nl + 1;
    if (text.startsWith("---", pos)) {
      let lineEnd = nl === -1 ? text.length : nl;
      if (nl !== -1 && text.charCodeAt(lineEnd - 1) === 13 && lineEnd - 1 >= pos + 3) lineEnd--;
      let i = pos + 3;
      while (i < lineEnd && isGoSpace(text.charCodeAt(i))) i++;
      if (i < lineEnd && text[i] !== "#") {
        let j = lineEnd;
        while (j > i && isGoSpace(text.charCodeAt(j - 1))) j--;
        close(pos);
        return { chunks, badSeparator: { start: pos, end: lineEnd, rest: text.slice(i, j) } };
      }
      if (chunkStart < 0) chunkStart = pos;
      else close(pos);
    } else if (chunkStart < 0) chunkStart = pos;
    pos = next;
  }
  close(text.length);
  return { chunks };
}

/** A chunk; a class, not a closure, because a file may have millions of them. */
class TextChunk implements Chunk {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly text: string,
    /** Chunk offsets at which a "\r" of "\r\n" was removed, or undefined. */
    private readonly removed: number[] | undefined,
    /** Where the file's chunk ends (a clamp for the appended "\n"). */
    private readonly limit: number,
  ) {}

  toFile(offset: number): number {
    const removed = this.removed;
    if (removed === undefined) return Math.min(this.start + offset, this.limit);
    let lo = 0;
    let hi = removed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((removed[mid] ?? 0) < offset) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(this.start + offset + lo, this.limit);
  }
}

function makeChunk(text: string, start: number, end: number): Chunk {
  let body = text.slice(start, end);
  const open = text.charCodeAt(end - 1) !== 10;
  let removed: number[] | undefined;
  if (body.includes("\r\n")) {
    removed = [];
    let out = "";
    let from = 0;
    for (let i = body.indexOf("\r\n"); i !== -1; i = body.indexOf("\r\n", i + 2)) {
      out += body.slice(from, i);
      removed.push(out.length);
      from = i + 1;
    }
    body = out + body.slice(from);
  }
  return new TextChunk(start, open ? end : end - 1, open ? `${body}\n` : body, removed, end);
}
