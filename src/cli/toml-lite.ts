/**
 * Just enough TOML to read the connection keys of containers.conf: tables (`[a.b."c d"]`),
 * dotted keys, basic and literal strings, and inline tables of them. Every other value
 * (numbers, booleans, arrays over several lines, multi-line strings, array tables) is
 * stepped over, so the rest of a real containers.conf never gets in the way. Not a general
 * TOML parser, and not a validator: Podman refuses a broken file, and `kplay doctor` says
 * where this reader gave up.
 */

export type TomlTables = Map<string, Map<string, string | true>> & { problem?: string };

class Scanner {
  pos = 0;
  line = 1;
  constructor(readonly src: string) {}
  get ch(): string {
    return this.src[this.pos] ?? "";
  }
  next(): string {
    const c = this.src[this.pos++] ?? "";
    if (c === "\n") this.line++;
    return c;
  }
  skipBlank(): void {
    while (this.ch === " " || this.ch === "\t") this.pos++;
  }
  /** Spaces, newlines and comments (inside arrays and between statements). */
  skipSpace(): void {
    for (;;) {
      if (this.ch === " " || this.ch === "\t" || this.ch === "\r" || this.ch === "\n") this.next();
      else if (this.ch === "#") this.skipLine();
      else return;
    }
  }
  skipLine(): void {
    while (this.pos < this.src.length && this.ch !== "\n") this.pos++;
  }
  fail(what: string): never {
    throw new Error(`line ${this.line}: ${what}`);
  }
}

function readString(s: Scanner): string {
  const quote = s.next();
  const triple = s.src.startsWith(quote.repeat(2), s.pos);
  if (triple) {
    s.pos += 2;
    const end = s.src.indexOf(quote.repeat(3), s.pos);
    if (end < 0) s.fail("unterminated multi-line string");
    const body = s.src.slice(s.pos, end);
    while (s.pos < end + 3) s.next();
    return body.replace(/^\r?\n/, "");
  }
  let out = "";
  for (;;) {
    const c = s.next();
    if (c === "" || c === "\n") s.fail("unterminated string");
    if (c === quote) return out;
    if (c === "\\" && quote === '"') {
      const e = s.next();
      const simple: Record<string, string> = {
        n: "\n",
        t: "\t",
        r: "\r",
        b: "\b",
        f: "\f",
        '"': '"',
        "\\": "\\",
      };
      if (e in simple) out += simple[e];
      else if (e === "u" || e === "U") {
        const n = e === "u" ? 4 : 8;
        const hex = s.src.slice(s.pos, s.pos + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) s.fail("bad unicode escape");
        s.pos += n;
        out += String.fromCodePoint(Number.parseInt(hex, 16));
      } else s.fail(`bad escape \\${e}`);
    } else out += c;
  }
}

function readKey(s: Scanner): string[] {
  const parts: string[] = [];
  for (;;) {
    s.skipBlank();
    if (s.ch === '"' || s.ch === "'") parts.push(readString(s));
    else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.src.slice(s.pos, s.pos + 256));
      if (!m) s.fail("expected a key");
      parts.push(m[0]);
      s.pos += m[0].length;
    }
    s.skipBlank();
    if (s.ch !== ".") return parts;
    s.pos++;
  }
}

/** Steps over an array, nested arrays and inline tables included. */
function skipArray(s: Scanner): void {
  s.next();
  for (;;) {
    s.skipSpace();
    if (s.ch === "]") {
      s.next();
      return;
    }
    if (s.ch === "") s.fail("unterminated array");
    skipValue(s);
    s.skipSpace();
    if (s.ch === ",") s.next();
  }
}

function skipValue(s: Scanner): void {
  if (s.ch === '"' || s.ch === "'") readString(s);
  else if (s.ch === "[") skipArray(s);
  else if (s.ch === "{") readInline(s, () => {});
  else {
    const m = /^[^\s,\]}#]+/.exec(s.src.slice(s.pos, s.pos + 256));
    if (!m) s.fail("expected a value");
    s.pos += m[0].length;
  }
}

type Put = (path: string[], value: string | true) => void;

function readInline(s: Scanner, put: Put): void {
  s.next();
  s.skipBlank();
  if (s.ch === "}") {
    s.next();
    return;
  }
  for (;;) {
    const key = readKey(s);
    if (s.next() !== "=") s.fail("expected = in an inline table");
    s.skipBlank();
    readValue(s, key, put);
    s.skipBlank();
    const c = s.next();
    if (c === "}") return;
    if (c !== ",") s.fail("expected , or } in an inline table");
  }
}

function readValue(s: Scanner, key: string[], put: Put): void {
  if (s.ch === '"' || s.ch === "'") put(key, readString(s));
  else if (s.ch === "{") readInline(s, (path, value) => put([...key, ...path], value));
  else {
    skipValue(s);
    put(key, true);
  }
}

/**
 * Reads the tables of a TOML document: table name (dotted, unquoted) → key → string value
 * (`true` where the value is something else). Stops at the first thing it cannot read and
 * says so in `problem`, keeping what came before.
 */
export function readTomlTables(source: string): TomlTables {
  const tables: TomlTables = new Map();
  const s = new Scanner(source);
  let current: string[] = [];
  let inArrayTable = false;
  const put: Put = (path, value) => {
    if (inArrayTable) return;
    const full = [...current, ...path];
    const key = full.pop() as string;
    const name = full.join(".");
    let table = tables.get(name);
    if (!table) {
      table = new Map();
      tables.set(name, table);
    }
    table.set(key, value);
  };
  try {
    for (;;) {
      s.skipSpace();
      if (s.ch === "") break;
      if (s.ch === "[") {
        s.next();
        inArrayTable = s.ch === "[";
        if (inArrayTable) s.next();
        current = readKey(s);
        if (s.next() !== "]" || (inArrayTable && s.next() !== "]")) s.fail("expected ]");
        if (!inArrayTable && !tables.has(current.join(".")))
          tables.set(current.join("."), new Map());
      } else {
        const key = readKey(s);
        if (s.next() !== "=") s.fail("expected =");
        s.skipBlank();
        readValue(s, key, put);
      }
      s.skipBlank();
      if (s.ch === "#") s.skipLine();
      if (s.ch !== "" && s.ch !== "\n" && s.ch !== "\r") s.fail("expected the end of the line");
    }
  } catch (e) {
    tables.problem = (e as Error).message;
  }
  return tables;
}
