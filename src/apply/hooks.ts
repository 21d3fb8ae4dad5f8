/**
 * Lifecycle hooks, run by kplay as the kubelet runs them: postStart once a container has
 * started (a failure fails the pod's play, as the kubelet kills the container), preStop
 * before kplay stops a container (a failure is a warning: the container is stopped anyway).
 * exec runs through libpod's exec API, httpGet goes to the hostPort the port is published
 * on (as probes do), sleep waits. Each is bounded: postStart by POST_START_MS, preStop by the
 * pod's grace period.
 */
import { LABEL_PRESTOP, LABEL_SIDECAR } from "../plan/labels.ts";
import type { HookHandler, PlannedProbe } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { type ContainerListEntry, type PodInspect, stopContainer } from "../podman/objects.ts";
import { type ProbeResult, runProbe } from "./probe.ts";

/** The kubelet gives postStart no bound; kplay gives it two minutes. */
export const POST_START_MS = 120_000;
/** The grace period Kubernetes uses when a pod names none. */
const DEFAULT_GRACE_SECONDS = 30;

/** Runs a hook once, within `timeoutMs`. */
export async function runHook(
  client: PodmanClient,
  pod: PodInspect,
  container: string,
  handler: HookHandler,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  if ("sleep" in handler) {
    await sleep(Math.min(handler.sleep.seconds * 1000, timeoutMs), signal);
    return { ok: true };
  }
  const probe: PlannedProbe = {
    kind: "liveness",
    handler,
    initialDelaySeconds: 0,
    periodSeconds: 1,
    timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)),
    successThreshold: 1,
    failureThreshold: 1,
    healthcheck: false,
  };
  return runProbe(client, pod, container, probe);
}

/** The preStop hook a container was created with (its label), if any. */
export function preStopOf(c: ContainerListEntry): HookHandler | undefined {
  const label = c.Labels?.[LABEL_PRESTOP];
  if (label === undefined) return undefined;
  try {
    return JSON.parse(label) as HookHandler;
  } catch {
    return undefined;
  }
}

/**
 * Before a pod is stopped: the preStop hooks of its running containers, together, within the
 * grace period; then, when it has sidecars, its app containers are stopped first, so the
 * sidecars stop after them. Returns the hooks' failures as warnings.
 */
export async function beforePodStop(
  client: PodmanClient,
  pod: PodInspect,
  containers: readonly ContainerListEntry[],
  graceSeconds: number | undefined,
): Promise<string[]> {
  const running = containers.filter((c) => c.State === "running");
  const warnings = await runPreStops(client, pod, running, graceSeconds);
  if (running.some((c) => c.Labels?.[LABEL_SIDECAR] === "true")) {
    const apps = running.filter(
      (c) => c.Id !== pod.InfraContainerID && c.Labels?.[LABEL_SIDECAR] !== "true",
    );
    await Promise.all(apps.map((c) => stopContainer(client, c.Id, graceSeconds)));
  }
  return warnings;
}

/** Runs the preStop hooks of `containers` together, within the grace period. */
export async function runPreStops(
  client: PodmanClient,
  pod: PodInspect,
  containers: readonly ContainerListEntry[],
  graceSeconds: number | undefined,
): Promise<string[]> {
  const timeoutMs = (graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  if (timeoutMs <= 0) return [];
  const results = await Promise.all(
    containers.map(async (c) => {
      const hook = preStopOf(c);
      if (!hook || c.State !== "running") return undefined;
      const r = await runHook(client, pod, c.Id, hook, timeoutMs);
      return r.ok ? undefined : `${c.Names[0] ?? c.Id}: the preStop hook failed: ${r.reason}`;
    }),
  );
  return results.filter((w): w is string => w !== undefined);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
