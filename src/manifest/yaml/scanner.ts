/**
 * The scanner: a chunk's text to tokens, with libyaml's rules as go-yaml v2 has them. Tokens
 * are made on demand; a plain scalar, quoted scalar, `[`, `{`, anchor, alias or tag may turn
 * out to be a simple key once its `:` is seen, so the queue is filled until the token at its
 * head can no longer be one (the key's line ended or it grew past 1024 characters).
 *
 * go-yaml keeps, per flow level, one possible simple key and finds them by token number in a
 * map that leaving a flow level prunes by the level's own number; that map decides how far
 * the scanner reads ahead, and so whether a `[]: x` key is seen in time. The same bookkeeping
 * is kept here, because what it makes of such input is what Kubernetes gets.
 */
import { C, isBlank, isBlankZ, isBreak, isBreakZ } from "./chars.ts";
import { syntaxError, YamlFailure } from "./failure.ts";
import { GO_YAML_MAX_DEPTH, MAX_SIMPLE_KEY_LENGTH } from "./limits.ts";
import { scanAnchor, scanDirective, scanTag } from "./scan-props.ts";
import { scanBlockScalar, scanFlowScalar, scanPlainScalar } from "./scan-scalars.ts";
import { TK, type Token, type TokenKind, token } from "./tokens.ts";

/** 1 for the ASCII characters that cannot start a plain scalar on their own. */
const NOT_PLAIN = new Uint8Array(128);
for (const c of "-?:,[]{}#&*!|>'\"%@`") NOT_PLAIN[c.charCodeAt(0)] = 1;

/** A place where a simple key may start. */
interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  pos: number;
  line: number;
  col: number;
}

/** The scanner's state; the scalar and property scanners work on it directly. */
export class Scanner {
  /** Current offset (UTF-16 units) and line; `lineStart` is where the line began. */
  pos: number;
  line = 0;
  lineStart: number;
  readonly end: number;
  flowLevel = 0;
  indent = -1;
  simpleKeyAllowed = false;
  private readonly indents: number[] = [];
  private readonly simpleKeys: SimpleKey[] = [];
  /** Token number -> index into simpleKeys, as go-yaml's simple_keys_by_tok. */
  private readonly keyByToken = new Map<number, number>();
  private tokens: Token[] = [];
  private head = 0;
  /** Tokens handed to the parser so far. */
  tokensParsed = 0;
  private started = false;
  /** Where the column cache stands: line start, offset, surrogate pairs seen. */
  private colLine = -1;
  private colPos = 0;
  private colPairs = 0;
  /** Whether the text has surrogate pairs, which make columns differ from offsets. */
  private readonly astral: boolean;

  constructor(
    readonly text: string,
    start: number,
    end: number,
  ) {
    this.pos = start;
    this.lineStart = start;
    this.end = end;
    this.astral = /[\ud800-\udfff]/.test(text);
  }

  /** The code unit at `i`, or -1 at and past the end. */
  at(i: number): number {
    return i < this.end ? this.text.charCodeAt(i) : -1;
  }

