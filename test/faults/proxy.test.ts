/**
 * Faults only a proxy can produce on demand (a 500 from Podman, a dropped connection, a slow
 * request to interrupt): each play fails, and what it created is gone again. kplay reaches
 * Podman through test/support/fault-proxy.ts with --url.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import {
  cleanupStore,
  freePort,
  runKplay,
  type StoreState,
  snapshotState,
} from "../support/podman.ts";
import { pairManifest, startKplay, writeManifest } from "./helpers.ts";

let work: string;
let proxy: FaultProxy;
let before: StoreState;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-proxy-faults-"));
  proxy = await startFaultProxy();
  // A clean store, whatever an earlier test file left: afterEach cleans the whole store.
  await cleanupStore();
  before = await snapshotState();
});
afterEach(async () => {
  proxy.clearFaults();
  proxy.resetLog();
  await cleanupStore();
});
afterAll(async () => {
  await proxy.close();
  rmSync(work, { recursive: true, force: true });
});

const rolledBackAll = (pod: string) =>
  `  rolled back: removed container ${pod}-web, container ${pod}-side, pod ${pod}, volume ${pod}_data\n`;

async function manifest(pod: string): Promise<string> {
  return writeManifest(work, `${pod}.yaml`, pairManifest({ pod, hostPort: await freePort() }));
}

describe("the proxy itself", () => {
  /** One request on a fresh connection (fetch would retry a GET whose connection dropped). */
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath: proxy.socketPath, path, agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });

  test("forwards, counts, fails and drops on demand", async () => {
    expect(await get("/_ping")).toEqual({ status: 200, body: "OK" });
    const failed = proxy.inject({
      method: "GET",
      path: "/info",
      nth: 2,
      action: { kind: "fail", message: "boom" },
    });
    expect((await get("/v4.0.0/libpod/info")).status).toBe(200);
    const res = await get("/v4.0.0/libpod/info");
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ cause: "boom", message: "boom", response: 500 });
    expect((await failed).path).toBe("/info");
    proxy.inject({ path: "/version", action: { kind: "drop" } });
    await expect(get("/v4.0.0/libpod/version")).rejects.toThrow();
    expect((await get("/v4.0.0/libpod/version")).status).toBe(200);
    expect(proxy.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /_ping 200",
      "GET /info 200",
      "GET /info 500",
      "GET /version 0",
      "GET /version 200",
    ]);
    expect(proxy.count("GET", "/info")).toBe(2);
    expect(proxy.count(undefined, /^\/(info|version)$/)).toBe(4);
    expect(proxy.mutating()).toEqual([]);
  });
});

