/**
 * Failures the real Podman produces: each play fails, exits 1, says what failed and what the
 * rollback removed, and leaves Podman's pods, containers and volumes exactly as they were.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cleanupStore,
  freePort,
  runKplay,
  type StoreState,
  snapshotState,
} from "../support/podman.ts";
import { pairManifest, writeManifest } from "./helpers.ts";

let work: string;
let before: StoreState;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-faults-"));
  // A clean store, whatever an earlier test file left: afterEach cleans the whole store.
  await cleanupStore();
  before = await snapshotState();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The rollback line every fault that got as far as the containers prints. */
const rolledBackAll = (pod: string) =>
  `  rolled back: removed container ${pod}-web, container ${pod}-side, pod ${pod}, volume ${pod}_data\n`;

describe("a failed play leaves nothing behind", () => {
  test("missing image under imagePullPolicy Never: nothing is created at all", async () => {
    const file = writeManifest(
      work,
      "noimage.yaml",
      pairManifest({
        pod: "noimage",
        hostPort: await freePort(),
        sideImage: "localhost/kplay-missing:test",
        sidePolicy: "Never",
      }),
    );
    const run = await runKplay(["play", file]);
    expect(run.stderr).toBe(
      'kplay: Image "localhost/kplay-missing:test" for container "side" of pod/noimage is not present, and images under localhost/ are never pulled\n' +
        "  nothing had been created\n",
    );
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("a command that does not exist fails the pod start and is rolled back", async () => {
    const file = writeManifest(
      work,
      "nocmd.yaml",
      pairManifest({ pod: "nocmd", hostPort: await freePort(), sideCommand: ["/no/such/cmd"] }),
    );
    const run = await runKplay(["play", file]);
    const [first, ...rest] = run.stderr.split("\n");
    expect(first).toStartWith(
      'kplay: pod "nocmd" failed: [POST] "/pods/nocmd/start": 409 Conflict: starting container "nocmd-side": ',
    );
    expect(first).toContain('exec: "/no/such/cmd": stat /no/such/cmd: no such file or directory');
    expect(`${rest.join("\n")}`).toBe(rolledBackAll("nocmd"));
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("a hostPort another process already holds on 127.0.0.1", async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) =>
      holder.listen({ port, host: "127.0.0.1", exclusive: true }, resolve),
    );
    try {
      const file = writeManifest(
        work,
        "busyport.yaml",
        pairManifest({ pod: "busyport", hostPort: port }),
      );
      const run = await runKplay(["play", file]);
      const [first, ...rest] = run.stderr.split("\n");
      expect(first).toStartWith(
        'kplay: pod "busyport" failed: [POST] "/pods/busyport/start": 409 Conflict: ',
      );
      // The infra container holds the ports: it is named, not shown as a raw ID. (Podman
      // lists the failures of the pod's containers in no fixed order.)
      expect(first).toContain('starting container the infra container of pod "busyport": ');
      expect(first).not.toMatch(/[0-9a-f]{64}/);
      expect(first).toContain(
        `cannot listen on the TCP port: listen tcp4 127.0.0.1:${port}: bind: address already in use`,
      );
      expect(rest.join("\n")).toBe(rolledBackAll("busyport"));
      expect(run.exitCode).toBe(1);
      expect(await snapshotState()).toEqual(before);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  test("a spec kplay accepts and Podman refuses at container create (unknown capability)", async () => {
    const file = writeManifest(
      work,
      "badcap.yaml",
      pairManifest({
        pod: "badcap",
        hostPort: await freePort(),
        sideExtra: '      securityContext:\n        capabilities:\n          add: ["NET_FOO"]\n',
      }),
    );
    // The premise: kplay's own validation lets it through (Kubernetes does not check names either).
    const valid = await runKplay(["validate", file]);
    expect(valid).toEqual({ stdout: "", stderr: "", exitCode: 0 });

    const run = await runKplay(["play", file]);
    // Refused at the second container's create: the first container, pod and volume go.
    expect(run.stderr).toBe(
      'kplay: pod "badcap" failed: [POST] "/containers/create": 500 Internal Server Error: "CAP_NET_FOO": unknown capability\n' +
        "  rolled back: removed container badcap-web, pod badcap, volume badcap_data\n",
    );
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("--keep-on-error leaves what was created, and says so", async () => {
    const file = writeManifest(
      work,
      "keep.yaml",
      pairManifest({ pod: "keep", hostPort: await freePort(), sideCommand: ["/no/such/cmd"] }),
    );
    // The flag after the file: cac 7 lets `--keep-on-error FILE` take FILE as the flag's value
    // (reported to the lead with a fix for app.ts).
    const run = await runKplay(["play", file, "--keep-on-error"]);
    const [first, ...rest] = run.stderr.split("\n");
    expect(first).toStartWith(
      'kplay: pod "keep" failed: [POST] "/pods/keep/start": 409 Conflict: ',
    );
    expect(rest.join("\n")).toBe("  --keep-on-error: what was created is left in place\n");
    expect(run.exitCode).toBe(1);
    const kept = await snapshotState();
    expect(kept.pods).toEqual([...before.pods, "keep"].sort());
    expect(kept.volumes).toEqual([...before.volumes, "keep_data"].sort());
    const added = kept.containers.filter((c) => !before.containers.includes(c));
    expect(added.filter((c) => !c.endsWith("-infra")).sort()).toEqual(["keep-side", "keep-web"]);
    expect(added.filter((c) => c.endsWith("-infra"))).toHaveLength(1);

    // What was kept is ordinary kplay state: down removes it all.
    const down = await runKplay(["down", file]);
    expect(down).toEqual({
      stdout: "pod/keep removed (and volume keep_data)\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await snapshotState()).toEqual(before);
  });
});
