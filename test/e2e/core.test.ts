/**
 * Issue 2's end-to-end proof, through the compiled executable against the real isolated
 * Podman: init container → emptyDir → httpd on a 127.0.0.1 hostPort → sidecar over localhost
 * → hostPath file. Then the same play, HTTP check and down under Deno and Node.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cleanupStore,
  freePort,
  httpGetBody,
  podman,
  runKplay,
  snapshotState,
} from "../support/podman.ts";
import { coreScenario } from "./core-scenario.ts";
import { coreManifest } from "./manifests.ts";

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kplay-e2e-"));
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

describe("core play through the compiled executable", () => {
  test("play, inspect, ps, re-play, down", async () => {
    await coreScenario(
      { cli: podman, which: "", kplay: (args) => runKplay(args, { runtime: "bin" }) },
      { pod: "core", dir: work, message: "hello from kplay" },
    );
  });
});

describe.each([["deno"], ["node"]] as const)("the same play under %s", (runtime) => {
  test("play, HTTP check, down", async () => {
    const before = await snapshotState();
    const port = await freePort();
    const pod = `core-${runtime}`;
    const file = join(work, `${pod}.yaml`);
    writeFileSync(
      file,
      coreManifest({
        pod,
        hostPort: port,
        outDir: join(work, `${runtime}-out`),
        message: `hi ${runtime}`,
      }),
    );
    const played = await runKplay(["play", file], { runtime });
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    const res = await httpGetBody(`http://127.0.0.1:${port}/index.html`, `hi ${runtime}\n`);
    expect(res.body).toBe(`hi ${runtime}\n`);
    const down = await runKplay(["down", file], { runtime });
    expect(down.exitCode).toBe(0);
    expect(await snapshotState()).toEqual(before);
  });
});
