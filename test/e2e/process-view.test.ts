/**
 * What the process inside a played container sees, checked from inside it: its environment
 * is the image's plus the manifest's and nothing else (libpod's REST API adds TERM=xterm and
 * container=podman unless told not to; Kubernetes and `podman kube play` add neither), and a
 * read-only root filesystem has no writable /tmp (Kubernetes mounts no tmpfs there) while
 * /dev/shm stays writable.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, runKplay } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-view-"));
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

const SCRIPT = [
  "env | sort",
  "touch /tmp/x 2>/dev/null && echo tmp=writable || echo tmp=read-only",
  "touch /dev/shm/x 2>/dev/null && echo shm=writable || echo shm=read-only",
  "echo done",
  "exec sleep 3600",
].join("; ");

test("env is the image's and the manifest's only; a read-only root has no writable /tmp", async () => {
  const file = join(work, "view.yaml");
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata:
  name: view
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", ${JSON.stringify(SCRIPT)}]
      env:
        - {name: FROM_MANIFEST, value: "yes"}
        - {name: __proto__, value: kept}
      securityContext:
        readOnlyRootFilesystem: true
`,
  );
  const play = await runKplay(["play", file]);
  expect(play.stderr).toBe("");
  expect(play.exitCode).toBe(0);
  const logs = await pollUntil(
    () => runKplay(["logs", "view"]),
    (r) => r.stdout.includes("done\n"),
    60_000,
  );
  const lines = logs.stdout.trim().split("\n");
  const env = lines.filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l) && !/^(tmp|shm)=/.test(l));
  // HOME, HOSTNAME, PWD and SHLVL come from the shell and the runtime, as in any container.
  expect(env.map((l) => l.split("=")[0])).toEqual([
    "FROM_MANIFEST",
    "HOME",
    "HOSTNAME",
    "PATH",
    "PWD",
    "SHLVL",
    "__proto__",
  ]);
  expect(env).toContain("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  expect(env).toContain("__proto__=kept");
  expect(lines).toContain("tmp=read-only");
  expect(lines).toContain("shm=writable");
  expect((await runKplay(["down", file])).exitCode).toBe(0);
});
