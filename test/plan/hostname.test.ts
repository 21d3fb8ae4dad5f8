/** The pod's hostname as the kubelet sets it: spec.hostname, else the name cut to 63. */
import { expect, test } from "bun:test";
import type { Pod } from "../../src/manifest/model.ts";
import { podHostname } from "../../src/plan/pod.ts";

const pod = (name: string, hostname?: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [], ...(hostname === undefined ? {} : { hostname }) },
});

test("names of up to 63 characters are the hostname; longer ones are cut, then trimmed", () => {
  const a = "a".repeat(62);
  for (const [name, expected] of [
    ["web", "web"],
    ["a".repeat(63), "a".repeat(63)],
    ["b".repeat(64), "b".repeat(63)],
    [`${a}.example.com`, a],
    [`${"c".repeat(61)}-d-e`, `${"c".repeat(61)}-d`],
    [`${"e".repeat(61)}.-x`, "e".repeat(61)],
  ] as const) {
    expect([name, podHostname(pod(name))]).toEqual([name, expected]);
  }
});

test("spec.hostname wins; an empty one is no hostname", () => {
  expect(podHostname(pod("b".repeat(70), "web"))).toBe("web");
  expect(podHostname(pod("web", ""))).toBe("web");
});
