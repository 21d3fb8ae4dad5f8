/**
 * Services on the rootful Podman: the services scenario (services-scenario.ts, also run
 * rootless and on 5.4), and the refusals that need no pod to run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, podman, runKplay, snapshotState } from "../support/podman.ts";
import { servicesScenario } from "./services-scenario.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-services-"));
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

describe("Services", () => {
  test("names, port mapping, headless StatefulSet names, env, LoadBalancer, converge, down", async () => {
    await servicesScenario(
      { cli: podman, which: "", kplay: (args) => runKplay(args, { timeoutMs: 240_000 }) },
      work,
    );
  }, 400_000);

  test("a network of kplay's name that kplay did not make is refused, and left alone", async () => {
    expect((await podman(["network", "create", "kplay-theirs"])).exitCode).toBe(0);
    try {
      const file = join(work, "theirs.yaml");
      writeFileSync(
        file,
        `apiVersion: v1
kind: Service
metadata: {name: s, namespace: theirs}
spec:
  selector: {app: s}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: s, namespace: theirs, labels: {app: s}}
spec:
  containers: [{name: c, image: localhost/busybox:test, command: ["sleep", "60"]}]
`,
      );
      const before = await snapshotState();
      const run = await runKplay(["play", file]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('Network "kplay-theirs" exists and kplay did not create it');
      expect(await snapshotState()).toEqual(before);
      expect((await podman(["network", "exists", "kplay-theirs"])).exitCode).toBe(0);
    } finally {
      await podman(["network", "rm", "kplay-theirs"]);
    }
  });
});
