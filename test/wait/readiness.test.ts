/**
 * `play --wait` returns once every container is ready, and not before: httpGet (with and
 * without a hostPort), tcpSocket and exec readiness probes against servers that become ready
 * only a few seconds after they start. httpGet and tcpSocket probes are made from the host
 * (the image has no curl), through 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, httpGet, podman, runKplay } from "../support/podman.ts";
import {
  httpReadinessScenario,
  lateHttpContainer,
  portBindings,
  stateOf,
  timedKplay,
  writePod,
} from "./helpers.ts";

/** Seconds each server takes to become ready after its container starts. */
const DELAY = 3;

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-wait-"));
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("httpGet readiness", () => {
  test("with a hostPort: exit 0 once /ready answers 200, not before", async () => {
    await httpReadinessScenario(
      { cli: podman, which: "", kplay: (args) => runKplay(args) },
      {
        dir: work,
        pod: "wait-http",
        delay: DELAY,
        table: [
          "OBJECT          NAME            ID             ACTION",
          "pod/wait-http   wait-http       <id>   created",
          "  infra                         <id>",
          "  web           wait-http-web   <id>   created",
          "",
        ].join("\n"),
      },
    );
  });

  test("without any hostPort: kplay publishes the probed port on 127.0.0.1 only", async () => {
    // No `ports:` at all: the only way to reach 8080 from the host is the port kplay adds.
    const file = writePod(work, "wait-http-noport", lateHttpContainer(DELAY));
    const run = await timedKplay(["play", "--wait=120s", file]);
    const bindings = await portBindings("wait-http-noport");
    const hostPort = bindings["8080/tcp"]?.[0]?.HostPort ?? "";
    const res = await httpGet(`http://127.0.0.1:${hostPort}/ready`);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.ms).toBeGreaterThanOrEqual(DELAY * 1000);
    expect(res).toMatchObject({ status: 200, body: "ready\n" });
    // One binding, on the loopback address only, on a port Podman picked.
    expect(bindings).toEqual({ "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: hostPort }] });
    expect(Number(hostPort)).toBeGreaterThan(0);
  });
});

/** Connects to 127.0.0.1:port and returns what the server sends before closing. */
function readTcp(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect({ host: "127.0.0.1", port });
    socket.setEncoding("utf8");
    socket.setTimeout(5000, () => socket.destroy(new Error("no answer within 5 s")));
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

test("tcpSocket readiness: a server that starts listening late", async () => {
  const file = writePod(
    work,
    "wait-tcp",
    `  containers:
    - name: server
      image: localhost/busybox:test
      command: ["sh", "-c", "sleep ${DELAY}; exec nc -ll -p 9000 -e echo hello"]
      readinessProbe:
        tcpSocket:
          port: 9000
        periodSeconds: 1
`,
  );
  const run = await timedKplay(["play", "--wait=120s", file]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  expect(run.ms).toBeGreaterThanOrEqual(DELAY * 1000);
  const bindings = await portBindings("wait-tcp");
  expect(bindings["9000/tcp"]?.map((b) => b.HostIp)).toEqual(["127.0.0.1"]);
  expect(await readTcp(Number(bindings["9000/tcp"]?.[0]?.HostPort))).toBe("hello\n");
});

test("exec readiness: `test -f /tmp/ready` becomes true after a delay", async () => {
  const file = writePod(
    work,
    "wait-exec",
    `  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", "sleep ${DELAY}; touch /tmp/ready; exec sleep 3600"]
      readinessProbe:
        exec:
          command: ["test", "-f", "/tmp/ready"]
        periodSeconds: 1
        # An exec through libpod (create, start, conmon, runc) can take over the 1 s default
        # on a loaded machine.
        timeoutSeconds: 10
`,
  );
  const run = await timedKplay(["play", "--wait=120s", file]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  expect(run.ms).toBeGreaterThanOrEqual(DELAY * 1000);
  expect((await podman(["exec", "wait-exec-app", "test", "-f", "/tmp/ready"])).exitCode).toBe(0);
  expect((await stateOf("wait-exec-app")).Status).toBe("running");
  // An exec probe needs no published port.
  expect(await portBindings("wait-exec")).toEqual({});
  // Each exec probe leaves a libpod exec session whose conmon lingers for minutes; removing
  // the pod ends them at once (the store cleanup would first wait for them in vain).
  const down = await runKplay(["down", file]);
  expect(down).toEqual({ stdout: "pod/wait-exec removed\n", stderr: "", exitCode: 0 });
});
