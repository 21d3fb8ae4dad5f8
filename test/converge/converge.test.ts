/**
 * Re-playing converges, measured on the real Podman through the counting proxy: an unchanged
 * pod gets no mutating request at all; a container whose env changed is replaced alone while
 * the pod, its infra container, the other container and the hostPort stay; a hostPort change
 * recreates the pod; a pod kplay did not create is refused and left alone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairManifest, startKplay, writeManifest } from "../faults/helpers.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import {
  cleanupStore,
  freePort,
  httpGet,
  httpGetBody,
  podman,
  podmanJson,
  runKplay,
  snapshotState,
} from "../support/podman.ts";
import { type PodIds, podIdsWith } from "../support/store.ts";

let work: string;
let proxy: FaultProxy;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-converge-"));
  proxy = await startFaultProxy();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(async () => {
  await proxy.close();
  rmSync(work, { recursive: true, force: true });
});

/** The pod's own ID, its infra container's and each container's by name. */
function podIds(name: string): Promise<PodIds> {
  return podIdsWith(podman, "", name);
}

/** Plays through the proxy with a clean request log; returns the run. */
async function play(file: string, ...flags: string[]) {
  proxy.resetLog();
  return runKplay(["play", "--url", proxy.url, ...flags, file]);
}

/** GETs `url` over and over until `work` settles; returns every answer (or error) seen. */
async function pollWhile<T>(
  url: string,
  work: Promise<T>,
): Promise<{ value: T; answers: string[] }> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const answers: string[] = [];
  while (!done) {
    try {
      // A long per-request bound: a busy machine may be slow to answer, which is not a gap.
      const res = await httpGet(url, { timeoutMs: 15_000 });
      answers.push(`${res.status} ${res.body.trimEnd()}`);
    } catch (e) {
      answers.push(`error: ${e instanceof Error ? (e.cause ?? e.message) : String(e)}`);
    }
    await Bun.sleep(10);
  }
  return { value: await settled, answers };
}