describe("a failed play through the proxy leaves nothing behind", () => {
  test("a 500 from the second container create", async () => {
    const file = await manifest("fail500");
    proxy.inject({
      method: "POST",
      path: "/containers/create",
      nth: 2,
      action: { kind: "fail", message: "injected: no space left on device" },
    });
    const run = await runKplay(["play", "--url", proxy.url, file]);
    expect(run.stderr).toBe(
      'kplay: pod "fail500" failed: [POST] "/containers/create": 500 Internal Server Error: injected: no space left on device\n' +
        "  rolled back: removed container fail500-web, pod fail500, volume fail500_data\n",
    );
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("the connection drops before Podman sees the second container create; rollback reconnects", async () => {
    const file = await manifest("dropped");
    proxy.inject({ method: "POST", path: "/containers/create", nth: 2, action: { kind: "drop" } });
    const run = await runKplay(["play", "--url", proxy.url, file]);
    const [first, ...rest] = run.stderr.split("\n");
    expect(first).toStartWith(`kplay: pod "dropped" failed: Cannot reach Podman at ${proxy.url}: `);
    expect(rest.join("\n")).toBe(
      "  rolled back: removed container dropped-web, pod dropped, volume dropped_data\n",
    );
    expect(run.exitCode).toBe(1);
    // The rollback's requests came on a new connection, after the drop.
    expect(proxy.count("DELETE", "/pods/dropped")).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("the answer to the second container create is lost after Podman made it", async () => {
    const file = await manifest("lost");
    proxy.inject({
      method: "POST",
      path: "/containers/create",
      nth: 2,
      action: { kind: "drop", when: "after" },
    });
    const run = await runKplay(["play", "--url", proxy.url, file]);
    expect(run.stderr.split("\n")[0]).toStartWith(
      `kplay: pod "lost" failed: Cannot reach Podman at ${proxy.url}: `,
    );
    expect(run.exitCode).toBe(1);
    // kplay never learnt of lost-side, but removing the pod removes it too.
    expect(await snapshotState()).toEqual(before);
  });

  // Regression guard: an object whose create answer is lost was once left out of the journal,
  // so a pod Podman made stayed behind while kplay reported a complete rollback. It is now
  // journaled as uncertain and removed if Podman has it.
  test("the answer to the pod create is lost after Podman made it", async () => {
    const file = await manifest("lostpod");
    proxy.inject({ method: "POST", path: "/pods/create", action: { kind: "drop", when: "after" } });
    const run = await runKplay(["play", "--url", proxy.url, file]);
    expect(run.stderr.split("\n")[0]).toStartWith(
      `kplay: pod "lostpod" failed: Cannot reach Podman at ${proxy.url}: `,
    );
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  // A claim's volume is journaled apart from emptyDirs (its rollback is never forced); a lost
  // answer must still leave it uncertain and removed when Podman made it.
  test("the answer to a claim's volume create is lost after Podman made it", async () => {
    const file = writeManifest(
      work,
      "lostclaim.yaml",
      `apiVersion: v1
kind: Pod
metadata:
  name: lostclaim
spec:
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      volumeMounts:
        - {name: data, mountPath: /data}
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: lostclaim-data
`,
    );
    proxy.inject({
      method: "POST",
      path: "/volumes/create",
      action: { kind: "drop", when: "after" },
    });
    const run = await runKplay(["play", "--url", proxy.url, file]);
    expect(run.stderr).toStartWith(`kplay: Cannot reach Podman at ${proxy.url}: `);
    expect(run.stderr).toContain("rolled back: removed volume lostclaim-data\n");
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });

  test("Podman goes away mid-play: the rollback fails too, exit 3 lists what is left", async () => {
    const file = await manifest("gone");
    const hit = proxy.inject({
      method: "POST",
      path: "/containers/create",
      nth: 2,
      action: { kind: "drop" },
    });
    // From the failing request on, every request is dropped: the rollback cannot reach Podman.
    void hit.then(() => proxy.inject({ path: /./, andAfter: true, action: { kind: "drop" } }));
    const run = await runKplay(["play", "--url", proxy.url, file]);
    const lines = run.stderr.split("\n");
    expect(lines[0]).toStartWith(`kplay: pod "gone" failed: Cannot reach Podman at ${proxy.url}: `);
    expect(lines[1]).toBe("  rollback incomplete; still present:");
    expect(lines[2]).toStartWith(`    pod gone: Cannot reach Podman at ${proxy.url}: `);
    expect(lines[3]).toStartWith(`    volume gone_data: Cannot reach Podman at ${proxy.url}: `);
    expect(lines.slice(4)).toEqual([""]);
    expect(run.exitCode).toBe(3);
    const left = await snapshotState();
    expect(left.pods).toEqual([...before.pods, "gone"].sort());
    expect(left.volumes).toEqual([...before.volumes, "gone_data"].sort());

    // Once Podman is reachable again, down removes what the failed rollback left.
    proxy.clearFaults();
    const down = await runKplay(["down", "--url", proxy.url, file]);
    expect(down).toEqual({
      stdout: "pod/gone removed (and volume gone_data)\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await snapshotState()).toEqual(before);
  });
});

describe("SIGINT during play rolls back", () => {
  test("interrupted while the second container is being created", async () => {
    const file = await manifest("intr");
    const held = proxy.inject({
      method: "POST",
      path: "/containers/create",
      nth: 2,
      action: { kind: "delay", ms: 3000 },
    });
    const kplay = startKplay(["play", "--url", proxy.url, file]);
    await held;
    kplay.kill("SIGINT");
    const run = await kplay.done;
    expect(run.stderr).toBe(
      "kplay: SIGINT received, stopping…\n" +
        'kplay: pod "intr" failed: Interrupted\n' +
        rolledBackAll("intr"),
    );
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
    // Nothing was sent after the create in flight but the rollback.
    expect(proxy.count("POST", "/pods/intr/start")).toBe(0);
    expect(await snapshotState()).toEqual(before);
  });

  // Regression guard: the signal was once checked only before each step, so a SIGINT during
  // the last one (the pod start) was ignored and the play succeeded.
  test("interrupted while the pod is being started", async () => {
    const file = await manifest("intrstart");
    const held = proxy.inject({
      method: "POST",
      path: "/pods/intrstart/start",
      action: { kind: "delay", ms: 3000 },
    });
    const kplay = startKplay(["play", "--url", proxy.url, file]);
    await held;
    kplay.kill("SIGINT");
    const run = await kplay.done;
    expect(run.stderr).toBe(
      "kplay: SIGINT received, stopping…\n" +
        'kplay: pod "intrstart" failed: Interrupted\n' +
        rolledBackAll("intrstart"),
    );
    expect(run.exitCode).toBe(1);
    expect(await snapshotState()).toEqual(before);
  });
});
