/**
 * A pod-level change recreates the pod, and the old pod cannot be kept aside (same name, same
 * ports). So what can fail without creating anything (a missing image) is checked first: a
 * failed recreate of that kind must leave the user's running pod exactly as it was.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairManifest, writeManifest } from "../faults/helpers.ts";
import {
  cleanupStore,
  freePort,
  httpGetBody,
  podmanJson,
  runKplay,
  snapshotState,
} from "../support/podman.ts";

const work = mkdtempSync(join(tmpdir(), "kplay-recreate-"));
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

test("a recreate whose new image is missing keeps the old pod running", async () => {
  const port = await freePort();
  const file = writeManifest(work, "keep.yaml", pairManifest({ pod: "keep", hostPort: port }));
  expect((await runKplay(["play", file])).exitCode).toBe(0);
  const before = await snapshotState();
  const podId = ((await podmanJson(["pod", "inspect", "keep"])) as { Id: string }).Id;

  // A new hostPort (pod-level: recreate) and a side image that is not there.
  const next = await freePort();
  writeManifest(
    work,
    "keep.yaml",
    pairManifest({
      pod: "keep",
      hostPort: next,
      sideImage: "localhost/missing:1",
      sidePolicy: "Never",
    }),
  );
  const run = await runKplay(["play", file]);
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toBe(
    'kplay: Image "localhost/missing:1" for container "side" of pod/keep is not present, and images under localhost/ are never pulled\n  nothing had been created\n',
  );
  expect(await snapshotState()).toEqual(before);
  expect(((await podmanJson(["pod", "inspect", "keep"])) as { Id: string }).Id).toBe(podId);
  const res = await httpGetBody(`http://127.0.0.1:${port}/index.html`, "web\n");
  expect(res.body).toBe("web\n");
});

test("a recreate whose new hostPath (type Directory) is missing keeps the old pod", async () => {
  const port = await freePort();
  const file = writeManifest(
    work,
    "keepdir.yaml",
    pairManifest({ pod: "keepdir", hostPort: port }),
  );
  expect((await runKplay(["play", file])).exitCode).toBe(0);
  const before = await snapshotState();
  const missing = join(work, "not-there");
  writeManifest(
    work,
    "keepdir.yaml",
    pairManifest({ pod: "keepdir", hostPort: port }).replace(
      "  volumes:\n",
      `  volumes:\n    - name: extra\n      hostPath: {path: ${missing}, type: Directory}\n`,
    ),
  );
  const run = await runKplay(["play", file]);
  expect(run.stderr).toBe(
    `kplay: pod "keepdir" failed: hostPath "${missing}" does not exist (type Directory requires it)\n  nothing had been created\n`,
  );
  expect(run.exitCode).toBe(1);
  expect(await snapshotState()).toEqual(before);
});

test("re-playing a pod whose containers ran to completion leaves it completed", async () => {
  const file = writeManifest(
    work,
    "done.yaml",
    `apiVersion: v1
kind: Pod
metadata:
  name: done
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  containers:
    - name: job
      image: localhost/busybox:test
      command: ["sh", "-c", "echo ran"]
`,
  );
  expect((await runKplay(["play", "--wait=20s", file])).exitCode).toBe(0);
  const again = await runKplay(["play", "-o", "json", file]);
  expect(again.exitCode).toBe(0);
  expect((JSON.parse(again.stdout) as { pods: { action: string }[] }).pods[0]?.action).toBe(
    "unchanged",
  );
  const logs = await runKplay(["logs", "done"]);
  expect(logs.stdout).toBe("ran\n");
});

test("changing terminationGracePeriodSeconds recreates the pod, so down uses the new one", async () => {
  const port = await freePort();
  const file = writeManifest(work, "grace.yaml", pairManifest({ pod: "grace", hostPort: port }));
  expect((await runKplay(["play", file])).exitCode).toBe(0);
  writeManifest(
    work,
    "grace.yaml",
    pairManifest({ pod: "grace", hostPort: port }).replace(
      "terminationGracePeriodSeconds: 0",
      "terminationGracePeriodSeconds: 3",
    ),
  );
  const run = await runKplay(["play", file]);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain("recreated (pod-level settings changed)");
  const labels = (
    (await podmanJson(["pod", "inspect", "grace"])) as { Labels: Record<string, string> }
  ).Labels;
  expect(labels["io.kplay.grace-period"]).toBe("3");
});
