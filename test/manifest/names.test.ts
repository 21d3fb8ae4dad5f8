import { describe, expect, test } from "bun:test";
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkEnvName,
  checkLabelValue,
  checkPortName,
  checkQualifiedName,
} from "../../src/manifest/names.ts";

const ok = (check: (s: string) => string | undefined, s: string) => check(s) === undefined;

describe("Kubernetes name syntaxes", () => {
  test("DNS-1123 label", () => {
    for (const s of ["a", "web", "web-1", "1web", "a".repeat(63)])
      expect(ok(checkDns1123Label, s)).toBe(true);
    for (const s of ["", "Web", "web_1", "-web", "web-", "a.b", "a".repeat(64)])
      expect(ok(checkDns1123Label, s)).toBe(false);
  });

  test("DNS-1123 subdomain", () => {
    for (const s of ["web", "web.example.com", "a-b.c-d", "a".repeat(253)])
      expect(ok(checkDns1123Subdomain, s)).toBe(true);
    for (const s of ["", "Web", "a..b", ".a", "a.", "a.-b", "a".repeat(254)])
      expect(ok(checkDns1123Subdomain, s)).toBe(false);
  });

  test("label keys and values", () => {
    for (const s of ["app", "app.kubernetes.io/name", "a_b.c-d", "example.com/x"])
      expect(ok(checkQualifiedName, s)).toBe(true);
    for (const s of ["", "/x", "example.com/", "-a", "a b", "Example.com/x", `${"a".repeat(64)}`])
      expect(ok(checkQualifiedName, s)).toBe(false);
    for (const s of ["", "v1", "1.0", "a_b"]) expect(ok(checkLabelValue, s)).toBe(true);
    for (const s of ["1.0-", "-a", "a b", "a".repeat(64)])
      expect(ok(checkLabelValue, s)).toBe(false);
  });

  test("environment variable names", () => {
    for (const s of ["A", "_A", "a.b", "a-b", "MY_VAR_1", ".x"])
      expect(ok(checkEnvName, s)).toBe(true);
    for (const s of ["", "1A", "A B", "A=B", "ä"]) expect(ok(checkEnvName, s)).toBe(false);
  });

  test("port names", () => {
    for (const s of ["http", "http-alt", "h2c", "a".repeat(15)])
      expect(ok(checkPortName, s)).toBe(true);
    for (const s of ["", "80", "HTTP", "-http", "http-", "a--b", "a".repeat(16)])
      expect(ok(checkPortName, s)).toBe(false);
  });

  test("scanners stay linear on long hostile names", () => {
    const started = performance.now();
    for (const check of [
      checkDns1123Label,
      checkDns1123Subdomain,
      checkQualifiedName,
      checkLabelValue,
      checkEnvName,
      checkPortName,
    ]) {
      check(`${"a-".repeat(500_000)}!`);
    }
    // A hang detector, not a benchmark: linear scans take ~2 ms here, a backtracking
    // (quadratic) scan of a million characters takes minutes.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
