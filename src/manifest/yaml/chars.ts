/**
 * Character classes of go-yaml's scanner, on UTF-16 code units. A line break is LF, CR, NEL,
 * LS or PS (CR LF counts once); "z" is the end of the text, which go-yaml sees as NUL.
 */

/** Code units used by name. */
export const C = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  nel: 0x85,
  ls: 0x2028,
  ps: 0x2029,
  bom: 0xfeff,
} as const;

/** Whether `c` is a line break. */
export function isBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** Whether `c` is a space or a tab. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Whether `c` (-1 at the end of the text) is a blank, a break or the end. */
export function isBlankZ(c: number): boolean {
  return c === 32 || c === 9 || c === -1 || isBreak(c);
}

/** Whether `c` (-1 at the end) is a break or the end. */
export function isBreakZ(c: number): boolean {
  return c === -1 || isBreak(c);
}

/** go-yaml's is_alpha: ASCII letters, digits, `_` and `-` (anchor names, tag handles). */
export function isAlpha(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45
  );
}

/** Whether `c` is an ASCII hexadecimal digit. */
export function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** The value of a hexadecimal digit. */
export function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** Characters a tag URI may hold besides is_alpha ones (go-yaml's list, with `%`). */
const URI_EXTRA = new Set(Array.from(";/?:@&=+$,.!~*'()[]%", (s) => s.charCodeAt(0)));

/** Whether `c` may appear in a tag URI. */
export function isUriChar(c: number): boolean {
  return isAlpha(c) || URI_EXTRA.has(c);
}

/**
 * The first character go-yaml's reader refuses (it allows tab, LF, CR, #x20-#x7E, NEL,
 * #xA0-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF), as an offset, or -1.
 */
export function firstDisallowed(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if (c === 10 || c === 13 || c === 9 || c === 0x85) continue;
    if (c >= 0xa0 && c <= 0xd7ff) continue;
    if (c >= 0xe000 && c <= 0xfffd) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}
