/**
 * `kplay up` on the rootful and the rootless test services (test/e2e/up-scenario.ts), and a
 * CronJob that runs once within 70 s of its `*\/1 * * * *` schedule.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, kplayCommand, podman, runKplay, testUrl } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";
import {
  asRootlessUser,
  kplayForUser,
  mkdirForRootless,
  ROOTLESS_ENV,
  rootlessCleanup,
  rootlessDir,
  rootlessPodman,
  rootlessUser,
  runKplayRootless,
} from "../support/rootless.ts";
import { cliJson, storeSnapshot } from "../support/store.ts";
import { upScenario } from "./up-scenario.ts";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kplay-up-"));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await cleanupStore();
});

const spawnRootful = (args: readonly string[]) =>
  Bun.spawn([...kplayCommand("bin"), ...args], {
    env: { ...process.env, CONTAINER_HOST: testUrl() },
    stdout: "pipe",
    stderr: "pipe",
  });

describe("kplay up, rootful", () => {
  test("logs, recreated Deployment pod, liveness restart, converge on save, standalone not recreated, SIGINT leaves nothing", async () => {
    await upScenario(
      {
        cli: podman,
        which: "",
        kplay: (a) => runKplay(a),
        spawn: spawnRootful,
        countsRestarts: true,
      },
      work,
    );
  }, 240_000);

  test("a CronJob of */1 runs its Job once within 70 s, and up removes it on SIGINT", async () => {
    const file = join(work, "cron.yaml");
    writeFileSync(
      file,
      `apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 0
          containers:
            - name: once
              image: localhost/busybox:test
              imagePullPolicy: Never
              command: [sh, -c, "echo tick ran"]
`,
    );
    const proc = spawnRootful(["up", file]);
    let err = "";
    let out = "";
    void (async () => {
      for await (const c of proc.stderr) err += new TextDecoder().decode(c);
    })();
    void (async () => {
      for await (const c of proc.stdout) out += new TextDecoder().decode(c);
    })();
    try {
      // The next minute boundary is at most 60 s away; the Job then takes a second or two.
      await pollUntil(
        () => /job\/tick-\d+ succeeded/.test(err),
        (ok) => ok,
        75_000,
        200,
      );
      expect(err).toMatch(/kplay up: cronjob\/tick: scheduled run of \S+: job\/tick-\d+ started/);
      expect(err).toMatch(/job\/tick-\d+ succeeded: 1 completions/);
      const jobs = await cliJson<{ Name: string; Labels?: Record<string, string> }[]>(podman, "", [
        "pod",
        "ps",
        "--format",
        "json",
      ]);
      const owners = new Set(jobs.map((p) => p.Labels?.["io.kplay.owner"] ?? ""));
      expect([...owners].filter((o) => o.startsWith("job/tick-")).length).toBe(1);
      await pollUntil(
        () => /\| tick ran$/m.test(out),
        (ok) => ok,
        20_000,
      );
      expect(out).toMatch(/^tick-\d+-[a-z0-9]+\/once \| tick ran$/m);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(0);
      expect(await storeSnapshot(podman, "")).toEqual({ pods: [], containers: [], volumes: [] });
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
  }, 120_000);
});

/**
 * A byte relay in front of the test service whose connections can be cut and refused for a
 * while: what kplay sees when the Podman service restarts (a real restart of the suite's
 * shared service cannot be had on demand).
 */
