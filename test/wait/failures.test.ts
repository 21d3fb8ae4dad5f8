/**
 * `play --wait` that cannot succeed: a readiness probe that never passes (timeout), a startup
 * probe that fails failureThreshold times, a container that exits under restartPolicy Never,
 * and a failing init container. Each exits 1 and says which container failed and why.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cleanupStore,
  FINISHED_STATES,
  type StoreState,
  snapshotState,
} from "../support/podman.ts";
import { portBindings, stateOf, timedKplay, writePod } from "./helpers.ts";

let work: string;
let before: StoreState;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-wait-fail-"));
  await cleanupStore();
  before = await snapshotState();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test("a readiness probe that never passes: exit 1 at the --wait deadline, naming the container", async () => {
  // httpd serves an empty folder: /ready is always 404. `idle` has no probe and is ready.
  const file = writePod(
    work,
    "wait-never",
    `  containers:
    - name: web
      image: localhost/busybox:test
      command: ["sh", "-c", "mkdir -p /www; exec httpd -f -p 8080 -h /www"]
      readinessProbe:
        httpGet:
          path: /ready
          port: 8080
        periodSeconds: 1
    - name: idle
      image: localhost/busybox:test
      command: ["sleep", "3600"]
`,
  );
  // The deadline counts from the start of the play, so it leaves a slow machine time to
  // create and start the pod and still probe a few times.
  const run = await timedKplay(["play", "--wait=12s", file]);
  expect(run.stdout).toBe("");
  const m =
    /^kplay: Pod "wait-never" is not ready:\n {2}web: readiness probe failing \((\d+)x\): HTTP probe answered 404\n {2}\(the pod is left as it is; see kplay logs wait-never\)\n$/.exec(
      run.stderr,
    );
  expect(m ? "matches" : run.stderr).toBe("matches");
  // One probe a second until the deadline: several, however long the start took.
  expect(Number(m?.[1])).toBeGreaterThanOrEqual(2);
  expect(run.exitCode).toBe(1);
  expect(run.ms).toBeGreaterThanOrEqual(12_000);
  // It stops at the deadline rather than carrying on (a hang detector: CI machines are slow).
  expect(run.ms).toBeLessThan(60_000);
  // Left as it is: both containers still run.
  expect((await stateOf("wait-never-web")).Status).toBe("running");
  expect((await stateOf("wait-never-idle")).Status).toBe("running");
});

test("a startup probe that fails failureThreshold times: exit 1 naming the startup probe", async () => {
  const file = writePod(
    work,
    "wait-startup",
    `  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", "mkdir -p /www; exec httpd -f -p 8080 -h /www"]
      startupProbe:
        httpGet:
          path: /started
          port: 8080
        periodSeconds: 1
        failureThreshold: 2
      readinessProbe:
        httpGet:
          path: /started
          port: 8080
`,
  );
  const run = await timedKplay(["play", "--wait=120s", file]);
  expect(run).toMatchObject({ stdout: "", exitCode: 1 });
  // The reason is the last probe's: 404, or a refused or slow connection on a busy machine.
  expect(run.stderr).toMatch(
    /^kplay: Container "app" of pod "wait-startup" failed its startup probe 2 times: (HTTP probe answered 404|[^\n]*(refused|reset|timed out)[^\n]*)\n$/,
  );
  // It gave up after the second failure (~1 s), not at the end of --wait.
  expect(run.ms).toBeLessThan(60_000);
  // The probed port was published on 127.0.0.1 for kplay's prober.
  expect((await portBindings("wait-startup"))["8080/tcp"]?.map((b) => b.HostIp)).toEqual([
    "127.0.0.1",
  ]);
});

test("a container that exits 7 under restartPolicy Never: exit 1 with the code and its last lines", async () => {
  // The readiness probe keeps the container not-ready until it exits, so the outcome does
  // not depend on when kplay first looks (see the report on probe-less containers).
  const file = writePod(
    work,
    "wait-exit",
    `  restartPolicy: Never
  containers:
    - name: app
      image: localhost/busybox:test
      # conmon reads stdout and stderr from two pipes: the pause keeps the log in this order.
      command: ["sh", "-c", "echo loading /etc/app.conf; sleep 0.5; echo 'app.conf: no such file' >&2; sleep 1; exit 7"]
      readinessProbe:
        tcpSocket:
          port: 9999
        periodSeconds: 1
`,
  );
  const run = await timedKplay(["play", "--wait=120s", file]);
  expect(run).toMatchObject({
    stdout: "",
    stderr: [
      'kplay: Container "app" of pod "wait-exit" exited with code 7',
      'last lines of "wait-exit-app":',
      "  | loading /etc/app.conf",
      "  | app.conf: no such file",
      "",
    ].join("\n"),
    exitCode: 1,
  });
  expect(run.ms).toBeLessThan(60_000);
  const state = (await stateOf("wait-exit-app")) as { Status: string; ExitCode: number };
  expect(FINISHED_STATES).toContain(state.Status);
  expect(state.ExitCode).toBe(7);
});

test("a failing init container: exit 1 with its name, code 3 and last lines; rolled back", async () => {
  const file = writePod(
    work,
    "wait-init",
    `  initContainers:
    - name: migrate
      image: localhost/busybox:test
      command: ["sh", "-c", "echo applying migration 42 > /work/log; echo 'migration 42 failed: table locked'; exit 3"]
      volumeMounts:
        - name: work
          mountPath: /work
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      volumeMounts:
        - name: work
          mountPath: /work
  volumes:
    - name: work
      emptyDir: {}
`,
  );
  const run = await timedKplay(["play", "--wait=120s", file]);
  expect(run).toMatchObject({
    stdout: "",
    stderr: [
      'kplay: pod "wait-init" failed: [POST] "/pods/wait-init/start": 409 Conflict: init container "wait-init-migrate" exited with code 3',
      'last lines of "wait-init-migrate":',
      "  | migration 42 failed: table locked",
      "  rolled back: removed container wait-init-migrate, container wait-init-app, pod wait-init, volume wait-init_work",
      "",
    ].join("\n"),
    exitCode: 1,
  });
  expect(await snapshotState()).toEqual(before);
});
