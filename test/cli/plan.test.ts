/**
 * `kplay plan` is deterministic and offline: the same input gives byte-identical output, with
 * no IDs or timestamps in it, and Podman is never contacted.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { repoRoot, runKplay } from "../support/podman.ts";
import { fixture } from "./helpers.ts";

/** Every golden plan input, and the CLI fixtures that plan (not the refused ones). */
const INPUTS = [
  ...readdirSync(join(repoRoot, "fixtures/plan"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `fixtures/plan/${f}`),
  fixture("full.yaml"),
  fixture("three-pods.yaml"),
];

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy();
});
afterAll(async () => {
  await proxy.close();
});

test("the same input twice: byte-identical output, no IDs, no timestamps, no request", async () => {
  // CONTAINER_HOST points at the counting proxy: a plan that asked Podman anything would show.
  const env = { CONTAINER_HOST: proxy.url };
  const first = await runKplay(["plan", ...INPUTS], { env });
  const second = await runKplay(["plan", ...INPUTS], { env });
  expect(first.stderr).toBe("");
  expect(first.exitCode).toBe(0);
  expect(second).toEqual(first);
  expect(proxy.requests).toEqual([]);

  const plan = JSON.parse(first.stdout) as {
    kind: string;
    version: number;
    objects: { pods: { name: string; source: { file: string; document: number } }[] }[];
  };
  expect([plan.kind, plan.version]).toEqual(["kplay.plan", 2]);
  // One pod per document, in input order.
  const pods = plan.objects.flatMap((o) => o.pods);
  expect(pods.slice(-4).map((p) => [p.name, p.source])).toEqual([
    ["cli-full", { file: fixture("full.yaml"), document: 0 }],
    ["cli-multi-a", { file: fixture("three-pods.yaml"), document: 0 }],
    ["cli-multi-b", { file: fixture("three-pods.yaml"), document: 1 }],
    ["cli-multi-c", { file: fixture("three-pods.yaml"), document: 2 }],
  ]);
  expect(first.stdout.match(/[0-9a-f]{64}/g)).toBeNull();
  expect(first.stdout.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g)).toBeNull();
  // Two-space JSON, one trailing newline.
  expect(first.stdout).toBe(`${JSON.stringify(plan, null, 2)}\n`);
});

test("the Node bundle prints the very same plan", async () => {
  const bin = await runKplay(["plan", ...INPUTS]);
  const node = await runKplay(["plan", ...INPUTS], { runtime: "node" });
  expect(node).toEqual(bin);
});

test("--start=false leaves out the start step and nothing else", async () => {
  const withStart = JSON.parse((await runKplay(["plan", fixture("full.yaml")])).stdout) as {
    objects: { pods: { steps: { action: string }[] }[] }[];
  };
  const without = JSON.parse(
    (await runKplay(["plan", "--start=false", fixture("full.yaml")])).stdout,
  ) as typeof withStart;
  const steps = withStart.objects[0]?.pods[0]?.steps ?? [];
  expect(steps.at(-1)?.action).toBe("start-pod");
  expect(without.objects[0]?.pods[0]?.steps).toEqual(steps.slice(0, -1));
});
