/** A negative grace period is 1 second, as the API server (1.27+) stores it. */
import { expect, test } from "bun:test";
import { loadManifests } from "../../src/manifest/index.ts";
import { containerSteps } from "../../src/plan/index.ts";
import { planOf } from "../support/plan.ts";

function plan(grace: number) {
  const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  terminationGracePeriodSeconds: ${grace}
  containers: [{name: c, image: localhost/busybox:test}]
`;
  const loaded = loadManifests([
    { name: "p.yaml", dir: "/m", bytes: new TextEncoder().encode(yaml) },
  ]);
  expect(loaded.diagnostics).toEqual([]);
  const pod = planOf(loaded).objects[0]?.pods[0];
  if (!pod) throw new Error("no pod planned");
  const [container] = containerSteps(pod);
  const create = pod.steps.find((s) => s.action === "create-pod");
  if (!container || !create || !("request" in create)) throw new Error("no create steps");
  const body = container.request.body as { stop_timeout?: number };
  const labels = (create.request.body as { labels: Record<string, string> }).labels;
  return { stop: body.stop_timeout, label: labels["io.kplay.grace-period"] };
}

test("negative grace periods stop with 1 second; others as written", () => {
  for (const [grace, expected] of [
    [-5, 1],
    [-1, 1],
    [0, 0],
    [30, 30],
  ] as const)
    expect([grace, plan(grace)]).toEqual([grace, { stop: expected, label: String(expected) }]);
});
