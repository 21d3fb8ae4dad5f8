/**
 * Go's handling of byte strings that go-yaml produces from `!!binary`: base64 decoding as
 * encoding/base64.StdEncoding.DecodeString does (padding required, CR and LF ignored), and
 * the UTF-8 decoding json.Marshal applies (each invalid byte becomes U+FFFD).
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUE = new Map(Array.from(ALPHABET, (c, i) => [c.charCodeAt(0), i]));

/** Decodes standard, padded base64; undefined where Go reports corrupt input. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const src = text.replace(/[\r\n]/g, "");
  if (src.length % 4 !== 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < src.length; i += 4) {
    const q = [0, 0, 0, 0];
    let n = 0;
    for (; n < 4; n++) {
      const c = src.charCodeAt(i + n);
      if (c === 61 /* = */) break;
      const v = VALUE.get(c);
      if (v === undefined) return undefined;
      q[n] = v;
    }
    if (n < 4) {
      // Padding: "xx==" or "xxx=", and nothing after it.
      if (n < 2 || i + 4 !== src.length) return undefined;
      for (let k = n; k < 4; k++) if (src.charCodeAt(i + k) !== 61) return undefined;
    }
    const [a = 0, b = 0, c = 0, d = 0] = q;
    out.push(((a << 2) | (b >> 4)) & 0xff);
    if (n > 2) out.push(((b << 4) | (c >> 2)) & 0xff);
    if (n > 3) out.push(((c << 6) | d) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Bytes to a string as Go's json.Marshal writes them: every invalid byte is U+FFFD. */
export function goStringFromBytes(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i] ?? 0;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const [size, min, lo, hi] =
      b0 >= 0xc2 && b0 <= 0xdf
        ? [2, 0x80, 0x80, 0xbf]
        : b0 === 0xe0
          ? [3, 0x800, 0xa0, 0xbf]
          : b0 === 0xed
            ? [3, 0x800, 0x80, 0x9f]
            : b0 >= 0xe1 && b0 <= 0xef
              ? [3, 0x800, 0x80, 0xbf]
              : b0 === 0xf0
                ? [4, 0x10000, 0x90, 0xbf]
                : b0 === 0xf4
                  ? [4, 0x10000, 0x80, 0x8f]
                  : b0 >= 0xf1 && b0 <= 0xf3
                    ? [4, 0x10000, 0x80, 0xbf]
                    : [0, 0, 0, 0];
    let code = size === 2 ? b0 & 0x1f : size === 3 ? b0 & 0x0f : b0 & 0x07;
    let ok = size > 0 && i + size <= bytes.length;
    for (let k = 1; ok && k < size; k++) {
      const b = bytes[i + k] ?? 0;
      const [l, h] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (b < l || b > h) ok = false;
      else code = (code << 6) | (b & 0x3f);
    }
    if (!ok || code < min) {
      out += "\ufffd";
      i++;
    } else {
      out += String.fromCodePoint(code);
      i += size;
    }
  }
  return out;
}
