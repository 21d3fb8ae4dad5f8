/**
 * Two changing commands at once against one Podman: two plays of one file, and a down during
 * a play. They take turns (the endpoint lock), so afterwards there is one pod with each of
 * its containers once and nothing left aside, whatever order they ran in.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairManifest, writeManifest } from "../faults/helpers.ts";
import { freePort } from "../support/http.ts";
import { cleanupStore, runKplay, snapshotState } from "../support/podman.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-concurrent-"));
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

test("two plays of one file at once: one pod, each container once, nothing aside", async () => {
  const before = await snapshotState();
  const file = writeManifest(
    work,
    "twice.yaml",
    pairManifest({ pod: "cc-twice", hostPort: await freePort() }),
  );
  const [a, b] = await Promise.all([runKplay(["play", file]), runKplay(["play", file])]);
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  // One created it; the other waited for it, then found it as it wanted it.
  const actions = [a.stdout, b.stdout].map(
    (out) => /^pod\/cc-twice\s+\S+\s+\S+\s+(\S+)/m.exec(out)?.[1],
  );
  expect(actions.sort()).toEqual(["created", "unchanged"]);
  const after = await snapshotState();
  expect(after.pods).toEqual([...before.pods, "cc-twice"].sort());
  const mine = after.containers.filter((c) => c.startsWith("cc-twice-"));
  expect(mine).toEqual(["cc-twice-side", "cc-twice-web"]);
  expect((await runKplay(["down", file])).exitCode).toBe(0);
  expect(await snapshotState()).toEqual(before);
});

test("a down during a play: the store ends whole, the pod there completely or not at all", async () => {
  const before = await snapshotState();
  const file = writeManifest(
    work,
    "race.yaml",
    pairManifest({ pod: "cc-race", hostPort: await freePort() }),
  );
  const [played, downed] = await Promise.all([runKplay(["play", file]), runKplay(["down", file])]);
  expect(played.exitCode).toBe(0);
  expect(downed.exitCode).toBe(0);
  const after = await snapshotState();
  if (downed.stdout.includes("pod/cc-race removed")) {
    expect(after).toEqual(before);
  } else {
    expect(downed.stdout).toContain("pod/cc-race not found");
    expect(after.pods).toEqual([...before.pods, "cc-race"].sort());
    expect(after.containers.filter((c) => c.startsWith("cc-race-"))).toEqual([
      "cc-race-side",
      "cc-race-web",
    ]);
  }
  expect((await runKplay(["down", file])).exitCode).toBe(0);
  expect(await snapshotState()).toEqual(before);
});
