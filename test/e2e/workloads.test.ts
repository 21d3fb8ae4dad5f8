/**
 * The YAML people ship, played on the rootful Podman: the workloads scenario (see
 * workloads-scenario.ts, also run rootless and on 5.4), a bundle whose image is missing
 * (nothing is created), sidecars and lifecycle hooks, and empty Secret values.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, podman, podmanJson, runKplay, snapshotState } from "../support/podman.ts";
import { bundle, owned, type PsPod, workloadsScenario } from "./workloads-scenario.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-workloads-"));
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
  await podman(["secret", "rm", "--all"]);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

async function ps(): Promise<PsPod[]> {
  const run = await runKplay(["ps", "-o", "json"]);
  expect(run.exitCode).toBe(0);
  return (JSON.parse(run.stdout) as { pods: PsPod[] }).pods;
}

async function exec(container: string, script: string): Promise<string> {
  const run = await podman(["exec", container, "sh", "-c", script]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

describe("a bundle of workloads", () => {
  test("the bundle: env, files, ordinals, claims, a retried Job, no leak, scale, in-place ConfigMap", async () => {
    await workloadsScenario(
      { cli: podman, which: "", kplay: (args) => runKplay(args, { timeoutMs: 240_000 }) },
      work,
    );
  }, 400_000);

  test("a missing image fails the play before anything is created", async () => {
    const before = await snapshotState();
    const file = write("missing.yaml", bundle({ image: "localhost/kplay-missing:v1" }));
    const run = await runKplay(["play", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'Image "localhost/kplay-missing:v1" for containers "app" of deployment/wl-web',
    );
    expect(run.stderr).toContain("nothing had been created");
    expect(await snapshotState()).toEqual(before);
    expect((await podman(["secret", "ls", "-q"])).stdout).toBe("");
  });

  test("sidecars start first and stop last; hooks run; a Job with a sidecar completes", async () => {
    const out = join(work, "order");
    mkdirSync(out, { recursive: true });
    const trap = (who: string) =>
      `trap 'echo ${who}-stopped >> /out/order; exit 0' TERM; echo ${who}-up >> /out/order; while true; do sleep 0.1; done`;
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: wl-hooks
spec:
  terminationGracePeriodSeconds: 10
  initContainers:
    - name: setup
      image: localhost/busybox:test
      command: ["sh", "-c", "echo setup-done >> /out/order"]
      volumeMounts: [{name: out, mountPath: /out}]
    - name: proxy
      image: localhost/busybox:test
      restartPolicy: Always
      command: ["sh", "-c", ${JSON.stringify(trap("proxy"))}]
      volumeMounts: [{name: out, mountPath: /out}]
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", ${JSON.stringify(`until grep -q proxy-up /out/order; do sleep 0.1; done; ${trap("app")}`)}]
      lifecycle:
        postStart:
          exec: {command: ["sh", "-c", "echo post-start >> /out/hooks"]}
        preStop:
          exec: {command: ["sh", "-c", "echo pre-stop >> /out/order"]}
      volumeMounts: [{name: out, mountPath: /out}]
  volumes:
    - name: out
      hostPath: {path: ${out}, type: Directory}
`;
    const file = write("hooks.yaml", pod);
    const played = await runKplay(["play", "--wait=60s", file]);
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    // play returns after the postStart hook ran.
    expect(readFileSync(join(out, "hooks"), "utf8")).toBe("post-start\n");
    const down = await runKplay(["down", file]);
    expect(down.exitCode).toBe(0);
    const order = readFileSync(join(out, "order"), "utf8").split("\n").filter(Boolean);
    // The app may log "up" before or after the sidecar's first line; the rest is ordered.
    expect(order.filter((l) => l !== "app-up")).toEqual([
      "setup-done",
      "proxy-up",
      "pre-stop",
      "app-stopped",
      "proxy-stopped",
    ]);
    expect(order.indexOf("app-up")).toBeGreaterThan(order.indexOf("proxy-up"));

    // A Job's pod is done when its app containers are: the controller stops the sidecar.
    const job = write(
      "sidejob.yaml",
      `apiVersion: batch/v1
kind: Job
metadata:
  name: wl-sidejob
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      initContainers:
        - name: proxy
          image: localhost/busybox:test
          restartPolicy: Always
          command: ["sleep", "3600"]
      containers:
        - name: main
          image: localhost/busybox:test
          command: ["sh", "-c", "echo done"]
`,
    );
    const ran = await runKplay(["play", "--wait=60s", job]);
    expect(ran.stderr).toBe("job/wl-sidejob succeeded: 1 completions\n");
    expect(ran.exitCode).toBe(0);
    const [jobPod] = owned(await ps(), "job/wl-sidejob");
    expect(jobPod?.status).toBe("Completed");
    const sidecar = await podmanJson<{ State: { Running: boolean } }[]>([
      "inspect",
      `${jobPod?.name}-proxy`,
    ]);
    expect(sidecar[0]?.State.Running).toBe(false);
  }, 180_000);

  test("an empty Secret value is an empty env value and an empty file, with no Podman secret", async () => {
    const file = write(
      "empty.yaml",
      `apiVersion: v1
kind: Secret
metadata:
  name: wl-empty
stringData:
  token: ""
---
apiVersion: v1
kind: Pod
metadata:
  name: wl-empty
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: wl-empty, key: token}}
      volumeMounts: [{name: s, mountPath: /s}]
  volumes:
    - name: s
      secret: {secretName: wl-empty}
`,
    );
    const run = await runKplay(["play", file]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    // TOKEN is set, to nothing; the file exists, empty.
    expect(await exec("wl-empty-app", 'env | grep "^TOKEN="; wc -c < /s/token')).toBe(
      "TOKEN=\n0\n",
    );
    expect((await podman(["secret", "ls", "-q"])).stdout).toBe("");
  });

  test("generateName gives a fresh Job each play; down removes them all", async () => {
    const file = write(
      "generated.yaml",
      `apiVersion: batch/v1
kind: Job
metadata:
  generateName: wl-seed-
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: seed
          image: localhost/busybox:test
          command: ["echo", "seeded"]
`,
    );
    for (let i = 0; i < 2; i++) {
      const run = await runKplay(["play", "--wait=60s", file]);
      expect(run.stderr).toMatch(/^job\/wl-seed-[a-z0-9]{5} succeeded: 1 completions\n$/);
      expect(run.exitCode).toBe(0);
    }
    const owners = [...new Set((await ps()).map((p) => p.owner))];
    expect(owners).toHaveLength(2);
    for (const o of owners) expect(o).toMatch(/^job\/wl-seed-[a-z0-9]{5}$/);
    const down = await runKplay(["down", file]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout.split("\n").filter((l) => l.endsWith(" removed"))).toHaveLength(2);
    expect(await ps()).toEqual([]);
  });
});
