/**
 * kubectl's `logs` options against the real Podman: -l SELECTOR over every matching pod
 * with prefixed lines, --all-containers, --prefix, --timestamps, --since, -p after a
 * restart-policy restart (and its error where there was none), -f over several pods, and
 * the usage errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKplay, writeManifest } from "../faults/helpers.ts";
import { runKplay } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: lw
spec:
  replicas: 2
  selector:
    matchLabels: { app: lw }
  template:
    metadata:
      labels: { app: lw, tier: web }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: app
          image: localhost/busybox:test
          command: ["sh", "-c", "echo hello from $HOSTNAME; exec sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: lx
  labels: { app: lx }
spec:
  terminationGracePeriodSeconds: 0
  initContainers:
    - name: init
      image: localhost/busybox:test
      command: ["sh", "-c", "echo init done"]
  containers:
    - name: a
      image: localhost/busybox:test
      command: ["sh", "-c", "echo a-line; exec sleep 3600"]
    - name: b
      image: localhost/busybox:test
      command: ["sh", "-c", "echo b-line >&2; exec sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: rs
spec:
  terminationGracePeriodSeconds: 0
  restartPolicy: Always
  containers:
    - name: c
      image: localhost/busybox:test
      # Fails its first run; the second one stays.
      command: ["sh", "-c", "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run $n; [ $n -ge 2 ] && exec sleep 3600; exit 1"]
      volumeMounts: [{ name: data, mountPath: /data }]
  volumes: [{ name: data, emptyDir: {} }]
`;

let work: string;
let file: string;
let lwPods: string[];

async function logsWhen(args: string[], done: (stdout: string) => boolean): Promise<string> {
  const run = await pollUntil(
    () => runKplay(["logs", ...args]),
    (r) => done(r.stdout),
    60_000,
  );
  if (!done(run.stdout)) throw new Error(`kplay logs ${args.join(" ")}: ${JSON.stringify(run)}`);
  return run.stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-logs-options-"));
  file = writeManifest(work, "logs.yaml", MANIFEST);
  const played = await runKplay(["play", file]);
  if (played.exitCode !== 0) throw new Error(`play failed: ${played.stderr}`);
  const ps = await runKplay(["ps", "-o", "json"]);
  lwPods = (JSON.parse(ps.stdout) as { pods: { name: string }[] }).pods
    .map((p) => p.name)
    .filter((n) => n.startsWith("lw-"))
    .sort();
  for (const pod of lwPods) await logsWhen([pod], (s) => s.includes("hello"));
  await logsWhen(["lx", "-c", "a"], (s) => s.includes("a-line"));
  await logsWhen(["rs"], (s) => s.includes("run 2"));
});
afterAll(async () => {
  await runKplay(["down", file]);
  rmSync(work, { recursive: true, force: true });
});

describe("kplay logs options", () => {
  test("-l: every matching pod, each line prefixed [pod/NAME/CONTAINER]", async () => {
    expect(lwPods.length).toBe(2);
    expect(await runKplay(["logs", "-l", "app=lw"])).toEqual({
      stdout: lwPods.map((p) => `[pod/${p}/app] hello from ${p}\n`).join(""),
      stderr: "",
      exitCode: 0,
    });
    // Set-based and inequality requirements, and --prefix=false.
    expect(await runKplay(["logs", "-l", "tier in (web),app!=lx", "--prefix=false"])).toEqual({
      stdout: lwPods.map((p) => `hello from ${p}\n`).join(""),
      stderr: "",
      exitCode: 0,
    });
  });

  test("-l with --all-containers: init containers first, stderr lines prefixed too", async () => {
    expect(await runKplay(["logs", "-l", "app,app!=lw", "--all-containers"])).toEqual({
      stdout: "[pod/lx/init] init done\n[pod/lx/a] a-line\n",
      stderr: "[pod/lx/b] b-line\n",
      exitCode: 0,
    });
  });

  test("-l that matches nothing says so, as kubectl does (exit 0)", async () => {
    expect(await runKplay(["logs", "-l", "app=none"])).toEqual({
      stdout: "",
      stderr: "No resources found in default namespace.\n",
      exitCode: 0,
    });
  });

  test("--prefix and --all-containers on one pod", async () => {
    expect(await runKplay(["logs", "lx", "-c", "a", "--prefix"])).toEqual({
      stdout: "[pod/lx/a] a-line\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await runKplay(["logs", "lx", "--all-containers"])).toEqual({
      stdout: "init done\na-line\n",
      stderr: "b-line\n",
      exitCode: 0,
    });
  });

  test("--timestamps: Podman's RFC 3339 stamp before the line", async () => {
    const run = await runKplay(["logs", "lx", "-c", "a", "--timestamps"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) a-line\n$/,
    );
  });

  test("--since: lines older than the window are left out", async () => {
    expect((await runKplay(["logs", "lx", "-c", "a", "--since", "1h"])).stdout).toBe("a-line\n");
    // The line was written when the pod started: once it is older than 1 s it is not shown.
    const run = await pollUntil(
      () => runKplay(["logs", "lx", "-c", "a", "--since", "1s"]),
      (r) => r.stdout === "",
      30_000,
      250,
    );
    expect(run).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  test("-p: what the container wrote before its current run", async () => {
    expect(await runKplay(["logs", "rs"])).toEqual({
      stdout: "run 1\nrun 2\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await runKplay(["logs", "rs", "-p"])).toEqual({
      stdout: "run 1\n",
      stderr: "",
      exitCode: 0,
    });
  });

  test("-p for a container that never restarted: exit 1, and why", async () => {
    expect(await runKplay(["logs", "lx", "-c", "a", "-p"])).toEqual({
      stdout: "",
      stderr:
        'kplay: previous terminated container "a" in pod "lx" not found (it has not restarted; a container that kplay replaced is removed with its log)\n',
      exitCode: 1,
    });
  });

  test("-l -f follows every matching pod until SIGINT (exit 0)", async () => {
    const kplay = startKplay(["logs", "-l", "app=lw", "-f"]);
    await kplay.stdoutUntil((s) => lwPods.every((p) => s.includes(`[pod/${p}/app] hello`)), 30_000);
    kplay.kill("SIGINT");
    const run = await kplay.done;
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n").filter(Boolean).sort()).toEqual(
      lwPods.map((p) => `[pod/${p}/app] hello from ${p}`),
    );
  });

  test("usage errors: exit 2, nothing read", async () => {
    const cases: [string[], string][] = [
      [
        ["logs", "lx", "-l", "app=lx"],
        'kplay: Give a pod or -l SELECTOR, not both ("lx" and -l app=lx)',
      ],
      [["logs"], "kplay: logs needs a POD, a KIND/NAME or -l SELECTOR"],
      [
        ["logs", "-l", "a b"],
        'kplay: "a b" is not a label selector: cannot read "a b" (write k=v, k!=v, k in (a,b), k notin (a,b), k or !k)',
      ],
      [
        ["logs", "-l", "app=-x"],
        'kplay: "app=-x" is not a label selector: the value "-x" is not valid: it must start and end with a letter or digit',
      ],
      [
        ["logs", "lx", "-c", "a", "--all-containers"],
        "kplay: Give -c CONTAINER or --all-containers, not both",
      ],
      [["logs", "lx", "--since", "soon"], 'kplay: "soon" is not a duration (try 90s, 2m or 1m30s)'],
    ];
    for (const [args, message] of cases)
      expect({ args, ...(await runKplay(args)) }).toEqual({
        args,
        stdout: "",
        stderr: `${message}\n`,
        exitCode: 2,
      });
  });
});
