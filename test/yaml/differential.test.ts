/**
 * The decoder against Kubernetes' own (test/support/k8s-oracle): for every fixture, every
 * corpus file and every fuzz input, kplay's documents must equal kubectl's JSON (keys sorted,
 * integers exact), or both must refuse. kplay refusing a duplicate key must coincide with
 * YAMLToJSONStrict refusing it (or with keys that collide in JSON, which Go resolves at
 * random). Other differences are allowed only by class, each with its reason, and a class
 * that no input uses fails the test. `FUZZ_SEED=n` tries another seed.
 */
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodeYamlBytes, type YamlBytesDecoded } from "../../src/manifest/yaml/index.ts";
import { canonicalJson, canonicalValue } from "../support/canonical.ts";
import { DEFAULT_COUNT, DEFAULT_SEED, type FuzzInput, fuzzInputs } from "../support/fuzz-inputs.ts";
import { loadOracle, type OracleResult } from "../support/k8s-oracle.ts";

const root = join(import.meta.dir, "..", "..");
const corpus = join(root, "..", "shared", "corpus");

interface Case {
  readonly input: FuzzInput;
  readonly kplay: YamlBytesDecoded;
  readonly oracle: OracleResult;
}

/** Differences allowed by class: when each applies, and why kplay differs there. */
const EXCEPTIONS: readonly {
  readonly name: string;
  readonly reason: string;
  readonly applies: (c: Case) => boolean;
}[] = [
  {
    name: "nesting bound",
    reason: "kplay refuses nesting deeper than MAX_NESTING_DEPTH (100), go-yaml allows 10 000",
    applies: (c) => c.oracle.error === undefined && onlyErrors(c, ["too-deep"]),
  },
  {
    name: "bytes after the end",
    reason:
      "kplay refuses control characters and invalid UTF-8 anywhere in a chunk; go-yaml reads only up to its buffer past the first document",
    applies: (c) =>
      c.oracle.error === undefined &&
      c.kplay.problems.some(
        (p) => p.severity === "error" && p.message.includes("after the end of the document"),
      ),
  },
  {
    name: "BOM at a buffer refill",
    reason:
      "go-yaml's is_bom looks at the start of its 1.5 kB buffer, not at the current position, so a byte order mark that lands there makes it skip a character",
    applies: (c) => bomNearRefill(c.input.bytes),
  },
];

function onlyErrors(c: Case, codes: string[]): boolean {
  const errors = c.kplay.problems.filter((p) => p.severity === "error");
  return errors.length > 0 && errors.every((p) => codes.includes(p.code));
}

/**
 * Whether a UTF-8 byte order mark lies among the last few bytes before a 512-byte boundary
 * of its chunk (counted from the last "---" line before it), where go-yaml refills its buffer.
 */
function bomNearRefill(bytes: Uint8Array): boolean {
  let chunk = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (
      bytes[i] === 0x2d &&
      bytes[i + 1] === 0x2d &&
      bytes[i + 2] === 0x2d &&
      (i === 0 || bytes[i - 1] === 0x0a)
    )
      chunk = i;
    if (i > chunk && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      const toBoundary = 512 - ((i - chunk) % 512);
      if (toBoundary >= 3 && toBoundary <= 12) return true;
    }
  }
  return false;
}

function files(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, match));
    else if (match.test(name)) out.push(path);
  }
  return out;
}

function inputs(seed: number): FuzzInput[] {
  const list: FuzzInput[] = [];
  for (const f of files(join(root, "fixtures"), /\.(ya?ml|json)$/))
    list.push({ name: f.slice(root.length + 1), applied: [], bytes: readFileSync(f) });
  if (existsSync(corpus))
    for (const f of files(corpus, /\.yaml$/))
      list.push({
        name: `corpus/${f.slice(corpus.length + 1)}`,
        applied: [],
        bytes: readFileSync(f),
      });
  else console.log(`differential: ../shared/corpus is absent, its files are skipped`);
  list.push(...fuzzInputs({ seed, count: DEFAULT_COUNT }));
  return list;
}

function classify(c: Case): string {
  const refuses = c.kplay.problems.some((p) => p.severity === "error");
  const oracleRefuses = c.oracle.error !== undefined;
  const duplicate = c.kplay.problems.some(
    (p) => p.severity === "error" && p.code === "duplicate-key",
  );
  if (refuses && oracleRefuses) return "both refuse";
  if (
    duplicate &&
    !oracleRefuses &&
    (c.oracle.strict !== undefined || c.oracle.collision !== undefined)
  )
    return "duplicate keys (strict refuses too)";
  if (!refuses && !oracleRefuses) {
    const mine = c.kplay.documents.map((d) => canonicalValue(d.value)).join("\n");
    const theirs = c.oracle.docs.map(canonicalJson).join("\n");
    if (mine === theirs) return "agree";
  }
  for (const e of EXCEPTIONS) if (e.applies(c)) return `exception: ${e.name}`;
  return "MISMATCH";
}

function describe(c: Case): string {
  const text = Buffer.from(c.input.bytes).toString("latin1");
  const shown = text.length > 600 ? `${text.slice(0, 600)}… (${text.length} bytes)` : text;
  const mine = c.kplay.problems
    .filter((p) => p.severity === "error")
    .map((p) => `${p.code}@${p.start}: ${p.message}`);
  return [
    `${c.input.name} [${c.input.applied.join(", ")}]`,
    `  kplay: ${
      mine.length > 0
        ? mine.join("; ")
        : c.kplay.documents
            .map((d) => canonicalValue(d.value))
            .join(" | ")
            .slice(0, 400)
    }`,
    `  k8s:   ${c.oracle.error ?? c.oracle.docs.map(canonicalJson).join(" | ").slice(0, 400)}${c.oracle.strict ? ` (strict: ${c.oracle.strict})` : ""}`,
    `  input: ${JSON.stringify(shown)}`,
  ].join("\n");
}

const oracle = loadOracle();
if (!oracle.ok) {
  console.log(`differential: skipped: ${oracle.reason}`);
  test.skip(`differential against Kubernetes' decoder (${oracle.reason})`, () => {});
} else {
  const seed = DEFAULT_SEED;
  test(`differential against Kubernetes' decoder, fuzz seed ${seed}`, () => {
    const list = inputs(seed);
    const started = performance.now();
    const answers = oracle.run(list.map((i) => i.bytes));
    const goMs = performance.now() - started;
    const t0 = performance.now();
    const cases: Case[] = list.map((input, i) => ({
      input,
      kplay: decodeYamlBytes(input.bytes),
      oracle: answers[i] as OracleResult,
    }));
    const kplayMs = performance.now() - t0;
    const counts = new Map<string, number>();
    const mismatches: string[] = [];
    for (const c of cases) {
      const kind = classify(c);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      if (kind === "MISMATCH") mismatches.push(describe(c));
    }
    const lines = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n} ${k}`);
    console.log(
      `differential: ${cases.length} inputs (seed ${seed}), oracle ${goMs.toFixed(0)} ms, kplay ${kplayMs.toFixed(0)} ms\n${lines.join("\n")}`,
    );
    if (mismatches.length > 0) console.log(mismatches.slice(0, 15).join("\n\n"));
    const unused = EXCEPTIONS.filter((e) => !counts.has(`exception: ${e.name}`)).map((e) => e.name);
    expect(mismatches.length).toBe(0);
    expect(unused).toEqual([]);
  }, 120_000);
}
