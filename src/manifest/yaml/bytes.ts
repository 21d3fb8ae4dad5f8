/**
 * A file's bytes to text the way go-yaml's reader decodes them: a UTF-16LE or UTF-16BE byte
 * order mark selects UTF-16 (go-yaml decodes it; kplay does not call it binary), anything
 * else is UTF-8, whose BOM go-yaml drops. Invalid bytes become U+FFFD in the text and are
 * reported where they are, so that a problem can point at them.
 */
import { decodeYamlText } from "./decode.ts";
import type { YamlDecoded, YamlLimits, YamlProblem } from "./types.ts";

/** What decoding bytes gives: the text (for rendering) as well as the documents. */
export interface YamlBytesDecoded extends YamlDecoded {
  /** The decoded text, which every offset refers to. */
  readonly text: string;
}

/** Decodes a file's bytes as Kubernetes does; never throws. */
export function decodeYamlBytes(bytes: Uint8Array, limits: YamlLimits = {}): YamlBytesDecoded {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))
    return fromUtf16(bytes, b0 === 0xff, limits);
  let text: string;
  const invalid: number[] = [];
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = decodeLoosely(bytes, invalid);
  }
  return { text, ...decodeYamlText(text, limits, { invalid }) };
}

/** UTF-8 with each invalid byte as U+FFFD, noting its text offset. */
function decodeLoosely(bytes: Uint8Array, invalid: number[]): string {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let out = "";
  let span = 0;
  let i = 0;
  while (i < bytes.length) {
    const size = validSequence(bytes, i);
    if (size > 0) {
      i += size;
      continue;
    }
    out += decoder.decode(bytes.subarray(span, i));
    invalid.push(out.length);
    out += "\ufffd";
    i++;
    span = i;
  }
  return out + decoder.decode(bytes.subarray(span));
}

/** Length of the valid UTF-8 sequence at `i`, or 0. */
function validSequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  const [size, lo, hi] =
    b >= 0xc2 && b <= 0xdf
      ? [2, 0x80, 0xbf]
      : b === 0xe0
        ? [3, 0xa0, 0xbf]
        : b === 0xed
          ? [3, 0x80, 0x9f]
          : b >= 0xe1 && b <= 0xef
            ? [3, 0x80, 0xbf]
            : b === 0xf0
              ? [4, 0x90, 0xbf]
              : b === 0xf4
                ? [4, 0x80, 0x8f]
                : b >= 0xf1 && b <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : [0, 0, 0];
  if (size === 0 || i + size > bytes.length) return 0;
  const b1 = bytes[i + 1] ?? 0;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < size; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return 0;
  return size;
}

/** UTF-16 with go-yaml's checks; Kubernetes' splitter sees the bytes, so some files break. */
function fromUtf16(file: Uint8Array, little: boolean, limits: YamlLimits): YamlBytesDecoded {
  // Kubernetes' splitter reads lines of bytes: "\r\n" (0D 0A) becomes "\n", and the last
  // line ends with a "\n" byte. In UTF-16 that shifts or adds bytes; go-yaml gets the result.
  const kept: number[] = [];
  for (let i = 0; i < file.length; i++) {
    if (file[i] === 0x0d && file[i + 1] === 0x0a) continue;
    kept.push(file[i] ?? 0);
  }
  if (kept[kept.length - 1] !== 0x0a) kept.push(0x0a);
  const bytes = kept.length === file.length ? file : Uint8Array.from(kept);
  const problems: YamlProblem[] = [];
  let bad: string | undefined;
  let text = "";
  try {
    const even = bytes.subarray(2, bytes.length - (bytes.length % 2));
    text = new TextDecoder(little ? "utf-16le" : "utf-16be", {
      fatal: true,
      ignoreBOM: true,
    }).decode(even);
  } catch {
    bad = "an unpaired surrogate";
    text = new TextDecoder(little ? "utf-16le" : "utf-16be", { ignoreBOM: true }).decode(
      bytes.subarray(2),
    );
  }
  for (let i = 0; i + 3 < bytes.length; i++)
    if (
      (i === 0 || bytes[i - 1] === 0x0a) &&
      bytes[i] === 0x2d &&
      bytes[i + 1] === 0x2d &&
      bytes[i + 2] === 0x2d
    )
      bad ??= 'a line of bytes that starts with "---", where Kubernetes\' splitter cuts';
  if (bad !== undefined) {
    problems.push({
      code: "bad-encoding",
      severity: "error",
      message: `File is not valid UTF-16 as Kubernetes reads it: ${bad}`,
      start: 0,
      end: 1,
      hint: "Save the file as UTF-8",
    });
    return { text, documents: [], problems };
  }
  const oddLength = bytes.length % 2 === 1;
  return { text, ...decodeYamlText(text, limits, { utf16: { oddLength } }) };
}