  /** The column (in characters, as go-yaml counts) of offset `at` on the current line. */
  column(at = this.pos): number {
    if (!this.astral) return at - this.lineStart;
    if (this.colLine !== this.lineStart || at < this.colPos) {
      this.colLine = this.lineStart;
      this.colPos = this.lineStart;
      this.colPairs = 0;
    }
    for (let i = this.colPos; i < at; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) this.colPairs++;
    }
    this.colPos = at;
    return at - this.lineStart - this.colPairs;
  }

  /** Length of the line break at `i` (2 for CR LF), or 0. */
  breakLength(i: number): number {
    const c = this.at(i);
    if (c === C.cr) return this.at(i + 1) === C.lf ? 2 : 1;
    return isBreak(c) ? 1 : 0;
  }

  /** Consumes the line break at `pos`; returns it as go-yaml keeps it (LS and PS stay). */
  readBreak(): string {
    const c = this.at(this.pos);
    this.pos += this.breakLength(this.pos);
    this.line++;
    this.lineStart = this.pos;
    return c === C.ls || c === C.ps ? String.fromCharCode(c) : "\n";
  }

  /** Whether `---` or `...` followed by a blank starts at `i`, at column 0. */
  documentIndicatorAt(i: number): boolean {
    const c = this.at(i);
    if ((c !== 45 && c !== 46) || this.at(i + 1) !== c || this.at(i + 2) !== c) return false;
    return isBlankZ(this.at(i + 3)) && this.column(i) === 0;
  }

  /** The next token, without taking it. */
  peek(): Token {
    if (this.head >= this.tokens.length || this.headMayBeKey()) this.fetchMore();
    return this.tokens[this.head] as Token;
  }

  /** Takes the next token (after `peek`). */
  skip(): void {
    // Only the head's number is ever looked up: a taken token's entry can go.
    if (this.keyByToken.size > 0) this.keyByToken.delete(this.tokensParsed);
    this.head++;
    this.tokensParsed++;
    if (this.head > 64) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
  }

  private headMayBeKey(): boolean {
    if (this.keyByToken.size === 0) return false;
    const index = this.keyByToken.get(this.tokensParsed);
    if (index === undefined) return false;
    const key = this.simpleKeys[index];
    return key !== undefined && this.keyIsValid(key);
  }

  private fetchMore(): void {
    for (;;) {
      if (this.head < this.tokens.length && !this.headMayBeKey()) return;
      this.fetchNext();
    }
  }

  /** Whether a possible key still is one; a required key that expired is an error. */
  private keyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.line < this.line || this.charsSince(key.pos) > MAX_SIMPLE_KEY_LENGTH) {
      if (key.required) this.keyWithoutColon(key);
      key.possible = false;
      return false;
    }
    return true;
  }

  /** Characters (not UTF-16 units) from `from` to the current position, as go-yaml counts. */
  private charsSince(from: number): number {
    const units = this.pos - from;
    if (units <= MAX_SIMPLE_KEY_LENGTH) return units;
    let pairs = 0;
    for (let i = from; i < this.pos; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) pairs++;
    }
    return units - pairs;
  }

  private keyWithoutColon(key: SimpleKey): never {
    syntaxError(
      "could not find expected ':'",
      key.pos,
      key.pos + 1,
      'A mapping key must be followed by ":" on the same line',
    );
  }

  /** Adds a token at the end, or `at` tokens after the head (go-yaml: a negative `at` appends). */
  insert(tok: Token, at = -1): void {
    const tokens = this.tokens;
    const i = this.head + at;
    if (at < 0 || i >= tokens.length) {
      tokens.push(tok);
      return;
    }
    // splice(i, 0, tok), by hand: a key is inserted a token or two before the end, for every
    // mapping key of the file, and the generic splice cost more than the rest of the insert.
    let j = tokens.length;
    tokens.push(tok);
    for (; j > i; j--) tokens[j] = tokens[j - 1] as Token;
    tokens[i] = tok;
  }

  private fetchNext(): void {
    if (!this.started) {
      this.started = true;
      this.simpleKeys.push({
        possible: false,
        required: false,
        tokenNumber: 0,
        pos: 0,
        line: 0,
        col: 0,
      });
      this.simpleKeyAllowed = true;
      this.insert(token(TK.StreamStart, this.pos, this.pos));
      return;
    }
    this.skipToToken();
    const col = this.column();
    this.unrollIndent(col);
    const c = this.at(this.pos);
    if (c === -1) {
      this.fetchStreamEnd();
      return;
    }
    if (col === 0 && c === 37 /* % */) {
      this.fetchDirective();
      return;
    }
    if (col === 0 && this.documentIndicatorAt(this.pos)) {
      this.fetchDocumentIndicator(c === 45 ? TK.DocumentStart : TK.DocumentEnd);
      return;
    }
    const next = this.at(this.pos + 1);
    switch (c) {
      case 91 /* [ */:
        this.fetchFlowStart(TK.FlowSequenceStart);
        return;
      case 123 /* { */:
        this.fetchFlowStart(TK.FlowMappingStart);
        return;
      case 93 /* ] */:
        this.fetchFlowEnd(TK.FlowSequenceEnd);
        return;
      case 125 /* } */:
        this.fetchFlowEnd(TK.FlowMappingEnd);
        return;
      case 44 /* , */:
        this.fetchFlowEntry();
        return;
      case 42 /* * */:
        this.fetchProperty(() => scanAnchor(this, TK.Alias));
        return;
      case 38 /* & */:
        this.fetchProperty(() => scanAnchor(this, TK.Anchor));
        return;
      case 33 /* ! */:
        this.fetchProperty(() => scanTag(this));
        return;
      case 39 /* ' */:
      case 34 /* " */:
        this.fetchProperty(() => scanFlowScalar(this, c === 39));
        return;
    }
    if (c === 45 && isBlankZ(next)) {
      this.fetchBlockEntry();
      return;
    }
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankZ(next))) {
      this.fetchKey();
      return;
    }
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankZ(next))) {
      this.fetchValue();
      return;
    }
    if ((c === 124 || c === 62) && this.flowLevel === 0) {
      this.fetchBlockScalar(c === 124);
      return;
    }
    if (this.startsPlain(c, next)) {
      this.fetchProperty(() => scanPlainScalar(this));
      return;
    }
    if (c === C.tab)
      throw new YamlFailure(
        "tab-indent",
        "Tab character where YAML expects spaces",
        this.pos,
        this.pos + 1,
        "YAML indents with spaces only",
      );
    syntaxError("found character that cannot start any token", this.pos);
  }

  /** go-yaml's rule for the first character of a plain scalar. */
  private startsPlain(c: number, next: number): boolean {
    if (!isBlankZ(c) && (c > 127 || NOT_PLAIN[c] === 0)) return true;
    if (c === 45) return !isBlank(next);
    return this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankZ(next);
  }

  /** Skips blanks, comments and line breaks up to the next token. */
  private skipToToken(): void {
    for (;;) {
      let c = this.at(this.pos);
      while (c === C.space || (c === C.tab && (this.flowLevel > 0 || !this.simpleKeyAllowed)))
        c = this.at(++this.pos);
      if (c === 35 /* # */) while (!isBreakZ(c)) c = this.at(++this.pos);
      if (!isBreak(c)) return;
      this.readBreak();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  private unrollIndent(col: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > col) {
      this.insert(token(TK.BlockEnd, this.pos, this.pos));
      this.indent = this.indents.pop() ?? -1;
    }
  }

  /** Opens a block collection at `col` if it is deeper than the current one. */
  private rollIndent(col: number, number: number, kind: TokenKind, at: number): void {
    if (this.flowLevel > 0 || this.indent >= col) return;
    this.indents.push(this.indent);
    this.indent = col;
    if (this.indents.length > GO_YAML_MAX_DEPTH)
      syntaxError(`exceeded max depth of ${GO_YAML_MAX_DEPTH}`, at);
    this.insert(token(kind, at, at), number > -1 ? number - this.tokensParsed : -1);
  }

  /** Notes that a simple key may start at the current position. */
  saveSimpleKey(): void {
    if (!this.simpleKeyAllowed) return;
    const col = this.column();
    this.removeSimpleKey();
    // The level's record is overwritten in place, as go-yaml copies the new key into it.
    const level = this.simpleKeys.length - 1;
    const key = this.simpleKeys[level] as SimpleKey;
    key.possible = true;
    key.required = this.flowLevel === 0 && this.indent === col;
    key.tokenNumber = this.tokensParsed + (this.tokens.length - this.head);
    key.pos = this.pos;
    key.line = this.line;
    key.col = col;
    this.keyByToken.set(key.tokenNumber, level);
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (key === undefined || !key.possible) return;
    if (key.required) this.keyWithoutColon(key);
    key.possible = false;
    this.keyByToken.delete(key.tokenNumber);
  }

  private fetchStreamEnd(): void {
    if (this.column() !== 0) {
      // go-yaml forces a new line, which ends any simple key of the last line.
      this.line++;
      this.lineStart = this.pos;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(token(TK.StreamEnd, this.pos, this.pos));
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(scanDirective(this));
  }

  private fetchDocumentIndicator(kind: TokenKind): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.pos;
    this.pos += 3;
    this.insert(token(kind, start, this.pos));
  }

  private fetchFlowStart(kind: TokenKind): void {
    this.saveSimpleKey();
    const tokenNumber = this.tokensParsed + (this.tokens.length - this.head);
    const pos = this.pos;
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber,
      pos,
      line: this.line,
      col: 0,
    });
    if (++this.flowLevel > GO_YAML_MAX_DEPTH)
      syntaxError(`exceeded max depth of ${GO_YAML_MAX_DEPTH}`, pos);
    this.simpleKeyAllowed = true;
    this.pos++;
    this.insert(token(kind, pos, this.pos));
  }

  private fetchFlowEnd(kind: TokenKind): void {
    this.removeSimpleKey();
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const level = this.simpleKeys.pop();
      // go-yaml prunes the map by the level's number even when an outer key now holds it.
      if (level !== undefined) this.keyByToken.delete(level.tokenNumber);
    }
    this.simpleKeyAllowed = false;
    const start = this.pos++;
    this.insert(token(kind, start, this.pos));
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.pos++;
    this.insert(token(TK.FlowEntry, start, this.pos));
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed)
        syntaxError("block sequence entries are not allowed in this context", this.pos);
      this.rollIndent(this.column(), -1, TK.BlockSequenceStart, this.pos);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    const start = this.pos++;
    this.insert(token(TK.BlockEntry, start, this.pos));
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed)
        syntaxError("mapping keys are not allowed in this context", this.pos);
      this.rollIndent(this.column(), -1, TK.BlockMappingStart, this.pos);
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = this.pos++;
    this.insert(token(TK.Key, start, this.pos));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1];
    if (key !== undefined && this.keyIsValid(key)) {
      this.insert(token(TK.Key, key.pos, key.pos), key.tokenNumber - this.tokensParsed);
      this.rollIndent(key.col, key.tokenNumber, TK.BlockMappingStart, key.pos);
      key.possible = false;
      this.keyByToken.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed)
          syntaxError(
            "mapping values are not allowed in this context",
            this.pos,
            this.pos + 1,
            'A plain value cannot contain ": "; quote it',
          );
        this.rollIndent(this.column(), -1, TK.BlockMappingStart, this.pos);
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = this.pos++;
    this.insert(token(TK.Value, start, this.pos));
  }

  /** An anchor, alias, tag or flow scalar: each may start a simple key, none may follow one. */
  private fetchProperty(scan: () => Token): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insert(scan());
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insert(scanBlockScalar(this, literal));
  }
}
