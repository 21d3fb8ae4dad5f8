/** The file level: splitter, JSON sniff, encodings, content after a document, limits. */
import { describe, expect, test } from "bun:test";
import { decodeYamlBytes } from "../../src/manifest/yaml/index.ts";
import { canonicalValue } from "../support/canonical.ts";
import { brief, decode, problems, values } from "./helpers.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const utf16 = (s: string, little: boolean) => {
  const out = [little ? 0xff : 0xfe, little ? 0xfe : 0xff];
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out.push(...(little ? [u & 0xff, u >> 8] : [u >> 8, u & 0xff]));
  }
  return Uint8Array.from(out);
};

describe("the --- splitter", () => {
  test("documents, empty chunks skipped, index counts chunks", () => {
    const r = decode("a: 1\n---\n# only a comment\n---\nb: 2\n");
    expect(r.documents.map((d) => [d.index, canonicalValue(d.value)])).toEqual([
      [0, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
    expect(r.documents[1]?.range).toEqual([30, 34]);
  });
  test("--- followed by text is an invalid separator", () => {
    expect(problems("a: 1\n--- |\n  x\n")).toEqual(["error yaml-syntax 5-10"]);
  });
  test("%YAML 1.1 directly before --- is left alone in its chunk: refused", () => {
    expect(problems("%YAML 1.1\n---\na: 1\n")).toEqual(["error yaml-syntax 10-10"]);
  });
  test("%YAML 1.2 is refused", () => {
    expect(problems("%YAML 1.2\na: 1\n")).toEqual(["error yaml-syntax 0-9"]);
  });
  test("a leading --- stays in its chunk: --- then %YAML 1.2 is an empty document", () => {
    expect(
      decode("---\n%YAML 1.2\na: 1\n---\nb: 2\n").documents.map((d) => canonicalValue(d.value)),
    ).toEqual(['{"b":2}']);
  });
  test("CR-only line breaks hide --- from the splitter: the rest is ignored", () => {
    expect(problems("a: 1\r---\rb: 2\r")).toEqual(["warning ignored-content 5-8"]);
  });
  test("CR LF line breaks and CR-only line breaks", () => {
    expect(values("a: 1\r\nb: 2\r\n")).toEqual(['{"a":1,"b":2}']);
    expect(values("a: 1\rb: 2\r")).toEqual(['{"a":1,"b":2}']);
  });
});

describe("content after the end of a document", () => {
  test("after ... it is ignored with a warning, the value unchanged", () => {
    const r = decode("a: 1\n...\nb: 2\n");
    expect(r.problems.map(brief)).toEqual(["warning ignored-content 9-13"]);
    expect(r.documents.map((d) => canonicalValue(d.value))).toEqual(['{"a":1}']);
  });
  test("go-yaml's token queue: an empty flow collection as a root key ends the document", () => {
    expect(values("[]: b\n")).toEqual(["[]"]);
  });
  test("after a flow collection at the root", () => {
    expect(problems("[a]\nb: c\n")).toEqual(["warning ignored-content 4-8"]);
  });
});

describe("JSON", () => {
  test("a stream that starts with { is JSON, then YAML after one object", () => {
    expect(values('{"a": 1}\nb: 2\n')).toEqual(['{"a":1}', '{"b":2}']);
  });
  test("big integers stay exact, -0 is 0", () => {
    expect(values('{"a": 12345678901234567890123, "b": 1.5, "c": -0}')).toEqual([
      '{"a":12345678901234567890123,"b":1.5,"c":0}',
    ]);
  });
  test("invalid JSON that is valid YAML is read as YAML, as kubectl does", () => {
    expect(values("{a: 1, b: [x]}\n")).toEqual(['{"a":1,"b":["x"]}']);
  });
});

describe("encodings", () => {
  test("a BOM at the start of a later document (cat a.yaml b.yaml)", () => {
    const r = decodeYamlBytes(enc("a: 1\n---\n\uFEFFb: 2\n"));
    expect(r.documents.map((d) => canonicalValue(d.value))).toEqual(['{"a":1}', '{"b":2}']);
  });
  test("UTF-16BE with BOM is decoded, not called binary", () => {
    const r = decodeYamlBytes(utf16("a: 1\nb: [x]\n", false));
    expect(r.problems).toEqual([]);
    expect(r.documents.map((d) => canonicalValue(d.value))).toEqual(['{"a":1,"b":["x"]}']);
  });
  test("UTF-16LE ending in a newline: the splitter's extra byte cannot be paired", () => {
    expect(decodeYamlBytes(utf16("a: 1\n", true)).problems.map((p) => p.code)).toEqual([
      "bad-encoding",
    ]);
  });
  test("invalid UTF-8 is refused where it is", () => {
    const r = decodeYamlBytes(Uint8Array.from([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    expect(r.problems.map(brief)).toEqual(["error bad-encoding 3-4"]);
  });
  test("a control character is refused, even after the end of the document", () => {
    expect(problems("a: \x01\n")).toEqual(["error control-character 3-4"]);
    expect(problems("a: 1\n...\n\x01\n")[0]).toBe("error control-character 9-10");
  });
  test("a tab used as indentation", () => {
    expect(problems("a:\n\t- b\n")).toEqual(["error tab-indent 3-4"]);
  });
});

describe("bounds", () => {
  test("nesting deeper than 100 is too-deep, at the 101st level", () => {
    expect(problems(`${"[".repeat(101)}${"]".repeat(101)}\n`)).toEqual(["error too-deep 100-101"]);
    expect(problems(`${"[".repeat(100)}${"]".repeat(100)}\n`)).toEqual([]);
  });
  test("aliases count toward the nesting bound", () => {
    let text = "a0: &a0 [x]\n";
    for (let k = 1; k <= 100; k++) text += `a${k}: &a${k} [*a${k - 1}]\n`;
    expect(problems(text).map((p) => p.split(" ")[1])).toEqual(["too-deep"]);
  });
  test("a document of more than maxNodes nodes is refused", () => {
    expect(problems("- a\n".repeat(300_000)).map((p) => p.split(" ")[1])).toEqual([
      "too-many-nodes",
    ]);
    const json = decodeYamlBytes(enc(`{"a": [${"1,".repeat(300_000)}1]}`), { maxNodes: 1000 });
    expect(json.problems.map((p) => p.code)).toEqual(["too-many-nodes"]);
  });
  test("problems are capped with a summary that has a position", () => {
    const text = Array.from({ length: 80 }, () => "a: 1\n---\n\x01\n---\n").join("");
    const r = decode(text);
    expect(r.problems).toHaveLength(51);
    expect(r.problems[50]?.code).toBe("too-many-problems");
    expect(r.problems[50]?.message).toBe("30 more YAML problems not shown");
    expect(r.problems[50]?.start).toBeGreaterThan(0);
  });
  test("never throws, even for garbage", () => {
    for (const text of ["\uFFFF", "{", "[[[", "- - - -", "? ? ?", "*", "!<", "%", '"\\', "|9\n x"])
      expect(() => decode(text)).not.toThrow();
  });
});
