/**
 * persistentVolumeClaim volumes on the real Podman: the claim's Podman volume outlives its
 * pods (down, recreate) and goes only with `down --volumes`, never when kplay did not create
 * it or another pod still mounts it; a failed play removes a claim volume only if it made it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForFile } from "../support/files.ts";
import {
  cleanupStore,
  podman,
  podmanJson,
  runKplay,
  type StoreState,
  snapshotState,
} from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-claims-"));
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface PodOptions {
  readonly pod: string;
  readonly claim: string;
  /** Shell run by the container; default: append a line to /data/log and sleep. */
  readonly script?: string;
  readonly label?: string;
}

/** A pod whose one container mounts the claim at /data. */
function claimPod(o: PodOptions): string {
  const script = o.script ?? "echo run >> /data/log; exec sleep 3600";
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${o.pod}
  labels:
    generation: "${o.label ?? "1"}"
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", ${JSON.stringify(script)}]
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: ${o.claim}
`;
}

function write(name: string, ...docs: string[]): string {
  const file = join(work, name);
  writeFileSync(file, docs.join("---\n"));
  return file;
}

interface VolumeInspect {
  Name: string;
  Mountpoint: string;
  Labels: Record<string, string> | null;
}

async function volume(name: string): Promise<VolumeInspect | undefined> {
  const res = await podman(["volume", "inspect", name]);
  if (res.exitCode !== 0) return undefined;
  return (JSON.parse(res.stdout) as VolumeInspect[])[0];
}

/** The file a container wrote into a volume, read on the host through Podman's mountpoint. */
async function volumeFile(name: string, file: string, timeoutMs = 60_000): Promise<string> {
  const v = await volume(name);
  if (!v) throw new Error(`volume ${name} does not exist`);
  return waitForFile(join(v.Mountpoint, file), timeoutMs);
}

/** The volume's `log` once it has `lines` lines (or what it has after 60 s). */
async function waitForLines(name: string, lines: number): Promise<string> {
  const path = join((await volume(name))?.Mountpoint ?? `/nonexistent/${name}`, "log");
  await waitForFile(path, 60_000);
  return pollUntil(
    () => readFileSync(path, "utf8"),
    (text) => text.split("\n").filter(Boolean).length >= lines,
    60_000,
    50,
  );
}

async function play(file: string) {
  const run = await runKplay(["play", file]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  return run;
}

describe("a claim's volume outlives its pods", () => {
  test("created on first play, kept by down and by a recreate, removed by down --volumes", async () => {
    const file = write("keep.yaml", claimPod({ pod: "claim-keep", claim: "claim-keep-data" }));
    await play(file);
    const created = await volume("claim-keep-data");
    expect(created?.Labels).toEqual({
      "io.kplay.managed": "true",
      "io.kplay.claim": "claim-keep-data",
      "io.kplay.namespace": "default",
    });
    expect(await waitForLines("claim-keep-data", 1)).toBe("run\n");
    const [mount] = await podmanJson<{ Mounts: { Type: string; Name: string; RW: boolean }[] }[]>([
      "container",
      "inspect",
      "claim-keep-app",
    ]).then((c) => c.map((x) => x.Mounts.find((m) => m.Name === "claim-keep-data")));
    expect(mount).toMatchObject({ Type: "volume", RW: true });

    const down = await runKplay(["down", file]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe(
      "pod/claim-keep removed\nvolumes of claims kept: claim-keep-data (down --volumes removes the ones kplay created)\n",
    );
    expect((await snapshotState()).pods).toEqual([]);
    expect((await volume("claim-keep-data"))?.Mountpoint).toBe(created?.Mountpoint);

    // Played again, the pod finds what the first one wrote.
    await play(file);
    expect(await waitForLines("claim-keep-data", 2)).toBe("run\nrun\n");
    // A pod-level change recreates the pod; the claim's data stays.
    const changed = write(
      "keep.yaml",
      claimPod({ pod: "claim-keep", claim: "claim-keep-data", label: "2" }),
    );
    const recreated = await runKplay(["play", changed]);
    expect(recreated.exitCode).toBe(0);
    expect(recreated.stdout).toContain("recreated");
    expect(await waitForLines("claim-keep-data", 3)).toBe("run\nrun\nrun\n");

    const gone = await runKplay(["down", "--volumes", changed]);
    expect(gone.exitCode).toBe(0);
    expect(gone.stdout).toBe("pod/claim-keep removed\nvolume/claim-keep-data removed\n");
    expect(await snapshotState()).toEqual({ pods: [], containers: [], volumes: [] });
  });

  test("down --volumes after a plain down still finds the claims the file names", async () => {
    const file = write("late.yaml", claimPod({ pod: "claim-late", claim: "claim-late-data" }));
    await play(file);
    expect((await runKplay(["down", file])).exitCode).toBe(0);
    expect(await volume("claim-late-data")).toBeDefined();
    const later = await runKplay(["down", "--volumes", "-o", "json", file]);
    expect(later.exitCode).toBe(0);
    expect(JSON.parse(later.stdout)).toEqual({
      pods: [{ name: "claim-late", status: "not-found", volumes: [], claims: [] }],
      secrets: [],
      networks: [],
      claims: [{ name: "claim-late-data", status: "removed" }],
    });
    expect(await volume("claim-late-data")).toBeUndefined();
  });

  test("a volume the user made is used as the claim and never removed", async () => {
    expect((await podman(["volume", "create", "claim-user-data"])).exitCode).toBe(0);
    const seeded = await volume("claim-user-data");
    writeFileSync(join(seeded?.Mountpoint ?? "/nonexistent", "log"), "seeded\n");
    const file = write("user.yaml", claimPod({ pod: "claim-user", claim: "claim-user-data" }));
    await play(file);
    expect(await waitForLines("claim-user-data", 2)).toBe("seeded\nrun\n");
    const down = await runKplay(["down", "--volumes", file]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe(
      "pod/claim-user removed\nvolume/claim-user-data kept: kplay did not create it\n",
    );
    expect((await volume("claim-user-data"))?.Labels ?? {}).toEqual({});
    expect(await volumeFile("claim-user-data", "log")).toBe("seeded\nrun\n");
  });

  test("two pods of one file share a claim: one volume, removed once both are down", async () => {
    const file = write(
      "shared.yaml",
      claimPod({ pod: "claim-one", claim: "claim-shared" }),
      claimPod({ pod: "claim-two", claim: "claim-shared" }),
    );
    await play(file);
    expect(await waitForLines("claim-shared", 2)).toBe("run\nrun\n");
    expect((await snapshotState()).volumes).toEqual(["claim-shared"]);
    const down = await runKplay(["down", "--volumes", file]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout.split("\n").sort()).toEqual(
      ["", "pod/claim-one removed", "pod/claim-two removed", "volume/claim-shared removed"].sort(),
    );
    expect(await snapshotState()).toEqual({ pods: [], containers: [], volumes: [] });
  });

  test("down --volumes keeps a claim another pod still mounts", async () => {
    const first = write("first.yaml", claimPod({ pod: "claim-first", claim: "claim-busy" }));
    const second = write("second.yaml", claimPod({ pod: "claim-second", claim: "claim-busy" }));
    await play(first);
    await play(second);
    const down = await runKplay(["down", "--volumes", first]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe(
      "pod/claim-first removed\nvolume/claim-busy kept: another container still mounts it\n",
    );
    const state = await snapshotState();
    expect(state.pods).toEqual(["claim-second"]);
    expect(state.volumes).toEqual(["claim-busy"]);
  });
});

describe("a failed play and claims", () => {
  const failing = (pod: string, claim: string) =>
    claimPod({ pod, claim }).replace('command: ["sh", "-c"', 'command: ["/no/such/program", "-c"');

  async function playFails(file: string, before: StoreState): Promise<string> {
    const run = await runKplay(["play", file]);
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
    return run.stderr;
  }

  test("the claim volume this play created is rolled back with the pod", async () => {
    const before = await snapshotState();
    const stderr = await playFails(
      write("fail-new.yaml", failing("claim-fail", "claim-new")),
      before,
    );
    expect(stderr).toContain("volume claim-new");
    expect(await volume("claim-new")).toBeUndefined();
  });

  test("a claim volume that was there before is left alone", async () => {
    expect((await podman(["volume", "create", "claim-old"])).exitCode).toBe(0);
    const before = await snapshotState();
    const stderr = await playFails(
      write("fail-old.yaml", failing("claim-fail2", "claim-old")),
      before,
    );
    expect(stderr).not.toContain("volume claim-old");
    expect(await volume("claim-old")).toBeDefined();
  });
});
