/**
 * `kplay restart` against the real Podman: pod/NAME restarts its containers in place (same
 * pod, infra container and IP; a new run of the container); a Deployment's pods restart one
 * at a time, the second stopped only after the first ran again and passed its readiness
 * probe (read from the times Podman recorded); and the errors.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeManifest } from "../faults/helpers.ts";
import { podmanJson, runKplay } from "../support/podman.ts";

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rw
spec:
  replicas: 2
  selector:
    matchLabels: { app: rw }
  template:
    metadata:
      labels: { app: rw }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: app
          image: localhost/busybox:test
          # Ready a second after each start.
          command: ["sh", "-c", "rm -f /tmp/ready; echo run; sleep 1; touch /tmp/ready; exec sleep 3600"]
          readinessProbe:
            exec: { command: ["cat", "/tmp/ready"] }
            periodSeconds: 1
---
apiVersion: v1
kind: Pod
metadata:
  name: rp
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: localhost/busybox:test
      command: ["sh", "-c", "echo run; exec sleep 3600"]
`;

interface ContainerInfo {
  Id: string;
  State: { StartedAt: string; FinishedAt: string; Running: boolean };
  NetworkSettings?: { Networks?: Record<string, { IPAddress: string }> };
}
interface PodInfo {
  Id: string;
  InfraContainerID: string;
}

const container = async (name: string) =>
  (await podmanJson<ContainerInfo[]>(["container", "inspect", name]))[0] as ContainerInfo;
const pod = async (name: string) => {
  // Podman 4.3 prints one pod as an object, later versions as a list.
  const info = await podmanJson<PodInfo | PodInfo[]>(["pod", "inspect", name]);
  return (Array.isArray(info) ? info[0] : info) as PodInfo;
};
const ms = (t: string) => Date.parse(t);

let work: string;
let file: string;
let rwPods: string[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-restart-"));
  file = writeManifest(work, "restart.yaml", MANIFEST);
  const played = await runKplay(["play", "--wait", file]);
  if (played.exitCode !== 0) throw new Error(`play failed: ${played.stderr}`);
  const ps = await runKplay(["ps", "-o", "json"]);
  rwPods = (JSON.parse(ps.stdout) as { pods: { name: string }[] }).pods
    .map((p) => p.name)
    .filter((n) => n.startsWith("rw-"))
    .sort();
});
afterAll(async () => {
  await runKplay(["down", file]);
  rmSync(work, { recursive: true, force: true });
});

describe("kplay restart", () => {
  test("pod/NAME: its containers restart in place; pod, infra container and IP stay", async () => {
    const podBefore = await pod("rp");
    const infraBefore = await container(podBefore.InfraContainerID);
    const before = await container("rp-main");
    const run = await runKplay(["restart", "pod/rp"]);
    expect(run).toEqual({ stdout: "pod/rp restarted\n", stderr: "", exitCode: 0 });
    const after = await container("rp-main");
    expect(after.Id).toBe(before.Id);
    expect(after.State.Running).toBe(true);
    expect(ms(after.State.StartedAt)).toBeGreaterThan(ms(before.State.StartedAt));
    const podAfter = await pod("rp");
    expect([podAfter.Id, podAfter.InfraContainerID]).toEqual([
      podBefore.Id,
      podBefore.InfraContainerID,
    ]);
    const infraAfter = await container(podAfter.InfraContainerID);
    expect(infraAfter.State.StartedAt).toBe(infraBefore.State.StartedAt);
    expect(infraAfter.NetworkSettings?.Networks).toEqual(infraBefore.NetworkSettings?.Networks);
    // The process inside ran again: its log has two runs, -p the first.
    expect((await runKplay(["logs", "rp"])).stdout).toBe("run\nrun\n");
    expect((await runKplay(["logs", "rp", "-p"])).stdout).toBe("run\n");
  });

  test("deployment/NAME: one pod at a time, the next only once the previous is ready", async () => {
    expect(rwPods.length).toBe(2);
    const [first = "", second = ""] = rwPods;
    const before = await Promise.all(rwPods.map((p) => container(`${p}-app`)));
    const run = await runKplay(["restart", "deployment/rw"]);
    expect(run).toEqual({
      stdout: `pod/${first} restarted\npod/${second} restarted\n`,
      stderr: "",
      exitCode: 0,
    });
    const after = await Promise.all(rwPods.map((p) => container(`${p}-app`)));
    for (const [i, c] of after.entries()) {
      expect(c.Id).toBe(before[i]?.Id as string);
      expect(c.State.Running).toBe(true);
      expect(ms(c.State.StartedAt)).toBeGreaterThan(ms(before[i]?.State.StartedAt ?? ""));
    }
    // The second pod's old run ended (FinishedAt) after the first's new run had started and
    // become ready, which takes it at least a second.
    const firstStarted = ms(after[0]?.State.StartedAt ?? "");
    const secondStopped = ms(after[1]?.State.FinishedAt ?? "");
    expect(secondStopped - firstStarted).toBeGreaterThanOrEqual(1000);
    // Both are ready now, as ps counts it.
    const ps = JSON.parse((await runKplay(["ps", "-o", "json"])).stdout) as {
      pods: { name: string; ready: number; total: number }[];
    };
    expect(ps.pods.filter((p) => p.name.startsWith("rw-")).map((p) => [p.ready, p.total])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test("what is not there is exit 1; what is not a target is exit 2", async () => {
    expect(await runKplay(["restart", "deployment/none"])).toEqual({
      stdout: "",
      stderr: "kplay: No pods of deployment/none\n",
      exitCode: 1,
    });
    expect(await runKplay(["restart", "pod/none"])).toEqual({
      stdout: "",
      stderr: 'kplay: Pod "none" not found\n',
      exitCode: 1,
    });
    expect(await runKplay(["restart", "job/x"])).toEqual({
      stdout: "",
      stderr:
        'kplay: "job/x" is not something kplay restarts: write KIND/NAME with KIND one of deployment, statefulset, daemonset, replicaset, pod\n',
      exitCode: 2,
    });
    expect(await runKplay(["restart", "rp"])).toMatchObject({ exitCode: 2 });
  });
});
