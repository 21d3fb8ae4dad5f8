/**
 * Fuzz inputs for the manifest loader and the YAML decoder: mutations of the valid fixtures
 * and of the shared corpus (byte flips, truncation, key deletion and duplication, type swaps,
 * deep nesting, huge scalars, alias bombs, splices, separators, prototype-named keys, merge
 * keys, encodings, tags) from seeded PRNGs, plus a fixed list of hand-made edge inputs.
 *
 * Texts are byte strings (one char per byte, as read with "latin1") so that a mutation can
 * make any byte sequence. The fixture inputs draw from one PRNG and the corpus inputs from
 * another, so a clone without `../shared/corpus` gets the very same fixture inputs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One generated input. */
export interface FuzzInput {
  /** `fixture#12`, `corpus#3` or `edge:<name>`: enough to find it again. */
  readonly name: string;
  /** The mutations applied, in order (empty for an edge input). */
  readonly applied: readonly string[];
  readonly bytes: Uint8Array;
}

/** Options of `fuzzInputs`. */
export interface FuzzOptions {
  readonly seed?: number;
  /** Inputs drawn from each source (the fixtures, and the corpus when present). */
  readonly count?: number;
  /** Leave out the hand-made edge inputs. */
  readonly edges?: boolean;
  /** Draw only these mutations (default: all of MUTATIONS). */
  readonly mutations?: readonly string[];
}

/** The default seed and count, as `FUZZ_SEED` and `FUZZ_ITERATIONS` override them. */
export const DEFAULT_SEED = Number(process.env.FUZZ_SEED ?? 20250601);
export const DEFAULT_COUNT = Number(process.env.FUZZ_ITERATIONS ?? 750);

const root = join(import.meta.dir, "..", "..");
const corpusDir = join(root, "..", "shared", "corpus");

/** mulberry32: a small seeded PRNG, so a failing run can be replayed exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The valid fixtures, as byte strings. */
export function fixtureTexts(): string[] {
  const dir = join(root, "fixtures/valid");
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), "latin1"));
}

/** The corpus's YAML files as byte strings, or undefined when `../shared/corpus` is absent. */
export function corpusTexts(): string[] | undefined {
  if (!existsSync(join(corpusDir, "INDEX.tsv"))) return undefined;
  const texts: string[] = [];
  for (const dir of readdirSync(corpusDir, { withFileTypes: true }).sort(byName)) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(corpusDir, dir.name)).sort())
      if (f.endsWith(".yaml")) texts.push(readFileSync(join(corpusDir, dir.name, f), "latin1"));
  }
  return texts;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Byte string to bytes. */
export function toBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

const SWAPS = [
  "[]",
  "{}",
  "null",
  "~",
  "3",
  "-1",
  "true",
  "yes",
  "1e999",
  "0x1F",
  '"x"',
  "*a",
  "&a x",
  "!!binary x",
  "|",
  "{{ x }}",
  "70000",
  "'",
  '"\\\'"',
  "0755",
  "0o755",
  "0b101",
  "1_000",
  "9223372036854775808",
  "18446744073709551616",
  ".inf",
  "2001-12-14",
  "y",
  "off",
];
const BYTES = [
  0, 0xff, 0x09, 0x0a, 0x3a, 0x2d, 0x5b, 0x7b, 0x26, 0x2a, 0x21, 0x7c, 0x22, 0x27, 0x23, 0xc3,
];
const PROTO_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
const TAGS = ["!!binary", "!!omap", "!!str", "!t", "!!int", "!!float", "!!bool", "!!null", "!<x>"];

/** A mutation of a byte string; `pick(n)` draws an integer below n. */
export type Mutation = (text: string, pick: (n: number) => number, others: string[]) => string;

const lines = (t: string) => t.split("\n");

/** Inserts `line` before a random line, indented like it. */
function insertLine(t: string, pick: (n: number) => number, make: (indent: string) => string) {
  const l = lines(t);
  const i = pick(l.length);
  const indent = /^ */.exec(l[i] ?? "")?.[0] ?? "";
  l.splice(i, 0, make(indent));
  return l.join("\n");
}

