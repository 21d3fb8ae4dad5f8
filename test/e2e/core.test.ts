/**
 * Issue 2's end-to-end proof, through the compiled executable against the real isolated
 * Podman: init container → emptyDir → httpd on a 127.0.0.1 hostPort → sidecar over localhost
 * → hostPath file. Then the same play, HTTP check and down under Deno and Node.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForFile } from "../support/files.ts";
import {
  cleanupStore,
  FINISHED_STATES,
  freePort,
  httpGet,
  podman,
  podmanJson,
  runKplay,
  snapshotState,
} from "../support/podman.ts";
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
  test("play, inspect, ps, down", async () => {
    const before = await snapshotState();
    const port = await freePort();
    const outDir = join(work, "bin-out");
    const file = join(work, "core.yaml");
    writeFileSync(
      file,
      coreManifest({ pod: "core", hostPort: port, outDir, message: "hello from kplay" }),
    );

    const played = await runKplay(["play", file], { runtime: "bin" });
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    expect(played.stdout).toContain("pod/core");

    // The HTTP answer from the host, through the hostPort on 127.0.0.1.
    const res = await httpGet(`http://127.0.0.1:${port}/index.html`, {
      timeoutMs: 10000,
      retries: 50,
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("hello from kplay\n");
    // The sidecar reached httpd over localhost and wrote the reply into the hostPath folder.
    expect(await waitForFile(join(outDir, "reply.html"), 10000)).toBe("hello from kplay\n");

    // What Podman reports: a pod with an infra container and kplay's container names.
    const pod = (await podmanJson(["pod", "inspect", "core"])) as Record<string, unknown>;
    const inspect = (Array.isArray(pod) ? pod[0] : pod) as {
      InfraContainerID: string;
      Containers: { Id: string; Name: string; State: string }[];
      SharedNamespaces: string[];
    };
    expect(inspect.InfraContainerID).toMatch(/^[0-9a-f]{64}$/);
    const names = inspect.Containers.filter((c) => c.Id !== inspect.InfraContainerID)
      .map((c) => c.Name)
      .sort();
    expect(names).toEqual(["core-fetcher", "core-seed", "core-web"]);
    expect([...inspect.SharedNamespaces].sort()).toEqual(["ipc", "net", "uts"]);
    const seed = (await podmanJson(["container", "inspect", "core-seed"])) as {
      State: { ExitCode: number; Status: string };
    }[];
    expect(FINISHED_STATES).toContain(seed[0]?.State.Status ?? "missing");
    expect(seed[0]?.State.ExitCode).toBe(0);
    const vols = await podman(["volume", "ls", "--format", "{{.Name}}"]);
    expect(vols.stdout.trim().split("\n")).toContain("core_www");

    const ps = await runKplay(["ps"], { runtime: "bin" });
    expect(ps.exitCode).toBe(0);
    expect(ps.stdout).toMatch(/^NAME\s+STATUS\s+READY\s+RESTARTS\s+PORTS\s+AGE\n/);
    expect(ps.stdout).toMatch(
      new RegExp(`\\ncore\\s+Running\\s+2/2\\s+0\\s+127\\.0\\.0\\.1:${port}->8080/tcp\\s+\\d+s\\n`),
    );
    const psJson = JSON.parse(
      (await runKplay(["ps", "-o", "json"], { runtime: "bin" })).stdout,
    ) as {
      pods: { name: string; running: number; total: number }[];
    };
    expect(psJson.pods.map((p) => [p.name, p.running, p.total])).toEqual([["core", 2, 2]]);

    // Playing the same file again converges: nothing to do, every ID unchanged.
    const again = await runKplay(["play", "-o", "json", file], { runtime: "bin" });
    expect(again.exitCode).toBe(0);
    const replayed = JSON.parse(again.stdout) as {
      pods: { action: string; id: string; containers: { action: string }[] }[];
    };
    expect(replayed.pods.map((p) => p.action)).toEqual(["unchanged"]);
    expect(replayed.pods[0]?.containers.map((c) => c.action)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
    ]);

    const down = await runKplay(["down", file], { runtime: "bin" });
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe("pod/core removed (and volume core_www)\n");
    // Nothing is left: no pod, no container, no volume beyond what was there before.
    expect(await snapshotState()).toEqual(before);
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
    const res = await httpGet(`http://127.0.0.1:${port}/index.html`, {
      timeoutMs: 10000,
      retries: 50,
    });
    expect(res.body).toBe(`hi ${runtime}\n`);
    const down = await runKplay(["down", file], { runtime });
    expect(down.exitCode).toBe(0);
    expect(await snapshotState()).toEqual(before);
  });
});
