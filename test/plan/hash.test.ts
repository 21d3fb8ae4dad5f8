/** Container hashes drive converge: what changes a container must change its hash, and only that. */
import { expect, test } from "bun:test";
import { loadManifests } from "../../src/manifest/index.ts";
import { planOf } from "../support/plan.ts";

function hashes(yaml: string): { pod: string; containers: Record<string, string> } {
  const r = loadManifests([{ name: "h.yaml", dir: "/m", bytes: new TextEncoder().encode(yaml) }]);
  expect(r.diagnostics).toEqual([]);
  const p = planOf(r).objects[0]?.pods[0];
  if (!p) throw new Error("no pod planned");
  return { pod: p.podHash, containers: { ...p.containerHashes } };
}

const pod = (probePath: string, env: string) => `apiVersion: v1
kind: Pod
metadata: {name: h}
spec:
  containers:
    - name: a
      image: localhost/busybox:test
      env: [{name: X, value: "${env}"}]
      readinessProbe: {httpGet: {path: ${probePath}, port: 80}}
    - name: b
      image: localhost/busybox:test
`;

test("a readiness probe change changes only that container's hash", () => {
  const before = hashes(pod("/a", "1"));
  const after = hashes(pod("/b", "1"));
  expect(after.containers.a).not.toBe(before.containers.a);
  expect(after.containers.b).toBe(before.containers.b);
  // Probed ports are published on 127.0.0.1, so the pod itself stays the same.
  expect(after.pod).toBe(before.pod);
});

test("an env change changes only that container's hash; the same input, the same hashes", () => {
  const before = hashes(pod("/a", "1"));
  expect(hashes(pod("/a", "1"))).toEqual(before);
  const after = hashes(pod("/a", "2"));
  expect(after.containers.a).not.toBe(before.containers.a);
  expect(after.containers.b).toBe(before.containers.b);
  expect(after.pod).toBe(before.pod);
});
