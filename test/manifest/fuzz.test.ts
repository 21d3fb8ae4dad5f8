/**
 * Fuzzing loadManifests: mutations of the valid fixtures and the shared corpus (byte flips,
 * truncation, key deletion and duplication, type swaps, deep nesting, huge scalars, alias
 * bombs, splices) from a seeded PRNG. Every input must come back without throwing, in bounded
 * time, with well-formed diagnostics. `FUZZ_SEED=n` replays a run; `FUZZ_ITERATIONS=n` sizes it.
 */
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { loadManifests } from "../../src/manifest/index.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20250601);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1500);
/**
 * Per-input bound: a hang detector, not a benchmark. Typical inputs take a few ms and the
 * slowest (1 MiB deep nesting) ~250 ms alone, but CI shares 2 cores with Podman, so the
 * bound leaves room for that; an unbounded blow-up (backtracking, alias expansion) takes
 * far longer. The real timings are printed below and by the hostile-input test.
 */
const MAX_MS = 15_000;

const root = join(import.meta.dir, "..", "..");
const corpus = join(root, "..", "shared", "corpus");

/** mulberry32: a small seeded PRNG, so a failing run can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seeds(): string[] {
  const files = readdirSync(join(root, "fixtures/valid")).map((f) =>
    join(root, "fixtures/valid", f),
  );
  if (existsSync(join(corpus, "INDEX.tsv"))) {
    for (const dir of readdirSync(corpus, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const f of readdirSync(join(corpus, dir.name)))
        if (f.endsWith(".yaml")) files.push(join(corpus, dir.name, f));
    }
  }
  return files.map((f) => readFileSync(f, "latin1"));
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
];
const BYTES = [
  0, 0xff, 0x09, 0x0a, 0x3a, 0x2d, 0x5b, 0x7b, 0x26, 0x2a, 0x21, 0x7c, 0x22, 0x27, 0x23, 0xc3,
];

type Mutation = (text: string, pick: (n: number) => number, others: string[]) => string;

const lines = (t: string) => t.split("\n");
const MUTATIONS: Record<string, Mutation> = {
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
    l.splice(pick(l.length), 0, ["---", "...", "--- |", "%YAML 1.1", "---\n---"][pick(5)] ?? "---");
    return l.join("\n");
  },
};

test(`fuzz: ${ITERATIONS} mutated inputs from seed ${SEED}`, () => {
  const random = prng(SEED);
  const pick = (n: number) => Math.floor(random() * n);
  const inputs = seeds();
  const names = Object.keys(MUTATIONS);
  let slowest = 0;
  const started = performance.now();
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    let text = inputs[pick(inputs.length)] ?? "";
    const applied: string[] = [];
    for (let m = 0, count = 1 + pick(3); m < count; m++) {
      const name = names[pick(names.length)] ?? "flipByte";
      applied.push(name);
      text = MUTATIONS[name]?.(text, pick, inputs) ?? text;
    }
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
    const t0 = performance.now();
    try {
      const result = loadManifests([{ name: "fuzz.yaml", dir: "/", bytes }]);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > MAX_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
      renderDiagnostics(result.diagnostics, result.texts, { color: false });
      for (const d of result.diagnostics) {
        if (!isDiagnosticCode(d.code) || d.message === "")
          throw new Error(`bad diagnostic ${JSON.stringify(d)}`);
        if (d.span && (d.span.line < 1 || d.span.column < 1 || d.span.offset > text.length))
          throw new Error(`bad span ${JSON.stringify(d)}`);
      }
      if (result.diagnostics.some((d) => d.severity === "error") && result.pods.length > 0)
        throw new Error("pods despite errors");
    } catch (error) {
      const shown = text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text;
      throw new Error(
        `FUZZ_SEED=${SEED} iteration ${iteration} [${applied.join(", ")}]: ${String(error)}\n--- input ---\n${shown}`,
      );
    }
  }
  const total = performance.now() - started;
  console.log(
    `fuzz: ${ITERATIONS} inputs in ${total.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms (seed ${SEED})`,
  );
  expect(slowest).toBeLessThan(MAX_MS);
}, 240_000);