async function startRelay(target: string) {
  const { createConnection, createServer } = await import("node:net");
  const path = join(work, `relay-${Date.now()}.sock`);
  const live = new Set<import("node:net").Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    live.add(client);
    live.add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  await new Promise<void>((r) => server.listen(path, r));
  return {
    url: `unix://${path}`,
    /** Cuts every connection and refuses new ones until `restore`. */
    cut() {
      down = true;
      for (const s of live) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("a detached play with liveness probes only up runs", () => {
  test("warns once per probe; --strict refuses before changing Podman", async () => {
    const file = join(work, "live.yaml");
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: [httpd, -f, -p, "8080"]
      ports: [{containerPort: 8080}]
      livenessProbe: {httpGet: {path: /, port: 8080}}
    - name: side
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: [sleep, "3600"]
      livenessProbe: {exec: {command: ["true"]}}
`,
    );
    const before = await storeSnapshot(podman, "");
    const strict = await runKplay(["play", "--strict", file]);
    expect(strict.exitCode).toBe(2);
    expect(strict.stderr).toBe(
      'kplay: error: pod/live: container "web": its httpGet liveness probe acts only under `kplay up` (a detached play starts nothing that runs it)\n',
    );
    expect(await storeSnapshot(podman, "")).toEqual(before);
    const play = await runKplay(["play", file]);
    expect(play.exitCode).toBe(0);
    // The exec one is Podman's own healthcheck, enforced detached too: no warning for it.
    expect(play.stderr).toBe(
      'kplay: warning: pod/live: container "web": its httpGet liveness probe acts only under `kplay up` (a detached play starts nothing that runs it)\n',
    );
    expect((await runKplay(["down", file])).exitCode).toBe(0);
  }, 60_000);
});

describe("kplay up, when Podman's service goes away and comes back", () => {
  test("it reconnects, re-lists and recreates a Deployment pod removed meanwhile", async () => {
    const relay = await startRelay(testUrl().slice("unix://".length));
    const file = join(work, "reconnect.yaml");
    writeFileSync(
      file,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: back}
spec:
  replicas: 1
  selector: {matchLabels: {app: back}}
  template:
    metadata: {labels: {app: back}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - {name: main, image: localhost/busybox:test, imagePullPolicy: Never, command: [sleep, "3600"]}
`,
    );
    const proc = Bun.spawn(
      [...kplayCommand("bin"), "up", "--quiet-logs", "--url", relay.url, file],
      {
        env: { ...process.env },
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    let err = "";
    void (async () => {
      for await (const c of proc.stderr) err += new TextDecoder().decode(c);
    })();
    const until = async (re: RegExp) => {
      await pollUntil(
        () => re.test(err) || proc.exitCode !== null,
        (ok) => ok,
        60_000,
      );
      if (!re.test(err)) throw new Error(`no ${re} (exit ${proc.exitCode}):\n${err}`);
    };
    try {
      await until(/kplay up: running 1 object/);
      const pods = await cliJson<{ Name: string }[]>(podman, "", ["pod", "ps", "--format", "json"]);
      const victim = pods.find((p) => p.Name.startsWith("back-"))?.Name ?? "";
      expect(victim).not.toBe("");
      relay.cut();
      await until(/lost Podman's event stream/);
      // Removed while kplay cannot hear of it: only the re-listing after reconnecting finds it.
      expect((await podman(["pod", "rm", "-f", "-t", "0", victim])).exitCode).toBe(0);
      relay.restore();
      await until(/reconnected to Podman; reconciling/);
      await until(new RegExp(`deployment/back: pod ${victim} was removed, recreated`));
      const back = await cliJson<{ Name: string }[]>(podman, "", ["pod", "ps", "--format", "json"]);
      expect(back.map((p) => p.Name)).toContain(victim);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(0);
    } finally {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await relay.close();
    }
  }, 120_000);
});

const rootless = process.env[ROOTLESS_ENV] ? describe : describe.skip;
rootless("kplay up, rootless", () => {
  afterAll(async () => {
    await rootlessCleanup();
  });
  test("the same as the rootless user", async () => {
    const dir = join(rootlessDir(), "work-up");
    mkdirForRootless(dir);
    const { uid, gid } = rootlessUser();
    await upScenario(
      {
        cli: rootlessPodman,
        which: " (rootless)",
        kplay: (a) => runKplayRootless(a),
        countsRestarts: false,
        spawn: (args) =>
          Bun.spawn(asRootlessUser([kplayForUser(), ...args]), {
            cwd: "/",
            stdout: "pipe",
            stderr: "pipe",
          }),
        own: (path) => chownSync(path, uid, gid),
      },
      dir,
    );
  }, 240_000);
});