/** Every mutation, by name. */
export const MUTATIONS: Record<string, Mutation> = {
  flipByte: (t, pick) => {
    const i = pick(t.length + 1);
    return t.slice(0, i) + String.fromCharCode(BYTES[pick(BYTES.length)] ?? 0) + t.slice(i + 1);
  },
  truncate: (t, pick) => t.slice(0, pick(t.length + 1)),
  deleteLine: (t, pick) => {
    const l = lines(t);
    l.splice(pick(l.length), 1 + pick(3));
    return l.join("\n");
  },
  duplicateLine: (t, pick) => {
    const l = lines(t);
    const i = pick(l.length);
    l.splice(i, 0, l[i] ?? "");
    return l.join("\n");
  },
  swapType: (t, pick) => {
    const l = lines(t);
    const i = pick(l.length);
    const line = l[i] ?? "";
    const colon = line.indexOf(": ");
    const swap = SWAPS[pick(SWAPS.length)] ?? "";
    l[i] = colon === -1 ? `${line} ${swap}` : `${line.slice(0, colon + 2)}${swap}`;
    return l.join("\n");
  },
  deepNesting: (t, pick) => {
    const i = pick(t.length + 1);
    const depth = 20 + pick(3000);
    const kinds = [
      "[".repeat(depth),
      "{a: ".repeat(depth),
      "- ".repeat(depth),
      Array.from({ length: depth }, (_, k) => `${" ".repeat(k)}k:`).join("\n"),
    ];
    return `${t.slice(0, i)}${kinds[pick(kinds.length)]}${t.slice(i)}`;
  },
  hugeScalar: (t, pick) => {
    const i = pick(t.length + 1);
    return `${t.slice(0, i)}${"x".repeat(1000 + pick(300_000))}${t.slice(i)}`;
  },
  aliasBomb: (t) => {
    let bomb = "x: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (let k = 1; k < 10; k++)
      bomb += `x${k}: &a${k} [${Array(9)
        .fill(`*a${k - 1}`)
        .join(", ")}]\n`;
    return `${bomb}${t}`;
  },
  splice: (t, pick, others) => {
    const other = others[pick(others.length)] ?? "";
    const from = pick(other.length + 1);
    const i = pick(t.length + 1);
    return `${t.slice(0, i)}${other.slice(from, from + pick(400))}${t.slice(i)}`;
  },
  separators: (t, pick) => {
    const l = lines(t);
    const marks = ["---", "...", "--- |", "%YAML 1.1", "---\n---", "%YAML 1.2", "--- # c", "----"];
    l.splice(pick(l.length), 0, marks[pick(marks.length)] ?? "---");
    return l.join("\n");
  },
  protoKey: (t, pick) =>
    insertLine(t, pick, (indent) => {
      const key = PROTO_KEYS[pick(PROTO_KEYS.length)] ?? "__proto__";
      const values = ["x", "{polluted: 1}", "[1]", "", "~"];
      return `${indent}${key}: ${values[pick(values.length)]}`;
    }),
  mergeKey: (t, pick) => {
    const anchors = "ma: &ma {name: merged, x: 1}\nmb: &mb {name: other, y: 2}\nms: &ms scalar\n";
    const merges = [
      "<<: *ma",
      "<<: ~",
      "<<: [*ma, *mb]",
      "<<: *ms",
      "<<:",
      "<<: {z: 3}",
      "<<: *nope",
    ];
    const body = insertLine(
      t,
      pick,
      (indent) => `${indent}${merges[pick(merges.length)] ?? "<<: *ma"}`,
    );
    return pick(4) === 0 ? body : `${anchors}${body}`;
  },
  encoding: (t, pick) => {
    switch (pick(5)) {
      case 0:
        return `\xff\xfe${utf16(t, true)}`;
      case 1:
        return `\xfe\xff${utf16(t, false)}`;
      case 2: {
        const l = lines(t);
        const i = pick(l.length);
        l[i] = `\xef\xbb\xbf${l[i] ?? ""}`;
        return l.join("\n");
      }
      case 3:
        return t.replace(/\r?\n/g, "\r");
      default:
        return t.replace(/\r?\n/g, "\r\n");
    }
  },
  tag: (t, pick) => {
    const l = lines(t);
    const i = pick(l.length);
    const line = l[i] ?? "";
    const colon = line.indexOf(": ");
    const tag = TAGS[pick(TAGS.length)] ?? "!t";
    if (colon === -1) l[i] = `${tag} ${line}`;
    else l[i] = `${line.slice(0, colon + 2)}${tag} ${line.slice(colon + 2)}`;
    return l.join("\n");
  },
};

