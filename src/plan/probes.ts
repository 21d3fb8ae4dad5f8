/**
 * Probes: every probe is recorded in the plan with Kubernetes' defaults (for the lifecycle
 * work); an `exec` liveness probe also becomes Podman's healthcheck, with the same timings.
 */
import type { Container, Probe, RestartPolicy } from "../manifest/model.ts";
import type { PlannedProbe, ProbeHandler } from "./types.ts";

const SECOND_NS = 1_000_000_000;
/** libpod's HealthCheckOnFailureAction is an integer in JSON: 2 kill, 3 restart. */
const ON_FAILURE_KILL = 2;
const ON_FAILURE_RESTART = 3;

/** A probe's handler with named ports resolved, or a problem for checks.ts. */
export function probeHandler(
  c: Container,
  p: Probe,
): { handler: ProbeHandler } | { problem: string } | undefined {
  const port = (value: number | string): number | string => {
    if (typeof value === "number") return value;
    const named = c.ports?.find((cp) => cp.name === value);
    return named ? named.containerPort : `port name "${value}" is not one of the container's ports`;
  };
  if (p.exec) return { handler: { exec: { command: p.exec.command } } };
  if (p.httpGet) {
    const resolved = port(p.httpGet.port);
    if (typeof resolved === "string") return { problem: resolved };
    const headers = (p.httpGet.httpHeaders ?? []).map(({ name, value }) => ({ name, value }));
    // An empty host means the pod's own address, as in Kubernetes.
    const httpGet = {
      scheme: p.httpGet.scheme ?? "HTTP",
      host: p.httpGet.host ?? "",
      port: resolved,
      path: p.httpGet.path ?? "/",
      headers,
    };
    return { handler: { httpGet } };
  }
  if (p.tcpSocket) {
    const resolved = port(p.tcpSocket.port);
    if (typeof resolved === "string") return { problem: resolved };
    return { handler: { tcpSocket: { host: p.tcpSocket.host ?? "", port: resolved } } };
  }
  if (p.grpc) return { handler: { grpc: { port: p.grpc.port, service: p.grpc.service ?? "" } } };
  return undefined;
}

/** The container's probes with Kubernetes' defaults (period 10 s, timeout 1 s, failures 3). */
export function plannedProbes(c: Container): PlannedProbe[] {
  const out: PlannedProbe[] = [];
  for (const [kind, p] of [
    ["startup", c.startupProbe],
    ["liveness", c.livenessProbe],
    ["readiness", c.readinessProbe],
  ] as const) {
    if (!p) continue;
    const h = probeHandler(c, p);
    if (!h || "problem" in h) continue; // reported by checks.ts
    out.push({
      kind,
      handler: h.handler,
      initialDelaySeconds: p.initialDelaySeconds ?? 0,
      periodSeconds: p.periodSeconds ?? 10,
      timeoutSeconds: p.timeoutSeconds ?? 1,
      successThreshold: p.successThreshold ?? 1,
      failureThreshold: p.failureThreshold ?? 3,
      healthcheck: kind === "liveness" && "exec" in h.handler,
    });
  }
  return out;
}

/**
 * libpod's healthcheck fields for an exec liveness probe. The command runs as written (`CMD`,
 * no shell), like Kubernetes' exec. Podman 4.3 has no startup healthcheck, so a startup probe
 * extends the start period by the longest time it may take to succeed
 * (initialDelay + period x failureThreshold): liveness failures do not count before then,
 * as Kubernetes runs no liveness probe before the startup probe succeeds.
 */
export function healthcheckFields(
  probes: readonly PlannedProbe[],
  restart: RestartPolicy,
): Record<string, unknown> {
  const live = probes.find((p) => p.healthcheck);
  if (!live || !("exec" in live.handler)) return {};
  const startup = probes.find((p) => p.kind === "startup");
  const startWindow = startup
    ? startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold
    : 0;
  return {
    healthconfig: {
      Test: ["CMD", ...live.handler.exec.command],
      Interval: live.periodSeconds * SECOND_NS,
      Timeout: live.timeoutSeconds * SECOND_NS,
      Retries: live.failureThreshold,
      StartPeriod: Math.max(live.initialDelaySeconds, startWindow) * SECOND_NS,
    },
    // A failed liveness probe kills the container; the restart policy then decides, so
    // `Never` must not restart it.
    health_check_on_failure_action: restart === "Never" ? ON_FAILURE_KILL : ON_FAILURE_RESTART,
  };
}

/** The container port a network probe (httpGet, tcpSocket, grpc) targets; undefined for exec. */
export function probePort(h: ProbeHandler): number | undefined {
  if ("httpGet" in h) return h.httpGet.port;
  if ("tcpSocket" in h) return h.tcpSocket.port;
  if ("grpc" in h) return h.grpc.port;
  return undefined;
}
