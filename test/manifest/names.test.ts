import { describe, expect, test } from "bun:test";
import { isIp } from "../../src/manifest/ip.ts";
import {
  checkConfigMapKey,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkDnsSearch,
  checkEnvName,
  checkHttpHeaderName,
  checkLabelValue,
  checkPortName,
  checkQualifiedName,
  checkSysctlName,
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

  test("environment variable names: Kubernetes 1.32+'s relaxed rule", () => {
    // Any printable ASCII but '=': digits first, spaces and punctuation are all valid.
    for (const s of [
      "A",
      "_A",
      "a.b",
      "a-b",
      "MY_VAR_1",
      ".x",
      "1ST_VAR",
      "MY VAR",
      "~!@#$%^&*()",
      " ",
    ])
      expect(ok(checkEnvName, s)).toBe(true);
    for (const s of ["", "A=B", "=", "ä", "A\tB", "A\nB", "\u007f", "A\u0000"])
      expect(ok(checkEnvName, s)).toBe(false);
  });

  test("port names", () => {
    for (const s of ["http", "http-alt", "h2c", "a".repeat(15)])
      expect(ok(checkPortName, s)).toBe(true);
    for (const s of ["", "80", "HTTP", "-http", "http-", "a--b", "a".repeat(16)])
      expect(ok(checkPortName, s)).toBe(false);
  });

  test("HTTP header names: letters, digits and '-'", () => {
    for (const s of ["X-Probe", "Accept", "x-1"]) expect(ok(checkHttpHeaderName, s)).toBe(true);
    for (const s of ["", "X_Probe", "X Probe", "X:Y", "Ä"])
      expect(ok(checkHttpHeaderName, s)).toBe(false);
  });

  test("sysctl names: segments joined by '.' or '/'", () => {
    for (const s of [
      "kernel.shm_rmid_forced",
      "net.ipv4.ip_forward",
      "net/ipv4/conf/eth0.100/forwarding",
      "a",
      "a-b_c.d",
    ])
      expect(ok(checkSysctlName, s)).toBe(true);
    for (const s of [
      "",
      "Kernel.x",
      "net..ipv4",
      ".net",
      "net.",
      "net./x",
      "net.-x",
      "net.x_",
      "a b",
      "a".repeat(254),
    ])
      expect(ok(checkSysctlName, s)).toBe(false);
  });

  test("DNS search domains (1.33+): '_' allowed, one trailing dot, and '.'", () => {
    for (const s of [".", "example.com", "example.com.", "_srv._tcp.example.com", "a_b.c"])
      expect(ok(checkDnsSearch, s)).toBe(true);
    for (const s of ["", "..", "Example.com", "a..b", "-a.b", "a_.b", "example.com..", "__a.b"])
      expect(ok(checkDnsSearch, s)).toBe(false);
  });

  test("ConfigMap and Secret keys", () => {
    for (const s of ["key", "KEY_1", "key.name", "key-name", ".hidden"])
      expect(ok(checkConfigMapKey, s)).toBe(true);
    for (const s of ["", ".", "..", "..x", "a/b", "a b", "k".repeat(254)])
      expect(ok(checkConfigMapKey, s)).toBe(false);
  });

  test("IP addresses as the API server parses them (sloppy IPv4, IPv6 without zones)", () => {
    const valid = [
      "10.9.8.7",
      "0.0.0.0",
      "255.255.255.255",
      "010.001.0.1",
      "::",
      "::1",
      "2001:db8::ffff",
      "1:2:3:4:5:6:7:8",
      "::ffff:192.0.2.1",
      "1:2:3:4:5:6:1.2.3.4",
      "fe80::",
      "0001:2::",
    ];
    const invalid = [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.0.0.1",
      "1.2.3.-4",
      " 1.2.3.4",
      "1.2.3.4 ",
      "a.b.c.d",
      ":",
      ":::",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7::8",
      "fe80::1%eth0",
      "12345::",
      "::1.2.3",
      "1.2.3.4::",
      "1.2.3.4::5",
      "::g",
      "[::1]",
      "1:2:3:4:5:6:7:1.2.3.4",
    ];
    for (const s of valid) expect([s, isIp(s)]).toEqual([s, true]);
    for (const s of invalid) expect([s, isIp(s)]).toEqual([s, false]);
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
      checkHttpHeaderName,
      checkSysctlName,
      checkDnsSearch,
      checkConfigMapKey,
      isIp,
    ]) {
      check(`${"a-".repeat(500_000)}!`);
    }
    // A hang detector, not a benchmark: linear scans take ~2 ms here, a backtracking
    // (quadratic) scan of a million characters takes minutes.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
