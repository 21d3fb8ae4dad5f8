/**
 * JSON values as Go's encoding/json Decoder reads them from a stream, for the JSON branch of
 * Kubernetes' YAMLOrJSONDecoder: RFC 8259 syntax, a top-level number or literal must be
 * followed by whitespace or the end, a lone surrogate escape is U+FFFD. Numbers keep their
 * written value: an integer literal exactly (bigint past 2^53), other literals as float64.
 * Parsing is iterative, so nesting depth costs no stack; kplay's depth bound applies later.
 */

import { integerValue } from "./go-numbers.ts";
import type { MapNode, Node, ScalarNode, SeqNode } from "./nodes.ts";
import type { YamlValue } from "./types.ts";

/** A JSON value read from `start`, or why it is not one. */
export type JsonRead =
  | { readonly ok: true; readonly node: Node; readonly end: number }
  | { readonly ok: false; readonly message: string; readonly at: number; readonly tooMany?: true };

/** Whether `c` is JSON whitespace. */
export function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Reads one JSON value at `start` (whitespace before it is skipped). */
export function readJson(
  text: string,
  start: number,
  maxNodes = Number.POSITIVE_INFINITY,
): JsonRead {
  return new JsonReader(text, maxNodes).read(start);
}

type Frame = { node: SeqNode | MapNode; key: boolean };

class JsonReader {
  private pos = 0;
  private nodes = 0;
  constructor(
    private readonly text: string,
    private readonly maxNodes: number,
  ) {}

  private fail(message: string): JsonRead {
    return { ok: false, message, at: this.pos };
  }

  private describe(): string {
    const c = this.text[this.pos];
    return c === undefined ? "end of JSON input" : `character ${JSON.stringify(c)}`;
  }

  private ws(): void {
    while (isJsonSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  read(start: number): JsonRead {
    this.pos = start;
    this.ws();
    const stack: Frame[] = [];
    let root: Node | undefined;
    for (;;) {
      // Read a value (or close a collection).
      this.ws();
      const top = stack[stack.length - 1];
      let value: Node;
      const c = this.text[this.pos];
      if (++this.nodes > this.maxNodes)
        return { ok: false, message: "too many values", at: this.pos, tooMany: true };
      if (top !== undefined && top.node.kind === "map" && top.key) {
        if (c !== '"')
          return this.fail(`invalid ${this.describe()} looking for beginning of object key string`);
      }
      if (c === "{" || c === "[") {
        const node: SeqNode | MapNode =
          c === "{"
            ? { kind: "map", start: this.pos, end: 0, pairs: [] }
            : { kind: "seq", start: this.pos, end: 0, items: [] };
        this.pos++;
        this.ws();
        const close = c === "{" ? "}" : "]";
        if (this.text[this.pos] === close) {
          this.pos++;
          (node as { end: number }).end = this.pos;
          value = node;
        } else {
          this.attach(stack, node);
          stack.push({ node, key: true });
          continue;
        }
      } else {
        const scalar = this.scalar();
        if (!scalar.ok) return scalar;
        value = scalar.node;
      }
      if (stack.length === 0) root = value;
      else this.attach(stack, value);
      // After a value: separators and closing brackets.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) {
          const node = root as Node;
          if (node.kind === "scalar") {
            const next = this.text.charCodeAt(this.pos);
            if (this.pos < this.text.length && !isJsonSpace(next))
              return this.fail(`invalid ${this.describe()} after top-level value`);
          }
          return { ok: true, node, end: this.pos };
        }
        this.ws();
        const d = this.text[this.pos];
        if (frame.node.kind === "map" && frame.key) {
          if (d !== ":") return this.fail(`invalid ${this.describe()} after object key`);
          this.pos++;
          frame.key = false;
          break;
        }
        const close = frame.node.kind === "map" ? "}" : "]";
        if (d === ",") {
          this.pos++;
          if (frame.node.kind === "map") frame.key = true;
          break;
        }
        if (d === close) {
          this.pos++;
          (frame.node as { end: number }).end = this.pos;
          stack.pop();
          if (stack.length === 0) root = frame.node;
          continue;
        }
        const where =
          frame.node.kind === "map" ? "after object key:value pair" : "after array element";
        return this.fail(`invalid ${this.describe()} ${where}`);
      }
    }
  }

  private attach(stack: Frame[], node: Node): void {
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    if (top.node.kind === "map") top.node.pairs.push(node);
    else top.node.items.push(node);
  }

  private scalar(): { ok: true; node: ScalarNode } | { ok: false; message: string; at: number } {
    const start = this.pos;
    const c = this.text[this.pos];
    const fixed = (value: YamlValue, text: string): { ok: true; node: ScalarNode } => ({
      ok: true,
      node: {
        kind: "scalar",
        start,
        end: this.pos,
        value: text,
        tag: "",
        implicit: false,
        fixed: value,
      },
    });
    if (c === '"') {
      const s = this.string();
      return s === undefined ? { ok: false, message: this.lastError, at: this.pos } : fixed(s, s);
    }
    for (const [word, value] of LITERALS) {
      if (c === word[0]) {
        for (let k = 1; k < word.length; k++)
          if (this.text[this.pos + k] !== word[k]) {
            this.pos += k;
            return {
              ok: false,
              message: `invalid ${this.describe()} in literal ${word}`,
              at: this.pos,
            };
          }
        this.pos += word.length;
        return fixed(value, word);
      }
    }
    const m = NUMBER.exec(this.text.slice(this.pos, this.pos + 4096));
    if (m === null || m[0] === "" || m[0] === "-") {
      if (c === "-") this.pos++;
      return {
        ok: false,
        message: `invalid ${this.describe()} looking for beginning of value`,
        at: this.pos,
      };
    }
    this.pos += m[0].length;
    const literal = m[0];
    // Past float64's range Kubernetes refuses the number when it converts it; the builder says so.
    if (!Number.isFinite(Number(literal))) return fixed(Number.POSITIVE_INFINITY, literal);
    return fixed(/[.eE]/.test(literal) ? Number(literal) : integerValue(BigInt(literal)), literal);
  }

  private lastError = "";

  private string(): string | undefined {
    const text = this.text;
    let i = this.pos + 1;
    let out = "";
    let run = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= text.length) {
        this.pos = i;
        this.lastError = "unexpected end of JSON input";
        return undefined;
      }
      if (c === 34) break;
      if (c < 0x20) {
        this.pos = i;
        this.lastError = `invalid character ${JSON.stringify(text[i])} in string literal`;
        return undefined;
      }
      if (c !== 92) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      const e = text[i + 1];
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === "u") {
        const code = hex4(text, i + 2);
        if (code < 0) {
          this.pos = i + 2;
          this.lastError = "invalid character in \\u hexadecimal character escape";
          return undefined;
        }
        i += 6;
        if (code >= 0xd800 && code <= 0xdbff && text[i] === "\\" && text[i + 1] === "u") {
          const low = hex4(text, i + 2);
          if (low >= 0xdc00 && low <= 0xdfff) {
            out += String.fromCharCode(code, low);
            i += 6;
            run = i;
            continue;
          }
        }
        out += code >= 0xd800 && code <= 0xdfff ? "\ufffd" : String.fromCharCode(code);
      } else {
        this.pos = i + 1;
        this.lastError = "invalid character in string escape code";
        return undefined;
      }
      run = i;
    }
    out += text.slice(run, i);
    this.pos = i + 1;
    return out;
  }
}

const LITERALS: readonly [string, YamlValue][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

function hex4(text: string, at: number): number {
  const s = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(s) ? Number.parseInt(s, 16) : -1;
}
