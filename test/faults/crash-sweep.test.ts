/**
 * Crash safety (issue 14): kplay killed with SIGKILL right after its Nth request to Podman,
 * for every N of a play of a Secret, a Service and two pods (each a pod, an infra, two
 * containers and an emptyDir),
 * of an in-place update of both, and of a down. Podman finishes what was in flight; then a
 * plain `play` must converge to exactly the declared state (every container running, none
 * left Created, no stray `-kplay-old`), and `down` must leave the store exactly empty; a
 * second `down` must finish a killed one. The fault proxy forwards the Nth request and loses
 * its answer, so kplay dies not knowing what Podman did, as after a real kill.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { freePort } from "../support/http.ts";
import { cleanupStore, podman, podmanJson, runKplay, snapshotState } from "../support/podman.ts";
import { pairManifest, writeManifest } from "./helpers.ts";
import { sweep } from "./sweep.ts";

let work: string;
let proxy: FaultProxy;
let file: string;
let updated: string;
let ports: number[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-crash-"));
  await cleanupStore();
  proxy = await startFaultProxy(undefined, { finishOrphans: true });
  ports = [await freePort(), await freePort()];
  // A Secret (a Podman secret), a Service (the namespace's network) and two pods.
  const secret = `apiVersion: v1
kind: Secret
metadata: {name: crash-secret}
stringData: {token: t0k3n}
---
apiVersion: v1
kind: Service
metadata: {name: crash}
spec:
  selector: {app: crash}
  ports: [{port: 8080}]
---
`;
  const token =
    "        - name: TOKEN\n          valueFrom:\n            secretKeyRef: {name: crash-secret, key: token}\n";
  const bundle = (env: string) =>
    secret +
    ports
      .map((hostPort, i) =>
        pairManifest({ pod: `crash-${i}`, hostPort, sideEnv: env, sideExtra: token }).replace(
          `  name: crash-${i}\n`,
          `  name: crash-${i}\n  labels: {app: crash}\n`,
        ),
      )
      .join("---\n");
  file = writeManifest(work, "crash.yaml", bundle("v1"));
  updated = writeManifest(work, "crash-v2.yaml", bundle("v2"));
});
afterAll(async () => {
  await proxy.close();
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

/** Every pod of the file there, every container running; nothing else of kplay's. */
async function expectDeclared(env: string): Promise<void> {
  const containers = await podmanJson<
    { Names: string[]; State: string; Labels?: Record<string, string> }[]
  >(["ps", "-a", "--format", "json"]);
  const names = containers.flatMap((c) => c.Names).sort();
  expect(names.filter((n) => !n.endsWith("-infra"))).toEqual([
    "crash-0-side",
    "crash-0-web",
    "crash-1-side",
    "crash-1-web",
  ]);
  expect(names.filter((n) => n.endsWith("-infra"))).toHaveLength(2);
  for (const c of containers) expect([c.Names[0], c.State]).toEqual([c.Names[0], "running"]);
  const env0 = await podmanJson<{ Config: { Env: string[] } }[]>(["inspect", "crash-0-side"]);
  expect(env0[0]?.Config.Env).toContain(`SIDE_ENV=${env}`);
  const volumes = await podmanJson<{ Name: string }[]>(["volume", "ls", "--format", "json"]);
  expect(volumes.map((v) => v.Name).sort()).toEqual(["crash-0_data", "crash-1_data"]);
  expect(await secrets()).toHaveLength(1);
  expect(await networks()).toContain("kplay-default");
}

async function expectEmpty(): Promise<void> {
  const state = await snapshotState();
  expect(state).toEqual({ pods: [], containers: [], volumes: [] });
  expect(await secrets()).toEqual([]);
  expect(await networks()).not.toContain("kplay-default");
}

async function secrets(): Promise<string[]> {
  const run = await podman(["secret", "ls", "--format", "{{.Name}}"]);
  expect(run.exitCode).toBe(0);
  return run.stdout.split("\n").filter(Boolean).sort();
}

async function networks(): Promise<string[]> {
  const run = await podman(["network", "ls", "--format", "{{.Name}}"]);
  expect(run.exitCode).toBe(0);
  return run.stdout.split("\n").filter(Boolean);
}

describe("kill -9 after every request", () => {
  test("a play of two pods: the next play converges, down leaves nothing", async () => {
    const covered = await sweep(
      proxy,
      "play",
      async () => {
        await cleanupStore();
        await podman(["secret", "rm", "--all"]);
        await podman(["network", "rm", "-f", "kplay-default"]);
      },
      ["play", file],
      async () => {
        const replay = await runKplay(["play", file]);
        expect(replay.stderr).toBe("");
        expect(replay.exitCode).toBe(0);
        await expectDeclared("v1");
        const down = await runKplay(["down", file]);
        expect(down.exitCode).toBe(0);
        await expectEmpty();
      },
    );
    expect(covered).toBeGreaterThan(10);
  }, 600_000);

  test("an in-place update of both pods: the next play finishes it, nothing left aside", async () => {
    const covered = await sweep(
      proxy,
      "in-place update",
      async () => {
        await cleanupStore();
        expect((await runKplay(["play", file])).exitCode).toBe(0);
      },
      ["play", updated],
      async () => {
        const replay = await runKplay(["play", updated]);
        expect(replay.stderr).toBe("");
        expect(replay.exitCode).toBe(0);
        // expectDeclared lists every container: a `-kplay-old` one left aside would show.
        await expectDeclared("v2");
        expect((await runKplay(["down", updated])).exitCode).toBe(0);
        await expectEmpty();
      },
    );
    expect(covered).toBeGreaterThan(5);
  }, 600_000);

  test("a down: a second down finishes it", async () => {
    const covered = await sweep(
      proxy,
      "down",
      async () => {
        await cleanupStore();
        expect((await runKplay(["play", file])).exitCode).toBe(0);
      },
      ["down", file],
      async () => {
        const again = await runKplay(["down", file]);
        expect(again.stderr).toBe("");
        expect(again.exitCode).toBe(0);
        await expectEmpty();
      },
    );
    expect(covered).toBeGreaterThan(3);
  }, 600_000);
});
