import { describe, expect, test } from "bun:test";
import { compareQuantities, parseQuantity, toBytes, toMilli } from "../../src/manifest/quantity.ts";

/** The exact value as "numerator/denominator", or the failure. */
function exact(s: string | number): string {
  const q = parseQuantity(s);
  return q.ok ? `${q.value.numerator}/${q.value.denominator}` : "invalid";
}

describe("parseQuantity", () => {
  test.each([
    ["0", "0/1"],
    ["1", "1/1"],
    ["500m", "1/2"],
    ["1.5", "3/2"],
    ["0.1", "1/10"],
    [".5", "1/2"],
    ["5.", "5/1"],
    ["+2", "2/1"],
    ["-2", "-2/1"],
    ["100n", "1/10000000"],
    ["3u", "3/1000000"],
    ["1k", "1000/1"],
    ["1M", "1000000/1"],
    ["2G", "2000000000/1"],
    ["1T", "1000000000000/1"],
    ["1P", "1000000000000000/1"],
    ["1E", "1000000000000000000/1"],
    ["1Ki", "1024/1"],
    ["1.5Ki", "1536/1"],
    ["128Mi", "134217728/1"],
    ["1Gi", "1073741824/1"],
    ["1Ti", "1099511627776/1"],
    ["1Pi", "1125899906842624/1"],
    ["1Ei", "1152921504606846976/1"],
    ["1e3", "1000/1"],
    ["1E3", "1000/1"],
    ["1E-3", "1/1000"],
    ["1e+3", "1000/1"],
    ["2.5e-1", "1/4"],
    [0.5, "1/2"],
    [3, "3/1"],
    [1e21, "1000000000000000000000/1"],
  ])("%p is %s", (input, expected) => {
    expect(exact(input)).toBe(expected);
  });

  test.each([
    "",
    "m",
    ".",
    "-",
    "1 Gi",
    "1gi",
    "1K",
    "1KB",
    "1mi",
    "1e",
    "1e3.5",
    "1.2.3",
    "Gi",
    "0x10",
    "1e1000000",
    "∞",
    " 1",
  ])("%p is refused", (input) => {
    expect(exact(input)).toBe("invalid");
  });

  test("huge digit strings are refused without BigInt work", () => {
    // Deterministic instead of timed: any BigInt call during the parse would throw.
    const real = globalThis.BigInt;
    globalThis.BigInt = (() => {
      throw new Error("BigInt called");
    }) as unknown as BigIntConstructor;
    try {
      expect(exact("9".repeat(1_000_000))).toBe("invalid");
    } finally {
      globalThis.BigInt = real;
    }
  });

  test("toBytes and toMilli round up away from zero, as Kubernetes' Value and MilliValue", () => {
    const q = (s: string) => {
      const r = parseQuantity(s);
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    expect(toBytes(q("1Gi"))).toBe(1073741824n);
    expect(toBytes(q("1.5"))).toBe(2n);
    expect(toBytes(q("-1.5"))).toBe(-2n);
    expect(toMilli(q("0.5"))).toBe(500n);
    expect(toMilli(q("250m"))).toBe(250n);
    expect(toMilli(q("1u"))).toBe(1n);
    expect(toMilli(q("2"))).toBe(2000n);
    expect(compareQuantities(q("1Gi"), q("1G"))).toBe(1);
    expect(compareQuantities(q("1000m"), q("1"))).toBe(0);
  });
});
