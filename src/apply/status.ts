import {
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_PROXY,
  LABEL_READINESS,
  LABEL_SIDECAR,
} from "../plan/labels.ts";
import type { PlannedProbe } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  type ContainerListEntry,
  inspectPod,
  listPodContainers,
  listPods,
  type PodInspect,
} from "../podman/objects.ts";
import { runProbe } from "./probe.ts";

export interface PodStatus {
  readonly name: string;
  readonly id: string;
  /** The object that wants the pod (`deployment/web`), and its namespace. */
  readonly owner: string;
  readonly namespace: string;
  /**
   * Podman's pod status, except for a pod whose app containers all ended: `Completed` when
   * every one exited 0, `Error` otherwise, as kubectl says it (a Job's pods end this way).
   */
  readonly status: string;
  /** App containers running; init and infra containers are not counted, as in kubectl. */
  readonly running: number;
  /** App containers running whose readiness probe (if any) passes right now. */
  readonly ready: number;
  readonly total: number;
  /** Restarts of the app containers, added up. */
  readonly restarts: number;
  readonly ports: readonly string[];
  readonly created: string;
}

/** The pods kplay created, sorted by name, with counts, restarts and published ports. */
export async function listKplayPods(client: PodmanClient): Promise<PodStatus[]> {
  const pods = await listPods(client, `${LABEL_MANAGED}=true`);
  const out = await Promise.all(
    pods.map(async (p) => {
      const [inspected, containers] = await Promise.all([
        inspectPod(client, p.Name).catch(() => undefined),
        listPodContainers(client, p.Id),
      ]);
      const apps = containers.filter(
        (c) =>
          c.Id !== p.InfraId &&
          c.Labels?.[LABEL_INIT] !== "true" &&
          c.Labels?.[LABEL_PROXY] !== "true",
      );
      const restarts = await Promise.all(
        apps.map(async (c) => {
          // One inspect per container only where the list does not say (Podman 4.3).
          if (typeof c.Restarts === "number") return c.Restarts;
          const info = await client.call<{ RestartCount?: number }>({
            method: "GET",
            path: `/containers/${c.Id}/json`,
          });
          return info?.RestartCount ?? 0;
        }),
      );
      const ready = await Promise.all(
        apps.map((c) =>
          c.State === "running" && inspected
            ? isReady(client, inspected, c)
            : Promise.resolve(false),
        ),
      );
      const ports: string[] = [];
      for (const [target, binds] of Object.entries(inspected?.InfraConfig?.PortBindings ?? {})) {
        for (const b of binds ?? [])
          ports.push(`${b.HostIp || "0.0.0.0"}:${b.HostPort}->${target}`);
      }
      // Sidecars stop after the app containers, and do not make a pod's outcome.
      const main = apps.filter((c) => c.Labels?.[LABEL_SIDECAR] !== "true");
      // "stopped" until Podman's cleanup has run (slow on a busy rootless host), then "exited".
      const ended =
        main.length > 0 && main.every((c) => c.State === "exited" || c.State === "stopped");
      const status = ended
        ? main.every((c) => (c.ExitCode ?? 0) === 0)
          ? "Completed"
          : "Error"
        : p.Status;
      return {
        name: p.Name,
        id: p.Id,
        owner: p.Labels?.[LABEL_OWNER] ?? `pod/${p.Name}`,
        namespace: p.Labels?.[LABEL_NAMESPACE] ?? "default",
        status,
        running: apps.filter((c) => c.State === "running").length,
        ready: ready.filter(Boolean).length,
        total: apps.length,
        restarts: restarts.reduce((a, b) => a + b, 0),
        ports: ports.sort(),
        created: p.Created,
      };
    }),
  );
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A running container is ready when it has no readiness probe or the probe passes now. */
async function isReady(
  client: PodmanClient,
  pod: PodInspect,
  c: ContainerListEntry,
): Promise<boolean> {
  const label = c.Labels?.[LABEL_READINESS];
  if (label === undefined) return true;
  let probe: PlannedProbe;
  try {
    probe = JSON.parse(label) as PlannedProbe;
  } catch {
    return false;
  }
  return (await runProbe(client, pod, c.Id, probe)).ok;
}
