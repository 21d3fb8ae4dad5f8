/** Mapping keys: JSON conversion, duplicates, merges and prototype names. */
import { describe, expect, test } from "bun:test";
import { decode, problems, value } from "./helpers.ts";

describe("keys become JSON keys as sigs.k8s.io/yaml makes them", () => {
  test("numeric, float and boolean keys", () => {
    expect(value('1: a\n"2": b\n1.0e6: c\n0.00001: d\nyes: e\n')).toBe(
      '{"1":"a","1e+06":"c","1e-05":"d","2":"b","true":"e"}',
    );
  });
  test("a null key and a uint64 key are refused at the key", () => {
    expect(problems("~: x\n")).toEqual(["error bad-key 0-1"]);
    expect(problems("18446744073709551615: x\n")).toEqual(["error bad-key 0-20"]);
  });
  test("a collection key is refused", () => {
    expect(problems("[a]: b\n")).toEqual(["error bad-key 0-3"]);
  });
  test("prototype names are ordinary own keys", () => {
    const doc = decode("__proto__: {x: 1}\nconstructor: 2\ntoString: 3\nhasOwnProperty: 4\n")
      .documents[0];
    const v = doc?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(null);
    expect(Object.keys(v)).toEqual(["__proto__", "constructor", "toString", "hasOwnProperty"]);
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
  });
});

describe("duplicates", () => {
  test("the same key twice is an error at the second", () => {
    expect(problems("a: 1\nb: 2\na: 3\n")).toEqual(["error duplicate-key 10-11"]);
  });
  test('1 and "1" become one JSON key: refused (Go would pick one at random)', () => {
    expect(problems("1: a\n'1': b\n")).toEqual(["error duplicate-key 5-8"]);
  });
});

describe("merge keys with go-yaml v2's order", () => {
  test("a later merge overwrites an earlier key, with a warning", () => {
    const r = decode("app: &app {name: app, image: x}\nside: {name: sidecar, <<: *app}\n");
    expect(r.problems.map((p) => `${p.severity} ${p.code} ${p.start}`)).toEqual([
      "warning merge-override 54",
    ]);
    expect(JSON.stringify(r.documents[0]?.value)).toBe(
      '{"app":{"name":"app","image":"x"},"side":{"name":"app","image":"x"}}',
    );
  });
  test("a key after the merge overrides it, silently", () => {
    expect(value("a: &a {k: 1}\nb: {<<: *a, k: 2}\n")).toBe('{"a":{"k":1},"b":{"k":2}}');
  });
  test("in a merged list the earlier map wins", () => {
    expect(value("a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc: {<<: [*a, *b]}\n")).toBe(
      '{"a":{"k":1},"b":{"j":3,"k":2},"c":{"j":3,"k":1}}',
    );
  });
  test("<<: ~, <<: edge and an alias of a scalar are refused at the value", () => {
    expect(problems("a: {<<: ~}\n")).toEqual(["error yaml-syntax 8-9"]);
    expect(problems("a: {<<: edge}\n")).toEqual(["error yaml-syntax 8-12"]);
    expect(problems("s: &s x\na: {<<: *s}\n")).toEqual(["error yaml-syntax 16-18"]);
  });
});

describe("aliases", () => {
  test("an unknown anchor is named, at the alias", () => {
    expect(problems("a: *nope\n")).toEqual(["error yaml-syntax 3-8"]);
    expect(decode("a: *nope\n").problems[0]?.message).toBe('Unknown anchor "nope" referenced');
  });
  test("anchors do not cross ---", () => {
    expect(problems("a: &x 1\n---\nb: *x\n")).toEqual(["error yaml-syntax 15-17"]);
  });
  test("a billion-laughs file is refused by go-yaml's alias ratio, at the outer alias", () => {
    let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let k = 1; k < 8; k++)
      bomb += `a${k}: &a${k} [${Array(9)
        .fill(`*a${k - 1}`)
        .join(", ")}]\n`;
    const r = decode(bomb);
    expect(r.problems.map((p) => p.code)).toEqual(["alias-limit"]);
    expect(r.problems[0]?.message).toContain("excessive aliasing");
  });
});
