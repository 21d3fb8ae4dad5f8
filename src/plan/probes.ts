/**
 * Probes: every probe is recorded in the plan with Kubernetes' defaults (for the lifecycle
 * work); an `exec` liveness probe also becomes Podman's healthcheck, with the same timings.
 */
import type { Container, Probe, RestartPolicy } from "../manifest/model.ts";
import type { HookHandler, PlannedProbe, ProbeHandler } from "./types.ts";

const SECOND_NS = 1_000_000_000;
/**
 * The longest start period libpod's int64 nanoseconds hold, in whole seconds (292 years):
 * a startup window of int32 periods times an int32 threshold would overflow it.
 */
const MAX_SECONDS = 9_223_372_036;
/** libpod's HealthCheckOnFailureAction is an integer in JSON: 2 kill, 3 restart. */
const ON_FAILURE_KILL = 2;
const ON_FAILURE_RESTART = 3;

/**
 * A probe's handler with named ports resolved. A name the container does not declare is
 * valid Kubernetes: it stays a string, and the probe fails when it runs, as the kubelet's does.
 */
export function probeHandler(c: Container, p: Probe): ProbeHandler | undefined {
  const port = (value: number | string): number | string => {
    if (typeof value === "number") return value;
    return c.ports?.find((cp) => cp.name === value)?.containerPort ?? value;
  };
  if (p.exec) return { exec: { command: p.exec.command } };
  if (p.httpGet) {
    const headers = (p.httpGet.httpHeaders ?? []).map(({ name, value }) => ({ name, value }));
    // An empty host means the pod's own address, as in Kubernetes.
    const httpGet = {
      scheme: p.httpGet.scheme ?? "HTTP",
      host: p.httpGet.host ?? "",
      port: port(p.httpGet.port),
      path: p.httpGet.path || "/",
      headers,
    };
    return { httpGet };
  }
  if (p.tcpSocket)
    return { tcpSocket: { host: p.tcpSocket.host ?? "", port: port(p.tcpSocket.port) } };
  if (p.grpc) return { grpc: { port: p.grpc.port, service: p.grpc.service ?? "" } };
  return undefined;
}

/**
 * The container's probes with Kubernetes' defaults (period 10 s, timeout 1 s, success 1,
 * failures 3). The API server defaults a 0 as it defaults an absent value.
 */
export function plannedProbes(c: Container): PlannedProbe[] {
  const out: PlannedProbe[] = [];
  for (const [kind, p] of [
    ["startup", c.startupProbe],
    ["liveness", c.livenessProbe],
    ["readiness", c.readinessProbe],
  ] as const) {
    if (!p) continue;
    const handler = probeHandler(c, p);
    if (!handler) continue; // validation requires one
    out.push({
      kind,
      handler,
      initialDelaySeconds: p.initialDelaySeconds ?? 0,
      periodSeconds: p.periodSeconds || 10,
      timeoutSeconds: p.timeoutSeconds || 1,
      successThreshold: p.successThreshold || 1,
      failureThreshold: p.failureThreshold || 3,
      healthcheck: kind === "liveness" && "exec" in handler,
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
      StartPeriod:
        Math.min(Math.max(live.initialDelaySeconds, startWindow), MAX_SECONDS) * SECOND_NS,
    },
    // A failed liveness probe kills the container; the restart policy then decides, so
    // `Never` must not restart it.
    health_check_on_failure_action: restart === "Never" ? ON_FAILURE_KILL : ON_FAILURE_RESTART,
  };
}

/**
 * The container port a network probe (httpGet, tcpSocket, grpc) targets: a number, or the
 * name of a port the container does not declare; undefined for exec.
 */
export function probePort(h: ProbeHandler): number | string | undefined {
  if ("httpGet" in h) return h.httpGet.port;
  if ("tcpSocket" in h) return h.tcpSocket.port;
  if ("grpc" in h) return h.grpc.port;
  return undefined;
}

/**
 * A lifecycle hook's handler with named ports resolved; undefined for none and for tcpSocket,
 * which the API accepts for old clients and the kubelet does not run (nor does kplay).
 */
export function hookHandler(c: Container, hook: unknown): HookHandler | undefined {
  if (hook === null || typeof hook !== "object") return undefined;
  const h = hook as Probe & { sleep?: { seconds: number } };
  if (h.sleep) return { sleep: { seconds: h.sleep.seconds } };
  const handler = probeHandler(c, h);
  if (handler && ("exec" in handler || "httpGet" in handler)) return handler;
  return undefined;
}
