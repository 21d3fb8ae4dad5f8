/** Manifests and measurements for the `play --wait` tests (issue 5's readiness). */

import { expect } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, httpGet } from "../support/http.ts";
import { podman, podmanJson, type RunResult, runKplay } from "../support/podman.ts";
import { cliJson, type PodmanCli, type PodmanTarget, storeSnapshot } from "../support/store.ts";

/** Writes a one-pod manifest to `dir/<name>.yaml` and returns its path. */
export function writePod(dir: string, name: string, spec: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 0
${spec}`,
  );
  return path;
}

/**
 * busybox httpd on port 8080 that answers 404 for /ready until `delay` seconds after the
 * container started, then 200 "ready". `ports` is YAML under the container (6 spaces).
 */
export function lateHttpContainer(delay: number, ports = ""): string {
  return `  containers:
    - name: web
      image: localhost/busybox:test
      command: ["sh", "-c", "mkdir -p /www; httpd -f -p 8080 -h /www & sleep ${delay}; echo ready > /www/ready; wait"]
${ports}      readinessProbe:
        httpGet:
          path: /ready
          port: 8080
        periodSeconds: 1
        # Kubernetes' 1 s default can run out on a loaded machine while httpd is fine.
        timeoutSeconds: 5
`;
}

/** Runs a kplay command and returns its result with how long it took, in milliseconds. */
export async function timed(run: () => Promise<RunResult>): Promise<RunResult & { ms: number }> {
  const t0 = performance.now();
  const result = await run();
  return { ...result, ms: performance.now() - t0 };
}

/** Runs kplay on the 4.3.1 test service, timed (see timed). */
export function timedKplay(
  args: readonly string[],
  env?: Record<string, string>,
): Promise<RunResult & { ms: number }> {
  return timed(() => runKplay(args, env ? { env } : {}));
}

type PortBindings = Record<string, { HostIp: string; HostPort: string }[] | null>;

/** What Podman says about a pod's published ports: `podman pod inspect`'s PortBindings. */
export async function portBindingsWith(
  cli: PodmanCli,
  which: string,
  pod: string,
): Promise<PortBindings> {
  type Inspect = { InfraConfig?: { PortBindings?: PortBindings } };
  const out = await cliJson<Inspect[] | Inspect>(cli, which, ["pod", "inspect", pod]);
  const inspected = Array.isArray(out) ? out[0] : out;
  return inspected?.InfraConfig?.PortBindings ?? {};
}

/** portBindingsWith on the 4.3.1 test service. */
export function portBindings(pod: string): Promise<PortBindings> {
  return portBindingsWith(podman, "", pod);
}

/**
 * httpGet readiness through a 127.0.0.1 hostPort, on any service: `play --wait` returns
 * once /ready answers 200 (`delay` seconds after start), not before; the path answers right
 * then; the port is published on 127.0.0.1 only; `down` leaves the store as it was.
 * `table` is play's expected output with IDs masked.
 */
export async function httpReadinessScenario(
  t: PodmanTarget,
  o: { readonly dir: string; readonly pod: string; readonly delay: number; readonly table: string },
): Promise<void> {
  const before = await storeSnapshot(t.cli, t.which);
  const port = await freePort();
  const file = writePod(
    o.dir,
    o.pod,
    lateHttpContainer(
      o.delay,
      `      ports:\n        - containerPort: 8080\n          hostPort: ${port}\n          hostIP: 127.0.0.1\n`,
    ),
  );
  const run = await timed(() => t.kplay(["play", "--wait=120s", file]));
  // Right when kplay returns, the probed path answers (no retry).
  const res = await httpGet(`http://127.0.0.1:${port}/ready`);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  expect(maskIds(run.stdout)).toBe(o.table);
  expect(run.ms).toBeGreaterThanOrEqual(o.delay * 1000);
  expect(res).toMatchObject({ status: 200, body: "ready\n" });
  expect(await portBindingsWith(t.cli, t.which, o.pod)).toEqual({
    "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }],
  });
  expect((await t.kplay(["down", file])).exitCode).toBe(0);
  expect(await storeSnapshot(t.cli, t.which)).toEqual(before);
}

/** `podman container inspect`'s State of one container. */
export async function stateOf(container: string): Promise<{ Status: string; ExitCode: number }> {
  const [c] = await podmanJson<{ State: { Status: string; ExitCode: number } }[]>([
    "container",
    "inspect",
    container,
  ]);
  if (!c) throw new Error(`podman container inspect ${container} printed nothing`);
  return c.State;
}

/** The kplay table with its 12-character IDs replaced by `<id>`. */
export function maskIds(table: string): string {
  return table.replace(/\b[0-9a-f]{12}\b/g, "<id>");
}
