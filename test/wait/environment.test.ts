/**
 * `--wait` must not depend on the environment it runs in: a proxy configured for the user's
 * outbound HTTP, or the runtime (the Node bundle), must not change its outcome or its output.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, freePort, runKplay } from "../support/podman.ts";
import { lateHttpContainer, writePod } from "./helpers.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-wait-env-"));
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

// Regression guard: the fetch of Bun (hence dist/kplay) and of Deno sends requests to
// HTTP_PROXY when it is set, so an httpGet probe made with fetch went to the proxy and `--wait`
// timed out on a ready pod. Probes now use node:http directly.
test("httpGet readiness with HTTP_PROXY set: still probes the pod directly", async () => {
  // A proxy address on 127.0.0.1 where nothing listens: nothing leaves the machine.
  const proxy = `http://127.0.0.1:${await freePort()}`;
  const file = writePod(work, "wait-proxy", lateHttpContainer(0));
  // A ready pod ends the wait at once; the long deadline only matters on a slow machine.
  const run = await runKplay(["play", "-q", "--wait=60s", file], {
    env: { HTTP_PROXY: proxy, http_proxy: proxy },
  });
  expect(run).toEqual({ stdout: "", stderr: "", exitCode: 0 });
});

// Regression guard: wait's sleep() once left an abort listener on the command's signal per
// 200 ms poll, and Node printed "MaxListenersExceededWarning" on kplay's stderr.
test("under the Node bundle, a wait of a few seconds prints nothing on stderr", async () => {
  const file = writePod(work, "wait-node", lateHttpContainer(3));
  const run = await runKplay(["play", "-q", "--wait=120s", file], { runtime: "node" });
  expect(run).toEqual({ stdout: "", stderr: "", exitCode: 0 });
});
