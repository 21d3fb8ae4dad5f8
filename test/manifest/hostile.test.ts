/**
 * Hostile input: each case is refused (or read) with a diagnostic, never a throw, in well under
 * a second. The limits are documented in src/manifest/limits.ts.
 */
import { describe, expect, test } from "bun:test";
import { loadManifests } from "../../src/manifest/index.ts";
import { MAX_ANNOTATIONS_BYTES, MAX_DOCUMENTS, MAX_FILE_BYTES } from "../../src/manifest/limits.ts";
import { MAX_DOCUMENT_NODES } from "../../src/manifest/yaml/limits.ts";

const encode = (s: string) => new TextEncoder().encode(s);

function timed(bytes: Uint8Array) {
  const started = performance.now();
  const result = loadManifests([{ name: "hostile.yaml", dir: "/", bytes }]);
  return {
    result,
    ms: performance.now() - started,
    codes: [...new Set(result.diagnostics.map((d) => d.code))],
  };
}

function billionLaughs(): string {
  let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    s += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
  }
  return s;
}

/** `count` lines from `line(i)`. */
function lines(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join("\n");
}

/** Lines from `line(i)` up to just under the size limit. */
function fill(line: (i: number) => string): string {
  let out = "";
  for (let i = 0; ; i++) {
    const next = line(i);
    if (out.length + next.length > MAX_FILE_BYTES - 16) return out;
    out += next;
  }
}

const CASES: [string, () => Uint8Array, string[]][] = [
  [
    "a file one byte over the size limit",
    () => new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61),
    ["file-too-large"],
  ],
  ["NUL bytes", () => encode("apiVersion: v1\nkind: Pod\x00\n"), ["binary-file"]],
  ["a stray 0xFF byte", () => Uint8Array.from([0x61, 0x3a, 0x20, 0xff, 0x0a]), ["bad-encoding"]],
  [
    "an encoded UTF-16 surrogate",
    () => Uint8Array.from([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80]),
    ["bad-encoding"],
  ],
  [
    "an overlong UTF-8 sequence",
    () => Uint8Array.from([0x61, 0x3a, 0x20, 0xc0, 0xaf]),
    ["bad-encoding"],
  ],
  ["a billion laughs", () => encode(billionLaughs()), ["alias-limit"]],
  ["a million-deep flow sequence", () => encode("[".repeat(MAX_FILE_BYTES - 1)), ["too-deep"]],
  ["a deep flow mapping", () => encode("{a: ".repeat(MAX_FILE_BYTES / 4 - 1)), ["too-deep"]],
  [
    "a deep block sequence on one line",
    () => encode(`${"- ".repeat(MAX_FILE_BYTES / 2 - 2)}x`),
    ["too-deep"],
  ],
  [
    "a deep block mapping",
    () => encode(Array.from({ length: 1000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")),
    ["too-deep"],
  ],
  [
    "block sequences nested inside a flow mapping",
    () => encode(`a: {b: [\n  ${"- ".repeat(5000)}x`),
    // go-yaml refuses the first block entry inside a flow collection, before any depth.
    ["yaml-syntax"],
  ],
  [
    // A plain scalar's continuation line starting with a quote must not hide what follows.
    "deep flow after a plain-scalar continuation that starts with a quote",
    () =>
      encode(
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    a: foo\n      'bar\n    b: ${"[a, ".repeat(150_000)}`,
      ),
    ["too-deep"],
  ],
  ["too many documents", () => encode("---\n".repeat(MAX_DOCUMENTS + 1)), ["too-many-documents"]],
  [
    "a huge scalar",
    () =>
      encode(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${"a".repeat(MAX_FILE_BYTES - 100)}\n`),
    ["missing-field", "bad-name"],
  ],
  ["a huge key", () => encode(`${"k".repeat(MAX_FILE_BYTES - 10)}: 1\n`), ["yaml-syntax"]],
  [
    "a huge quantity",
    () =>
      encode(
        `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b, resources: {limits: {cpu: "${"9".repeat(MAX_FILE_BYTES - 200)}"}}}]}\n`,
      ),
    ["bad-quantity"],
  ],
  [
    // Legitimate generated input is many documents, each bounded on its own: a file of
    // 20 000 keys in one document is decoded, not refused for its size.
    "20 000 keys in one document",
    () => encode(lines(20_000, (i) => `k${i}: ${i}`)),
    ["missing-field"],
  ],
  ["duplicate keys in one document", () => encode(lines(20_000, () => "a: 1")), ["duplicate-key"]],
  ["tab-indented lines", () => encode(`a:\n${lines(20_000, () => "\tb: 1")}`), ["tab-indent"]],
  ["unclosed quotes", () => encode(lines(20_000, () => "a: 'x")), ["yaml-syntax"]],
  ["stray colons", () => encode(lines(20_000, () => ": : :")), ["yaml-syntax"]],
  [
    "keys over the per-document node bound",
    () => encode(lines(MAX_DOCUMENT_NODES / 2 + 1, (i) => `k${i}: ${i}`)),
    ["too-many-nodes"],
  ],
  [
    "flow entries over the per-document node bound",
    () => encode(`[${lines(MAX_DOCUMENT_NODES + 1, () => "1,")}]`),
    ["too-many-nodes"],
  ],
  [
    "a file of keys up to the size limit",
    () => encode(fill((i) => `k${i}: ${i}\n`)),
    ["too-many-nodes"],
  ],
];

describe("hostile input", () => {
  for (const [name, make, codes] of CASES) {
    test(`${name}: ${codes.join(", ")}`, () => {
      const { result, ms, codes: got } = timed(make());
      console.log(`hostile: ${name}: ${ms.toFixed(0)} ms`);
      for (const code of codes) expect(got).toContain(code);
      expect(result.pods).toEqual([]);
      // A hang detector with room for a loaded CI machine; the printed times are the measure.
      expect(ms).toBeLessThan(15_000);
    });
  }

  test("annotations over 256 KiB in total are refused", () => {
    const half = "x".repeat(MAX_ANNOTATIONS_BYTES / 2);
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    a: ${half}\n    b: ${half}\nspec: {containers: [{name: a, image: b}]}\n`;
    const { result } = timed(encode(text));
    expect(result.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code}`)).toEqual([
      "5:3 annotations-too-large",
    ]);
  });

  test("a UTF-8 byte order mark is accepted", () => {
    const text =
      "\uFEFFapiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b}]}\n";
    expect(timed(encode(text)).result.diagnostics).toEqual([]);
  });
});
