/** Scalar resolution as go-yaml v2 does it (YAML 1.1), with the JSON form Kubernetes gets. */
import { describe, expect, test } from "bun:test";
import { problems, value } from "./helpers.ts";

describe("numbers", () => {
  test("YAML 1.1 octal 0755 and Go's 0o755 are both 493; 08 is not octal, so a float", () => {
    expect(value("a: 0755\nb: 0o755\nc: 08\n")).toBe('{"a":493,"b":493,"c":8}');
  });
  test("0x, 0b and _ in numbers", () => {
    expect(value("a: 0x1F\nb: 0b101\nc: 1_000\nd: -0x10\ne: +12\n")).toBe(
      '{"a":31,"b":5,"c":1000,"d":-16,"e":12}',
    );
  });
  test("past int64 an integer is uint64, past uint64 a float", () => {
    expect(
      value("a: 9223372036854775808\nb: 18446744073709551616\nc: -9223372036854775809\n"),
    ).toBe('{"a":9223372036854775808,"b":18446744073709552000,"c":-9223372036854776000}');
  });
  test("floats: 1e999 overflows and stays a string; .5 and 1e5 are floats", () => {
    expect(value("a: 1e999\nb: .5\nc: 1e5\nd: 1.\n")).toBe(
      '{"a":"1e999","b":0.5,"c":100000,"d":1}',
    );
  });
  test(".inf and .nan have no JSON form", () => {
    expect(problems("a: .inf\n")).toEqual(["error not-json 3-7"]);
    expect(problems("a: [.nan]\n")).toEqual(["error not-json 4-8"]);
  });
});

describe("booleans, nulls, timestamps", () => {
  test("y, yes, on, off are booleans; Y/N too", () => {
    expect(value("a: y\nb: yes\nc: on\nd: off\ne: N\nf: True\n")).toBe(
      '{"a":true,"b":true,"c":true,"d":false,"e":false,"f":true}',
    );
  });
  test("~, null and an empty value are null", () => {
    expect(value("a: ~\nb: null\nc:\n")).toBe('{"a":null,"b":null,"c":null}');
  });
  test("timestamps stay strings", () => {
    expect(value("a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\n")).toBe(
      '{"a":"2001-12-14t21:59:43.10-05:00","b":"2002-12-14"}',
    );
  });
});

describe("quoted and block scalars", () => {
  test("\\' inside double quotes is accepted as '", () => {
    expect(value('a: "it\\\'s"\n')).toBe('{"a":"it\'s"}');
  });
  test("an unknown escape is an error at the backslash", () => {
    expect(problems('a: "\\q"\n')).toEqual(["error yaml-syntax 4-6"]);
  });
  test("folded and literal block scalars with chomping", () => {
    expect(value("a: >-\n  x\n  y\nb: |+\n  z\n\n")).toBe('{"a":"x y","b":"z\\n\\n"}');
  });
  test("quoted scalars are strings, never resolved", () => {
    expect(value("a: '0755'\nb: \"yes\"\n")).toBe('{"a":"0755","b":"yes"}');
  });
});

describe("tags", () => {
  test("!!binary is decoded base64; invalid UTF-8 becomes U+FFFD as in Go's JSON", () => {
    expect(value("a: !!binary aGVsbG8=\nb: !!binary /w==\n")).toBe('{"a":"hello","b":"\uFFFD"}');
  });
  test("invalid base64 is an error", () => {
    expect(problems("a: !!binary x\n")).toEqual(["error yaml-syntax 3-13"]);
  });
  test("!!str keeps text, !!float takes an integer, unknown tags are ignored", () => {
    expect(value("a: !!str 1\nb: !!float 3\nc: !t 4\nd: !!foo yes\n")).toBe(
      '{"a":"1","b":3,"c":"4","d":"yes"}',
    );
  });
  test("a tag that disagrees with the value is an error", () => {
    expect(problems("a: !!int x\n")).toEqual(["error yaml-syntax 3-10"]);
  });
  test("!!omap is just a sequence of one-pair maps (and the key y is true)", () => {
    expect(value("a: !!omap\n  - x: 1\n  - y: 2\n")).toBe('{"a":[{"x":1},{"true":2}]}');
  });
});
