/**
 * `kplay logs` against the real Podman: stdout frames to stdout and stderr frames to stderr,
 * container choice by Kubernetes name, --tail, -f until SIGINT (exit 0), and the errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKplay, writeManifest } from "../faults/helpers.ts";
import { startFaultProxy } from "../support/fault-proxy.ts";
import { cleanupStore, type KplayRuntime, podman, runKplay } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

let work: string;

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: lg
spec:
  terminationGracePeriodSeconds: 0
  initContainers:
    - name: seed
      image: localhost/busybox:test
      command: ["sh", "-c", "echo seeded"]
  containers:
    - name: talker
      image: localhost/busybox:test
      # conmon reads stdout and stderr from two pipes: pauses keep the log file in this order
      # (a second each, so that a busy machine's conmon still reads them apart).
      command: ["sh", "-c", "echo out1; sleep 1; echo err1 >&2; sleep 1; echo 'out2 héllo'; exec sleep 3600"]
    - name: ticker
      image: localhost/busybox:test
      command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.1; done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
spec:
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
  containers:
    - name: only
      image: localhost/busybox:test
      command: ["sh", "-c", "echo just me; echo oops >&2"]
`;

/** Polls `kplay logs` until its stdout has `want`, so tests do not race the containers. */
async function logsWhen(args: string[], want: string): Promise<void> {
  const run = await pollUntil(
    () => runKplay(["logs", ...args]),
    (r) => r.stdout.includes(want),
    60_000,
  );
  if (!run.stdout.includes(want))
    throw new Error(`kplay logs ${args.join(" ")} never printed ${JSON.stringify(want)}`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-logs-"));
  const file = writeManifest(work, "logs.yaml", MANIFEST);
  const played = await runKplay(["play", file]);
  if (played.exitCode !== 0) throw new Error(`play failed: ${played.stderr}`);
  await logsWhen(["lg", "-c", "talker"], "out2");
  await logsWhen(["solo"], "just me");
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

describe("kplay logs", () => {
  test("stdout and stderr frames go to stdout and stderr", async () => {
    const run = await runKplay(["logs", "lg", "-c", "talker"]);
    expect(run).toEqual({ stdout: "out1\nout2 héllo\n", stderr: "err1\n", exitCode: 0 });
  });

  test("the pod's only app container needs no -c", async () => {
    expect(await runKplay(["logs", "solo"])).toEqual({
      stdout: "just me\n",
      stderr: "oops\n",
      exitCode: 0,
    });
  });

  test("--tail counts lines across both streams", async () => {
    expect(await runKplay(["logs", "lg", "-c", "talker", "--tail", "2"])).toEqual({
      stdout: "out2 héllo\n",
      stderr: "err1\n",
      exitCode: 0,
    });
    expect(await runKplay(["logs", "lg", "-c", "talker", "--tail", "0"])).toEqual({
      stdout: "",
      stderr: "",
      exitCode: 0,
    });
  });

  test("an init container's logs, by its Kubernetes name", async () => {
    expect(await runKplay(["logs", "lg", "-c", "seed"])).toEqual({
      stdout: "seeded\n",
      stderr: "",
      exitCode: 0,
    });
  });

  test("several app containers and no -c: exit 2, listing them like kubectl", async () => {
    expect(await runKplay(["logs", "lg"])).toEqual({
      stdout: "",
      stderr:
        "kplay: A container name must be specified for pod lg, choose one of: [talker ticker] or one of the init containers: [seed]\n",
      exitCode: 2,
    });
  });

  test("an unknown container or pod: exit 1", async () => {
    expect(await runKplay(["logs", "lg", "-c", "nope"])).toEqual({
      stdout: "",
      stderr:
        'kplay: Container "nope" not found in pod "lg", choose one of: [seed talker ticker]\n',
      exitCode: 1,
    });
    expect(await runKplay(["logs", "nope"])).toEqual({
      stdout: "",
      stderr: 'kplay: Pod "nope" not found\n',
      exitCode: 1,
    });
  });

  test("a bad --tail is a usage error", async () => {
    expect(await runKplay(["logs", "lg", "--tail", "x"])).toEqual({
      stdout: "",
      stderr: 'kplay: --tail takes a whole number, got "x"\n',
      exitCode: 2,
    });
  });

  test("-f on a container that has exited ends by itself", async () => {
    const run = await runKplay(["logs", "solo", "-f"], { timeoutMs: 60_000 });
    expect(run).toEqual({ stdout: "just me\n", stderr: "oops\n", exitCode: 0 });
    // With --tail, kplay follows from Podman 4.3's stamps (whole seconds) instead.
    const tailed = await runKplay(["logs", "solo", "-f", "--tail", "2"], { timeoutMs: 60_000 });
    expect(tailed).toEqual({ stdout: "just me\n", stderr: "oops\n", exitCode: 0 });
    const last = await runKplay(["logs", "solo", "-f", "--tail", "1"], { timeoutMs: 60_000 });
    expect(last.exitCode).toBe(0);
    expect((last.stdout + last.stderr).split("\n").filter(Boolean)).toHaveLength(1);
  });

  test("only GET requests, the logs one with Podman's query", async () => {
    const proxy = await startFaultProxy();
    try {
      const run = await runKplay(["logs", "--url", proxy.url, "lg", "-c", "talker", "--tail", "1"]);
      expect(run).toEqual({ stdout: "out2 héllo\n", stderr: "", exitCode: 0 });
      expect(proxy.mutating()).toEqual([]);
      const logs = proxy.requests.filter((r) => r.path.endsWith("/logs"));
      expect(logs.map((r) => r.query)).toEqual(["stdout=true&stderr=true&follow=false&tail=1"]);
      expect(logs[0]?.path).toMatch(/^\/containers\/[0-9a-f]{64}\/logs$/);
    } finally {
      await proxy.close();
    }
  });

  test("-f --tail: a stamped tail read, then a follow from just before its first line", async () => {
    const proxy = await startFaultProxy();
    try {
      const run = await runKplay(["logs", "--url", proxy.url, "solo", "-f", "--tail", "2"]);
      expect(run).toEqual({ stdout: "just me\n", stderr: "oops\n", exitCode: 0 });
      const logs = proxy.requests.filter((r) => r.path.endsWith("/logs")).map((r) => r.query);
      // Had Podman 4.3's stamps not been read, kplay would have asked for follow=true&tail=2.
      expect(logs).toHaveLength(2);
      expect(logs[0]).toBe("stdout=true&stderr=true&timestamps=true&follow=false&tail=18");
      expect(logs[1]).toMatch(
        /^stdout=true&stderr=true&timestamps=true&follow=true&since=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{9}Z$/,
      );
    } finally {
      await proxy.close();
    }
  });

  test("a pod kplay did not create: containers by Podman's <pod>-<name>", async () => {
    expect((await podman(["pod", "create", "--name", "other"])).exitCode).toBe(0);
    const run = await podman([
      "run",
      "--pod",
      "other",
      "--name",
      "other-app",
      "localhost/busybox:test",
      "echo",
      "from podman",
    ]);
    expect(run.exitCode).toBe(0);
    expect(await runKplay(["logs", "other"])).toEqual({
      stdout: "from podman\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await runKplay(["logs", "other", "-c", "app"])).toEqual({
      stdout: "from podman\n",
      stderr: "",
      exitCode: 0,
    });
  });
});

describe.each([["bin"], ["node"], ["deno"]] as const)(
  "kplay logs -f under %s",
  (runtime: KplayRuntime) => {
    test("prints new lines as they come, and SIGINT ends it with exit 0", async () => {
      const kplay = startKplay(
        ["logs", "lg", "-c", "ticker", "-f", "--tail", "1"],
        runtime,
        120_000,
      );
      // Let it print a few ticks written after it started.
      await kplay.stdoutUntil((s) => s.split("\n").length > 4, 60_000);
      kplay.kill("SIGINT");
      const run = await kplay.done;
      expect(run.exitCode).toBe(0);
      const ticks = run.stdout.trimEnd().split("\n");
      expect(ticks.length).toBeGreaterThanOrEqual(4);
      const numbers = ticks.map((t) => Number(/^tick(\d+)$/.exec(t)?.[1]));
      // Consecutive: nothing lost or reordered while following.
      expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
      // Only main.ts's notice of the signal; no error.
      expect(run.stderr).toMatch(/^kplay: SIGINT received, stopping[^\n]*\n$/);
    });
  },
);
