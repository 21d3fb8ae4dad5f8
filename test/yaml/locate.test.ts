/** locate(): from a field path back to the node its value came from. */
import { describe, expect, test } from "bun:test";
import { decode } from "./helpers.ts";

const text = [
  "app: &app", //          0
  "  name: app", //        10
  "  image: x", //         22
  "side:", //              33
  "  <<: *app", //         39
  "  name: sidecar", //    50
  "copy: *app", //         66
  "list: [a, {b: 1}]", //  77
  "",
].join("\n");

describe("locate", () => {
  const doc = decode(text).documents[0];
  test("a plain key: its value node and its key", () => {
    expect(doc?.locate(["app", "image"])).toEqual({
      start: 31,
      end: 32,
      keyStart: 24,
      keyEnd: 29,
      exact: true,
    });
  });
  test("a key the mapping sets itself after a merge", () => {
    expect(doc?.locate(["side", "name"])).toEqual({
      start: 58,
      end: 65,
      keyStart: 52,
      keyEnd: 56,
      exact: true,
    });
  });
  test("a key a merge supplied: the << entry", () => {
    expect(doc?.locate(["side", "image"])).toEqual({
      start: 41,
      end: 49,
      keyStart: 41,
      keyEnd: 43,
      exact: true,
    });
  });
  test("a value that came through an alias: the alias node", () => {
    expect(doc?.locate(["copy"])).toEqual({
      start: 72,
      end: 76,
      keyStart: 66,
      keyEnd: 70,
      exact: true,
    });
  });
  test("sequence items and a path that does not exist", () => {
    expect(doc?.locate(["list", 1, "b"])).toMatchObject({ start: 91, end: 92, exact: true });
    expect(doc?.locate(["list", 1, "missing"])).toMatchObject({ start: 87, exact: false });
  });
});
