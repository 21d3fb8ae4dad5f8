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
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const size =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    let ok = size > 0 && i + size <= bytes.length;
    let ch = "";
    if (ok) {
      try {
        ch = decoder.decode(bytes.subarray(i, i + size));
      } catch {
        ok = false;
      }
    }
    if (ok) {
      out += ch;
      i += size;
    } else {
      invalid.push(out.length);
      out += "\ufffd";
      i++;
    }
  }
  return out;
}

/** UTF-16 with go-yaml's checks; Kubernetes' splitter sees the bytes, so some files break. */
function fromUtf16(bytes: Uint8Array, little: boolean, limits: YamlLimits): YamlBytesDecoded {
  let text = "";
  const problems: YamlProblem[] = [];
  let bad: string | undefined;
  for (let i = 2; i + 1 < bytes.length; i += 2) {
    const u = little
      ? (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8)
      : ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    if (
      u >= 0xdc00 &&
      u <= 0xdfff &&
      !(text.length > 0 && isHigh(text.charCodeAt(text.length - 1)))
    )
      bad ??= "unexpected low surrogate area";
    text += String.fromCharCode(u);
  }
  // The splitter turns a "\r\n" byte pair into "\n" and cuts lines at "---" bytes.
  for (let i = 2; i + 1 < bytes.length; i++)
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a)
      bad ??= "a 0D 0A byte pair that Kubernetes' line splitter shortens";
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
  const oddLength = bytes[bytes.length - 1] !== 0x0a || bytes.length % 2 === 1;
  return { text, ...decodeYamlText(text, limits, { utf16: { oddLength } }) };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
