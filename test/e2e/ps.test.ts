/** `kplay ps` tells ready from running: it runs each container's readiness probe once. */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, podman, runKplay } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

const work = mkdtempSync(join(tmpdir(), "kplay-ps-"));
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

test("READY counts containers whose readiness probe passes now", async () => {
  const file = join(work, "ps.yaml");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata:
  name: psready
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      command: ["sh", "-c", "mkdir -p /www && exec httpd -f -p 8080 -h /www"]
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 1
        timeoutSeconds: 5
    - name: idle
      image: localhost/busybox:test
      command: ["sleep", "3600"]
`,
  );
  const played = await runKplay(["play", file]);
  expect(played.exitCode).toBe(0);
  const row = async () =>
    (await runKplay(["ps"])).stdout.split("\n").find((l) => l.startsWith("psready"));
  // httpd answers 404 for /ready: running but not ready; idle has no probe, so it is ready.
  expect(await row()).toMatch(
    /^psready\s+-\s+Running\s+1\/2\s+0\s+127\.0\.0\.1:\d+->8080\/tcp\s+\d+[smhd]$/,
  );
  const exec = await podman(["exec", "psready-web", "sh", "-c", "echo ok > /www/ready"]);
  expect(exec.exitCode).toBe(0);
  // Each ps runs the probe once; a slow machine may need a second look.
  const ready = await pollUntil(
    row,
    (r) => /^psready\s+-\s+Running\s+2\/2\s/.test(r ?? ""),
    30_000,
  );
  expect(ready).toMatch(/^psready\s+-\s+Running\s+2\/2\s+0\s/);
  expect((await runKplay(["down", file])).exitCode).toBe(0);
});
