/** Manifests and measurements for the `play --wait` tests (issue 5's readiness). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { podmanJson, type RunResult, runKplay } from "../support/podman.ts";

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
`;
}

/** Runs kplay and returns its result with how long it took, in milliseconds. */
export async function timedKplay(
  args: readonly string[],
  env?: Record<string, string>,
): Promise<RunResult & { ms: number }> {
  const t0 = performance.now();
  const run = await runKplay(args, env ? { env } : {});
  return { ...run, ms: performance.now() - t0 };
}

/** What Podman says about a pod's published ports: `podman pod inspect`'s PortBindings. */
export async function portBindings(
  pod: string,
): Promise<Record<string, { HostIp: string; HostPort: string }[] | null>> {
  const out = await podmanJson<
    | { InfraConfig?: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> } }[]
    | { InfraConfig?: { PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> } }
  >(["pod", "inspect", pod]);
  const inspected = Array.isArray(out) ? out[0] : out;
  return inspected?.InfraConfig?.PortBindings ?? {};
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
