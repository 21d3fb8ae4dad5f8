/**
 * Scanning scalars: plain, single- and double-quoted, literal and folded, with go-yaml's
 * folding of line breaks (LF, CR, CR LF and NEL become "\n"; LS and PS stay themselves) and
 * its escapes, which include `\'` and `\<TAB>`.
 */
import { C, hexValue, isBlank, isBlankZ, isBreak, isBreakZ, isHex } from "./chars.ts";
import { syntaxError, YamlFailure } from "./failure.ts";
import type { Scanner } from "./scanner.ts";
import { STYLE, TK, type Token, token } from "./tokens.ts";

/** 1 for the characters that end a plain scalar inside a flow collection. */
const FLOW_STOP = new Uint8Array(128);
for (const c of ",?[]{}") FLOW_STOP[c.charCodeAt(0)] = 1;

/** Joins the line breaks between two lines of a plain or quoted scalar. */
function fold(leadingBreak: string, trailingBreaks: string): string {
  if (leadingBreak === "\n") return trailingBreaks === "" ? " " : trailingBreaks;
  return leadingBreak + trailingBreaks;
}

/**
 * Scans a plain scalar. Text between line breaks is sliced from the source in one piece
 * (spaces inside a line are kept as they are), so a long line costs no concatenation.
 */
export function scanPlainScalar(s: Scanner): Token {
  const start = s.pos;
  const indent = s.indent + 1;
  let end = s.pos;
  let value = "";
  let run = s.pos;
  let leadingBlanks = false;
  let leadingBreak = "";
  let trailingBreaks = "";
  for (;;) {
    let c = s.at(s.pos);
    if ((c === 45 || c === 46) && s.documentIndicatorAt(s.pos)) break;
    if (c === 35 /* # */) break;
    const runStart = s.pos;
    while (!isBlankZ(c)) {
      if (c === 58 /* : */ && isBlankZ(s.at(s.pos + 1))) break;
      if (c < 128 && FLOW_STOP[c] === 1 && s.flowLevel > 0) break;
      c = s.at(++s.pos);
    }
    if (s.pos > runStart) {
      if (leadingBlanks) {
        value += fold(leadingBreak, trailingBreaks);
        leadingBreak = "";
        trailingBreaks = "";
        leadingBlanks = false;
        run = runStart;
      }
      end = s.pos;
    }
    if (!isBlank(c) && !isBreak(c)) break;
    for (;;) {
      if (isBlank(c)) {
        if (leadingBlanks && c === C.tab && s.column() < indent)
          throw new YamlFailure(
            "tab-indent",
            "Tab character where YAML expects spaces: it breaks the indentation of a plain scalar",
            s.pos,
            s.pos + 1,
            "YAML indents with spaces only",
          );
        s.pos++;
      } else if (isBreak(c)) {
        if (!leadingBlanks) {
          value += s.text.slice(run, end);
          leadingBreak = s.readBreak();
          leadingBlanks = true;
        } else trailingBreaks += s.readBreak();
      } else break;
      c = s.at(s.pos);
    }
    if (s.flowLevel === 0 && s.column() < indent) break;
  }
  if (leadingBlanks) s.simpleKeyAllowed = true;
  else value += s.text.slice(run, end);
  return token(TK.Scalar, start, end, value, STYLE.plain);
}

/** Scans a single- or double-quoted scalar; like a plain one, each line is one slice. */
export function scanFlowScalar(s: Scanner, single: boolean): Token {
  const start = s.pos++;
  const quote = single ? 39 : 34;
  let value = "";
  let run = s.pos;
  for (;;) {
    if (s.documentIndicatorAt(s.pos))
      syntaxError(
        "found unexpected document indicator (while scanning a quoted scalar)",
        s.pos,
        s.pos + 3,
      );
    let c = s.at(s.pos);
    if (c === -1)
      syntaxError(
        "found unexpected end of stream (while scanning a quoted scalar)",
        start,
        start + 1,
        "The closing quote is missing",
      );
    let leadingBlanks = false;
    while (!isBlankZ(c)) {
      if (single && c === 39) {
        if (s.at(s.pos + 1) !== 39) break;
        value += `${s.text.slice(run, s.pos)}'`;
        s.pos += 2;
        run = s.pos;
      } else if (!single && c === 34) break;
      else if (!single && c === 92 /* \ */) {
        value += s.text.slice(run, s.pos);
        if (isBreak(s.at(s.pos + 1))) {
          s.pos++;
          s.readBreak();
          run = s.pos;
          leadingBlanks = true;
          break;
        }
        value += readEscape(s);
        run = s.pos;
      } else s.pos++;
      c = s.at(s.pos);
    }
    c = s.at(s.pos);
    if (c === quote) break;
    const blanks = s.pos;
    let leadingBreak = "";
    let trailingBreaks = "";
    while (isBlank(c) || isBreak(c)) {
      if (isBlank(c)) s.pos++;
      else if (!leadingBlanks) {
        value += s.text.slice(run, blanks);
        leadingBreak = s.readBreak();
        leadingBlanks = true;
      } else trailingBreaks += s.readBreak();
      c = s.at(s.pos);
    }
    if (leadingBlanks) {
      value += fold(leadingBreak, trailingBreaks);
      run = s.pos;
    }
  }
  value += s.text.slice(run, s.pos);
  s.pos++;
  return token(TK.Scalar, start, s.pos, value, single ? STYLE.single : STYLE.double);
}

