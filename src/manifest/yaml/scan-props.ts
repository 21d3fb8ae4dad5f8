/** Scanning anchors, aliases, tags and directives (`&a`, `*a`, `!!str`, `%YAML 1.1`). */
import {
  hexValue,
  isAlpha,
  isBlank,
  isBlankZ,
  isBreak,
  isBreakZ,
  isHex,
  isUriChar,
} from "./chars.ts";
import { syntaxError } from "./failure.ts";
import type { Scanner } from "./scanner.ts";
import { TK, type Token, type TokenKind, token } from "./tokens.ts";

/** Characters that may end an anchor or alias name besides blanks. */
const AFTER_ANCHOR = new Set(Array.from("?:,]}%@`", (c) => c.charCodeAt(0)));

/** Scans `&name` or `*name`. */
export function scanAnchor(s: Scanner, kind: TokenKind): Token {
  const start = s.pos++;
  while (isAlpha(s.at(s.pos))) s.pos++;
  const name = s.text.slice(start + 1, s.pos);
  const next = s.at(s.pos);
  if (name === "" || !(isBlankZ(next) || AFTER_ANCHOR.has(next))) {
    const what = kind === TK.Anchor ? "anchor" : "alias";
    syntaxError(
      `did not find expected alphabetic or numeric character (while scanning an ${what})`,
      s.pos,
      s.pos + 1,
      "Anchor and alias names are letters, digits, _ and -",
    );
  }
  return token(kind, start, s.pos, name);
}

/** Scans a tag: `!<uri>`, `!handle!suffix`, `!suffix` or `!`. */
export function scanTag(s: Scanner): Token {
  const start = s.pos;
  let handle: string;
  let suffix: string;
  if (s.at(s.pos + 1) === 60 /* < */) {
    s.pos += 2;
    handle = "";
    suffix = scanUri(s, "", false);
    if (s.at(s.pos) !== 62 /* > */) syntaxError("did not find the expected '>'", s.pos);
    s.pos++;
  } else {
    const head = scanHandle(s, false);
    if (head.length > 1 && head.endsWith("!")) {
      handle = head;
      suffix = scanUri(s, "", false);
    } else {
      suffix = scanUri(s, head, false);
      handle = "!";
      if (suffix === "") {
        // The non-specific tag `!`.
        handle = "";
        suffix = "!";
      }
    }
  }
  if (!isBlankZ(s.at(s.pos)))
    syntaxError("did not find expected whitespace or line break (while scanning a tag)", s.pos);
  return token(TK.Tag, start, s.pos, handle, 0, suffix);
}

/** Scans `!`, `!!` or `!name!`; a name not closed by `!` is returned as `!name`. */
function scanHandle(s: Scanner, directive: boolean): string {
  const start = s.pos;
  if (s.at(s.pos) !== 33) syntaxError("did not find expected '!'", s.pos);
  s.pos++;
  while (isAlpha(s.at(s.pos))) s.pos++;
  if (s.at(s.pos) === 33) s.pos++;
  else if (directive && s.pos - start !== 1) syntaxError("did not find expected '!'", s.pos);
  return s.text.slice(start, s.pos);
}

/**
 * Scans a tag URI after `head` (a handle that was not one, whose `!` is dropped), decoding
 * %-escapes; each escaped octet becomes one char code, which is enough to compare tags.
 */
function scanUri(s: Scanner, head: string, directive: boolean): string {
  let out = head.length > 1 ? head.slice(1) : "";
  let any = head.length > 0;
  for (;;) {
    const c = s.at(s.pos);
    if (!isUriChar(c)) break;
    if (c === 37 /* % */) out += scanEscapes(s, directive);
    else {
      out += String.fromCharCode(c);
      s.pos++;
    }
    any = true;
  }
  if (!any) syntaxError("did not find expected tag URI", s.pos);
  return out;
}

/** Decodes the %-escapes of one UTF-8 character. */
function scanEscapes(s: Scanner, directive: boolean): string {
  let out = "";
  let width = 0;
  do {
    const hi = s.at(s.pos + 1);
    const lo = s.at(s.pos + 2);
    if (s.at(s.pos) !== 37 || !isHex(hi) || !isHex(lo))
      syntaxError(
        `did not find URI escaped octet${directive ? " (in a %TAG directive)" : ""}`,
        s.pos,
      );
    const octet = (hexValue(hi) << 4) + hexValue(lo);
    if (width === 0) {
      width =
        octet < 0x80 ? 1 : octet >> 5 === 6 ? 2 : octet >> 4 === 14 ? 3 : octet >> 3 === 30 ? 4 : 0;
      if (width === 0) syntaxError("found an incorrect leading UTF-8 octet", s.pos);
    } else if (octet >> 6 !== 2) syntaxError("found an incorrect trailing UTF-8 octet", s.pos);
    out += String.fromCharCode(octet);
    s.pos += 3;
  } while (--width > 0);
  return out;
}

/** Scans `%YAML major.minor` or `%TAG handle prefix`, up to and including the line break. */
export function scanDirective(s: Scanner): Token {
  const start = s.pos++;
  const nameStart = s.pos;
  while (isAlpha(s.at(s.pos))) s.pos++;
  const name = s.text.slice(nameStart, s.pos);
  if (name === "") syntaxError("could not find expected directive name", s.pos);
  if (!isBlankZ(s.at(s.pos))) syntaxError("found unexpected non-alphabetical character", s.pos);
  let tok: Token;
  if (name === "YAML") {
    skipBlanks(s);
    const major = versionNumber(s);
    if (s.at(s.pos) !== 46 /* . */)
      syntaxError("did not find expected digit or '.' character (in a %YAML directive)", s.pos);
    s.pos++;
    const minor = versionNumber(s);
    tok = token(TK.VersionDirective, start, s.pos, `${major}.${minor}`);
  } else if (name === "TAG") {
    skipBlanks(s);
    const handle = scanHandle(s, true);
    if (!isBlank(s.at(s.pos)))
      syntaxError("did not find expected whitespace (in a %TAG directive)", s.pos);
    skipBlanks(s);
    const prefix = scanUri(s, "", true);
    if (!isBlankZ(s.at(s.pos)))
      syntaxError("did not find expected whitespace or line break (in a %TAG directive)", s.pos);
    tok = token(TK.TagDirective, start, s.pos, handle, 0, prefix);
  } else {
    syntaxError(
      `found unknown directive name "%${name}"`,
      start,
      s.pos,
      "YAML knows only %YAML and %TAG",
    );
  }
  skipBlanks(s);
  if (s.at(s.pos) === 35 /* # */) while (!isBreakZ(s.at(s.pos))) s.pos++;
  if (!isBreakZ(s.at(s.pos)))
    syntaxError("did not find expected comment or line break (after a directive)", s.pos);
  if (isBreak(s.at(s.pos))) s.readBreak();
  return tok;
}

function skipBlanks(s: Scanner): void {
  while (isBlank(s.at(s.pos))) s.pos++;
}

/** One or two digits of a %YAML version. */
function versionNumber(s: Scanner): number {
  let value = 0;
  let length = 0;
  for (let c = s.at(s.pos); c >= 48 && c <= 57; c = s.at(s.pos)) {
    if (++length > 2)
      syntaxError("found extremely long version number (in a %YAML directive)", s.pos);
    value = value * 10 + (c - 48);
    s.pos++;
  }
  if (length === 0)
    syntaxError("did not find expected version number (in a %YAML directive)", s.pos);
  return value;
}
