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
  httpGet,
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
    'kplay: pod "keep" failed: Image "localhost/missing:1" for container "side" is not present, and images under localhost/ are never pulled\n  nothing had been created\n',
  );
  expect(await snapshotState()).toEqual(before);
  expect(((await podmanJson(["pod", "inspect", "keep"])) as { Id: string }).Id).toBe(podId);
  const res = await httpGet(`http://127.0.0.1:${port}/index.html`, {
    timeoutMs: 5000,
    retries: 20,
  });
  expect(res.body).toBe("web\n");
});