/** A byte string (taken as UTF-8) re-encoded as UTF-16 bytes, as a byte string. */
function utf16(t: string, little: boolean): string {
  const text = new TextDecoder().decode(toBytes(t));
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    const hi = String.fromCharCode(u >> 8);
    const lo = String.fromCharCode(u & 0xff);
    out += little ? lo + hi : hi + lo;
  }
  return out;
}

/** Draws `count` mutated inputs from `sources`, with mutations from `random`. */
function draw(
  prefix: string,
  sources: string[],
  others: string[],
  random: () => number,
  count: number,
  names: readonly string[],
): FuzzInput[] {
  const pick = (n: number) => Math.floor(random() * n);
  const out: FuzzInput[] = [];
  for (let i = 0; i < count; i++) {
    let text = sources[pick(sources.length)] ?? "";
    const applied: string[] = [];
    for (let m = 0, n = 1 + pick(3); m < n; m++) {
      const name = names[pick(names.length)] ?? "flipByte";
      applied.push(name);
      text = MUTATIONS[name]?.(text, pick, others) ?? text;
    }
    out.push({ name: `${prefix}#${i}`, applied, bytes: toBytes(text) });
  }
  return out;
}

/**
 * The fuzz inputs: `count` from the fixtures, `count` from the corpus when it is there, and
 * (unless `edges: false`) the hand-made edge inputs.
 */
export function fuzzInputs(options: FuzzOptions = {}): FuzzInput[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const count = options.count ?? DEFAULT_COUNT;
  const names = options.mutations ?? Object.keys(MUTATIONS);
  const fixtures = fixtureTexts();
  const inputs = draw("fixture", fixtures, fixtures, prng(seed), count, names);
  const corpus = corpusTexts();
  if (corpus !== undefined && corpus.length > 0)
    inputs.push(
      ...draw("corpus", corpus, [...corpus, ...fixtures], prng(seed ^ 0x5bd1e995), count, names),
    );
  if (options.edges !== false) inputs.push(...edgeInputs());
  return inputs;
}

/** Hand-made inputs for rules that random mutation reaches too rarely. */
export function edgeInputs(): FuzzInput[] {
  const pad = (n: number) => `${"x".repeat(n)}\n`;
  const edges: Record<string, string> = {
    // A byte order mark that lands where go-yaml's reader refills its buffer: go-yaml's
    // is_bom looks at the buffer's start, not at the current position.
    bomAtRefill: `a: ${"x".repeat(504)}\n\xef\xbb\xbfb: 1\nc: 2\n`,
    // A control character after the document's end, beyond go-yaml's read-ahead.
    controlAfterEnd: `a: 1\n...\n${pad(2000)}\x01\n`,
    invalidUtf8AfterEnd: `a: 1\n...\n${pad(2000)}\xff\n`,
    nestingBound: `${"[".repeat(150)}${"]".repeat(150)}\n`,
    mergeOverwrite: "app: &app {name: app, image: x}\nside: {name: sidecar, <<: *app}\n",
    mergeList: "a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc: {<<: [*a, *b]}\n",
    protoKeys: "__proto__: {x: 1}\nconstructor: 2\ntoString: 3\nhasOwnProperty: 4\n",
    keyCollision: "1: a\n'1': b\n",
    utf16le: `\xff\xfe${utf16("a: 1\nb: [x]\n", true)}`,
    utf16be: `\xfe\xff${utf16("a: 1\nb: [x]\n", false)}`,
    yamlDirective: "%YAML 1.1\n---\na: 1\n",
    jsonThenYaml: '{"a": 1}\nb: 2\n',
    jsonBigInt: '{"a": 12345678901234567890123, "b": 1.0, "c": -0}\n',
  };
  return Object.entries(edges).map(([name, text]) => ({
    name: `edge:${name}`,
    applied: [],
    bytes: toBytes(text),
  }));
}
