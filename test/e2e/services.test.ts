/**
 * Services on the rootful Podman: the services scenario (services-scenario.ts, also run
 * rootless and on 5.4), and the refusals that need no pod to run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testUrl } from "../support/env.ts";
import { freePort, httpGet } from "../support/http.ts";
import { kplayCommand } from "../support/kplay.ts";
import { cleanupStore, podman, runKplay, snapshotState } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";
import { servicesBundle, servicesScenario } from "./services-scenario.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-services-"));
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
  rmSync(work, { recursive: true, force: true });
});

describe("Services", () => {
  test("names, port mapping, headless StatefulSet names, env, LoadBalancer, converge, down", async () => {
    await servicesScenario(
      { cli: podman, which: "", kplay: (args) => runKplay(args, { timeoutMs: 240_000 }) },
      work,
    );
  }, 400_000);

  test("port-forward: svc/NAME reaches the Service port, KIND/NAME a pod's, until Ctrl-C", async () => {
    const file = join(work, "forward.yaml");
    writeFileSync(file, servicesBundle({ lbPort: await freePort() }));
    expect((await runKplay(["play", "--wait=120s", file])).exitCode).toBe(0);
    try {
      const local = await freePort();
      const proc = Bun.spawn(
        [...kplayCommand("bin"), "port-forward", "svc/sv-web", `${local}:80`, ":8080"],
        { env: { ...process.env, CONTAINER_HOST: testUrl() }, stdout: "pipe", stderr: "pipe" },
      );
      let out = "";
      const reader = (async () => {
        for await (const chunk of proc.stdout) out += new TextDecoder().decode(chunk);
      })();
      const lines = await pollUntil(
        () => out,
        (o) => (o.match(/^Forwarding from /gm) ?? []).length === 2,
        30_000,
      );
      expect(lines).toMatch(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${local} -> 80$`, "m"));
      const any = /^Forwarding from 127\.0\.0\.1:(\d+) -> 8080$/m.exec(lines);
      expect(any).not.toBeNull();
      const webPods = (await podman(["pod", "ps", "--format", "{{.Name}}"])).stdout
        .split("\n")
        .filter((n) => n.startsWith("sv-web-"));
      // Port 80 is the Service's: the pod's proxy maps it to 8080; 8080 is the pod's own.
      for (const port of [local, Number(any?.[1])]) {
        const res = await httpGet(`http://127.0.0.1:${port}/`, {
          timeoutMs: 2000,
          retryForMs: 20_000,
        });
        expect(res.status).toBe(200);
        expect(webPods).toContain(res.body.trim());
      }
      const helpers = () =>
        podman(["ps", "-a", "--filter", "label=io.kplay.port-forward", "--format", "{{.Names}}"]);
      expect((await helpers()).stdout).toMatch(/^kplay-port-forward-/);
      proc.kill("SIGINT");
      expect(await proc.exited).toBe(0);
      await reader;
      expect((await helpers()).stdout).toBe("");
    } finally {
      await runKplay(["down", file]);
    }
  }, 300_000);

  test("port-forward refuses what it cannot do, with exit 2 or 1", async () => {
    const bad = await runKplay(["port-forward", "svc/nothing", "80x"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('kplay: "80x" is not a port: write LOCAL:REMOTE, REMOTE or :REMOTE\n');
    const none = await runKplay(["port-forward", "svc/nothing", "8080"]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toBe("kplay: No pod of service/nothing (kplay played no pod it selects)\n");
  });

  test("a network of kplay's name that kplay did not make is refused, and left alone", async () => {
    expect((await podman(["network", "create", "kplay-theirs"])).exitCode).toBe(0);
    try {
      const file = join(work, "theirs.yaml");
      writeFileSync(
        file,
        `apiVersion: v1
kind: Service
metadata: {name: s, namespace: theirs}
spec:
  selector: {app: s}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: s, namespace: theirs, labels: {app: s}}
spec:
  containers: [{name: c, image: localhost/busybox:test, command: ["sleep", "60"]}]
`,
      );
      const before = await snapshotState();
      const run = await runKplay(["play", file]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('Network "kplay-theirs" exists and kplay did not create it');
      expect(await snapshotState()).toEqual(before);
      expect((await podman(["network", "exists", "kplay-theirs"])).exitCode).toBe(0);
    } finally {
      await podman(["network", "rm", "kplay-theirs"]);
    }
  });
});