describe("re-play converges", () => {
  test("unchanged: the same IDs and not one mutating request", async () => {
    const file = writeManifest(
      work,
      "same.yaml",
      pairManifest({ pod: "same", hostPort: await freePort(), sideEnv: "one" }),
    );
    const first = await play(file);
    expect(first.exitCode).toBe(0);
    const ids = await podIds("same");
    const state = await snapshotState();

    const again = await play(file, "-o", "json");
    expect(again.stderr).toBe("");
    expect(again.exitCode).toBe(0);
    expect(proxy.mutating()).toEqual([]);
    expect(await podIds("same")).toEqual(ids);
    expect(await snapshotState()).toEqual(state);
    // The output reports the same IDs, every one unchanged.
    const out = JSON.parse(again.stdout) as {
      pods: {
        id: string;
        action: string;
        infraId: string;
        containers: { name: string; id: string; action: string }[];
      }[];
    };
    expect(out.pods.map((p) => [p.id, p.infraId, p.action])).toEqual([
      [ids.pod, ids.infra, "unchanged"],
    ]);
    expect(out.pods[0]?.containers.map((c) => [c.name, c.id, c.action])).toEqual([
      ["same-web", ids.containers["same-web"] ?? "", "unchanged"],
      ["same-side", ids.containers["same-side"] ?? "", "unchanged"],
    ]);
  });

  test("one container's env changed: only that container is replaced, httpd keeps answering", async () => {
    const port = await freePort();
    const v1 = writeManifest(
      work,
      "env1.yaml",
      pairManifest({ pod: "env", hostPort: port, sideEnv: "one" }),
    );
    const v2 = writeManifest(
      work,
      "env2.yaml",
      pairManifest({ pod: "env", hostPort: port, sideEnv: "two" }),
    );
    expect((await play(v1)).exitCode).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    expect((await httpGetBody(`${base}/index.html`, "web\n")).body).toBe("web\n");
    expect((await httpGetBody(`${base}/side.txt`, "one\n")).body).toBe("one\n");
    const before = await podIds("env");

    const { value: run, answers } = await pollWhile(`${base}/index.html`, play(v2));
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    // httpd answered every single time while the side container was replaced.
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect([...new Set(answers)]).toEqual(["200 web"]);

    const after = await podIds("env");
    expect(after.pod).toBe(before.pod);
    expect(after.infra).toBe(before.infra);
    expect(after.containers["env-web"]).toBe(before.containers["env-web"] ?? "");
    expect(after.containers["env-side"]).not.toBe(before.containers["env-side"] ?? "");
    expect(Object.keys(after.containers).sort()).toEqual(["env-side", "env-web"]);
    expect(run.stdout).toMatch(/^pod\/env\s+env\s+[0-9a-f]{12}\s+updated$/m);
    expect(run.stdout).toMatch(/^ {2}web\s+env-web\s+[0-9a-f]{12}\s+unchanged$/m);
    expect(run.stdout).toMatch(/^ {2}side\s+env-side\s+[0-9a-f]{12}\s+updated$/m);
    // Nothing mutating touched the pod or the web container.
    const webId = before.containers["env-web"] ?? "";
    const touched = proxy
      .mutating()
      .filter(
        (r) => r.path.startsWith("/pods/") || r.path.includes("env-web") || r.path.includes(webId),
      );
    expect(touched).toEqual([]);
    // The new container runs with the new env (and the volume it writes to was kept).
    expect((await httpGetBody(`${base}/side.txt`, "two\n")).body).toBe("two\n");
    expect((await snapshotState()).volumes).toEqual(["env_data"]);
  });

  // Regression guard: the in-place update once ignored the signal, so a SIGINT during it
  // ended with exit 0 and the new container in place.
  test("SIGINT during an update puts the previous container back", async () => {
    const port = await freePort();
    const v1 = writeManifest(
      work,
      "intr1.yaml",
      pairManifest({ pod: "intr", hostPort: port, sideEnv: "one" }),
    );
    const v2 = writeManifest(
      work,
      "intr2.yaml",
      pairManifest({ pod: "intr", hostPort: port, sideEnv: "two" }),
    );
    expect((await play(v1)).exitCode).toBe(0);
    const before = await podIds("intr");
    const state = await snapshotState();

    proxy.resetLog();
    const held = proxy.inject({
      method: "POST",
      path: "/containers/create",
      action: { kind: "delay", ms: 3000 },
    });
    const kplay = startKplay(["play", "--url", proxy.url, v2]);
    await held;
    kplay.kill("SIGINT");
    const run = await kplay.done;
    proxy.clearFaults();
    expect(run.stderr).toBe(
      "kplay: SIGINT received, stopping…\n" +
        'kplay: pod "intr" failed: Interrupted\n' +
        "  rolled back: removed container intr-side, (restored the previous intr-side)\n",
    );
    expect(run.exitCode).toBe(1);
    expect(await podIds("intr")).toEqual(before);
    expect(await snapshotState()).toEqual(state);
    const [side] = await podmanJson<{ State: { Status: string } }[]>([
      "container",
      "inspect",
      "intr-side",
    ]);
    expect(side?.State.Status).toBe("running");
  });

  test("a hostPort changed: the pod is recreated, and says so", async () => {
    const p1 = await freePort();
    let p2 = await freePort();
    while (p2 === p1) p2 = await freePort();
    const v1 = writeManifest(work, "port1.yaml", pairManifest({ pod: "port", hostPort: p1 }));
    const v2 = writeManifest(work, "port2.yaml", pairManifest({ pod: "port", hostPort: p2 }));
    expect((await play(v1)).exitCode).toBe(0);
    const before = await podIds("port");

    const run = await play(v2);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /^pod\/port\s+port\s+[0-9a-f]{12}\s+recreated \(pod-level settings changed\)$/m,
    );
    const after = await podIds("port");
    expect(after.pod).not.toBe(before.pod);
    expect(after.infra).not.toBe(before.infra);
    expect(Object.keys(after.containers).sort()).toEqual(["port-side", "port-web"]);
    expect((await httpGetBody(`http://127.0.0.1:${p2}/index.html`, "web\n")).body).toBe("web\n");
    await expect(
      httpGet(`http://127.0.0.1:${p1}/index.html`, { timeoutMs: 1000 }),
    ).rejects.toThrow();
  });

  test("a pod kplay did not create is refused without --replace and left alone", async () => {
    expect(
      (await podman(["pod", "create", "--name", "foreign", "--label", "owner=someone"])).exitCode,
    ).toBe(0);
    const before = await podIds("foreign");
    const state = await snapshotState();
    const file = writeManifest(
      work,
      "foreign.yaml",
      pairManifest({ pod: "foreign", hostPort: await freePort() }),
    );

    const run = await play(file);
    expect(run).toEqual({
      stdout: "",
      stderr:
        'kplay: Pod "foreign" exists and was not created by kplay; use --replace to remove it and play it again\n',
      exitCode: 1,
    });
    expect(proxy.mutating()).toEqual([]);
    expect(await podIds("foreign")).toEqual(before);
    expect(await snapshotState()).toEqual(state);

    // With --replace it is removed and played as kplay's own.
    const replaced = await play(file, "--replace");
    expect(replaced.exitCode).toBe(0);
    expect(replaced.stdout).toMatch(
      /^pod\/foreign\s+foreign\s+[0-9a-f]{12}\s+recreated \(--replace\)$/m,
    );
    expect((await podIds("foreign")).pod).not.toBe(before.pod);
  });
});