/** The simple escapes of a double-quoted scalar, as go-yaml has them. */
const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "'": "'",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

/** Reads one escape sequence at `s.pos` (a backslash) and returns its text. */
function readEscape(s: Scanner): string {
  const at = s.pos;
  const name = s.text[s.pos + 1] ?? "";
  const simple = ESCAPES[name];
  const length = name === "x" ? 2 : name === "u" ? 4 : name === "U" ? 8 : 0;
  if ((simple === undefined && length === 0) || s.pos + 1 >= s.end)
    syntaxError(
      `found unknown escape character "\\${name}" (while parsing a quoted scalar)`,
      at,
      at + 2,
      'Double quotes know \\n, \\t, \\", \\\\, \\xXX, \\uXXXX and a few more; use single quotes for a literal backslash',
    );
  s.pos += 2;
  if (simple !== undefined) return simple;
  let code = 0;
  for (let k = 0; k < length; k++) {
    const c = s.at(s.pos + k);
    if (!isHex(c))
      syntaxError(
        "did not find expected hexdecimal number (while parsing a quoted scalar)",
        at,
        s.pos + k + 1,
      );
    code = code * 16 + hexValue(c);
  }
  if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
    syntaxError(
      "found invalid Unicode character escape code (while parsing a quoted scalar)",
      at,
      s.pos + length,
    );
  s.pos += length;
  return String.fromCodePoint(code);
}

/** Scans a literal (`|`) or folded (`>`) block scalar, header included. */
export function scanBlockScalar(s: Scanner, literal: boolean): Token {
  const start = s.pos++;
  let chomping = 0;
  let increment = 0;
  const header = () => {
    const c = s.at(s.pos);
    if (c === 43 || c === 45) {
      chomping = c === 43 ? 1 : -1;
      s.pos++;
      return true;
    }
    return false;
  };
  const digit = () => {
    const c = s.at(s.pos);
    if (c < 48 || c > 57) return;
    if (c === 48)
      syntaxError(
        "found an indentation indicator equal to 0 (while scanning a block scalar)",
        s.pos,
      );
    increment = c - 48;
    s.pos++;
  };
  if (header()) digit();
  else if (s.at(s.pos) >= 48 && s.at(s.pos) <= 57) {
    digit();
    header();
  }
  while (isBlank(s.at(s.pos))) s.pos++;
  if (s.at(s.pos) === 35) while (!isBreakZ(s.at(s.pos))) s.pos++;
  if (!isBreakZ(s.at(s.pos)))
    syntaxError(
      "did not find expected comment or line break (while scanning a block scalar)",
      s.pos,
      s.pos + 1,
      "Only a chomping indicator (+ or -), an indentation digit and a comment may follow | or >",
    );
  if (isBreak(s.at(s.pos))) s.readBreak();
  let end = s.pos;
  let indent = increment > 0 ? (s.indent >= 0 ? s.indent + increment : increment) : 0;
  let value = "";
  let leadingBreak = "";
  let leadingBlank = false;
  let trailingBreaks = "";
  const breaks = () => {
    end = s.pos;
    let maxIndent = 0;
    for (;;) {
      while ((indent === 0 || s.pos - s.lineStart < indent) && s.at(s.pos) === C.space) s.pos++;
      const col = s.pos - s.lineStart;
      if (col > maxIndent) maxIndent = col;
      if ((indent === 0 || col < indent) && s.at(s.pos) === C.tab)
        throw new YamlFailure(
          "tab-indent",
          "Tab character where a block scalar's indentation should be spaces",
          s.pos,
          s.pos + 1,
          "YAML indents with spaces only",
        );
      if (!isBreak(s.at(s.pos))) break;
      trailingBreaks += s.readBreak();
      end = s.pos;
    }
    if (indent === 0) indent = Math.max(maxIndent, s.indent + 1, 1);
  };
  breaks();
  while (s.pos - s.lineStart === indent && s.at(s.pos) !== -1) {
    const trailingBlank = isBlank(s.at(s.pos));
    if (!literal && !leadingBlank && !trailingBlank && leadingBreak === "\n") {
      if (trailingBreaks === "") value += " ";
    } else value += leadingBreak;
    leadingBreak = "";
    value += trailingBreaks;
    trailingBreaks = "";
    leadingBlank = isBlank(s.at(s.pos));
    const lineStart = s.pos;
    while (!isBreakZ(s.at(s.pos))) s.pos++;
    value += s.text.slice(lineStart, s.pos);
    if (s.at(s.pos) !== -1) leadingBreak = s.readBreak();
    breaks();
  }
  if (chomping !== -1) value += leadingBreak;
  if (chomping === 1) value += trailingBreaks;
  return token(TK.Scalar, start, end, value, literal ? STYLE.literal : STYLE.folded);
}
