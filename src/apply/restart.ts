/**
 * `kplay restart`: a pod's containers restarted in place (the pod, its infra container, IP
 * and volumes kept), and a workload's pods restarted so, one at a time, each running and
 * ready before the next, as a rolling restart keeps all but one pod serving.
 *
 * Why in place for workloads too: a cluster's `kubectl rollout restart` stamps the template
 * (`kubectl.kubernetes.io/restartedAt`) and the controller replaces every pod. kplay has no
 * API server holding the template: the pods' specs live in the user's files, and Podman's
 * labels cannot be changed on a pod that exists, so a pod can neither be recreated nor
 * stamped without the file. What a restart is wanted for (fresh processes, one pod at a time,
 * no downtime beyond one replica) holds in place; each container's StartedAt records it.
 */
import { LABEL_INIT, LABEL_MANAGED, LABEL_READINESS, LABEL_SIDECAR } from "../plan/labels.ts";
import type { PlannedProbe } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  type ContainerListEntry,
  inspectPod,
  listPodContainers,
  type PodInspect,
  startContainer,
  stopContainer,
} from "../podman/objects.ts";
import { podGrace } from "./down.ts";
import { PlayError } from "./errors.ts";
import { beforePodStop } from "./hooks.ts";
import { runProbe } from "./probe.ts";

/** What restarting one pod did. */
export interface RestartedPod {
  readonly name: string;
  /** The containers restarted, by their Podman names. */
  readonly containers: readonly string[];
  /** preStop hooks that failed (the containers were restarted anyway). */
  readonly warnings: readonly string[];
}

interface ContainerState {
  State: { Running: boolean; Status: string; ExitCode: number; StartedAt?: string };
  HostConfig?: { RestartPolicy?: { Name?: string } };
}

const POLL_MS = 200;

/**
 * Restarts the app containers and sidecars of a pod kplay made: preStop hooks, app
 * containers stopped before sidecars within the pod's grace period, sidecars started before
 * app containers; then waits until every one runs again and its readiness probe passes, or
 * `deadline` (epoch ms) passes (PlayError). Init containers do not run again, as on a node.
 */
export async function restartPod(
  client: PodmanClient,
  name: string,
  deadline: number,
  signal?: AbortSignal,
): Promise<RestartedPod> {
  const pod = await inspectPod(client, name);
  if (!pod) throw new PlayError(`Pod "${name}" not found`);
  if (pod.Labels?.[LABEL_MANAGED] !== "true")
    throw new PlayError(
      `Pod "${name}" was not created by kplay; kplay leaves it alone (podman pod restart restarts it)`,
    );
  const all = await listPodContainers(client, pod.Id);
  const sidecar = (c: ContainerListEntry) => c.Labels?.[LABEL_SIDECAR] === "true";
  const members = all.filter(
    (c) => c.Id !== pod.InfraContainerID && (c.Labels?.[LABEL_INIT] !== "true" || sidecar(c)),
  );
  if (members.length === 0) throw new PlayError(`Pod "${name}" has no containers to restart`);
  const grace = podGrace(pod);
  const before = new Map(
    await Promise.all(members.map(async (c) => [c.Id, await startedAt(client, c.Id)] as const)),
  );
  const warnings = await beforePodStop(client, pod, members, grace);
  const apps = members.filter((c) => !sidecar(c));
  const sidecars = members.filter(sidecar);
  await Promise.all(apps.map((c) => stopContainer(client, c.Id, grace)));
  await Promise.all(sidecars.map((c) => stopContainer(client, c.Id, grace)));
  for (const c of [...sidecars, ...apps]) await startContainer(client, c.Id);
  const pending = await Promise.all(
    members.map((c) => waitRestarted(client, pod, c, before.get(c.Id), deadline, signal)),
  );
  const notReady = pending.flatMap((reason, i) =>
    reason === undefined ? [] : [`  ${members[i]?.Names[0] ?? ""}: ${reason}`],
  );
  if (notReady.length > 0)
    throw new PlayError(`Pod "${name}" was restarted but is not ready:\n${notReady.join("\n")}`);
  return { name, containers: members.map((c) => c.Names[0] ?? c.Id), warnings };
}

async function startedAt(client: PodmanClient, id: string): Promise<string | undefined> {
  return (await inspectContainer(client, id)).State.StartedAt;
}

function inspectContainer(client: PodmanClient, id: string): Promise<ContainerState> {
  return client.call<ContainerState>({
    method: "GET",
    path: `/containers/${encodeURIComponent(id)}/json`,
  });
}

/**
 * Waits until the container runs a new run (its StartedAt moved) and its readiness probe,
 * if it has one, passes; a container that ran to completion and is not restarted by its
 * policy counts as done. Returns why not at the deadline, undefined when done.
 */
async function waitRestarted(
  client: PodmanClient,
  pod: PodInspect,
  c: ContainerListEntry,
  before: string | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const probe = readinessOf(c);
  let reason = "not started yet";
  while (Date.now() < deadline) {
    if (signal?.aborted) return "interrupted";
    const info = await inspectContainer(client, c.Id);
    const fresh = info.State.StartedAt !== before;
    const policy = info.HostConfig?.RestartPolicy?.Name ?? "";
    if (fresh && !info.State.Running && info.State.ExitCode === 0 && policy !== "always")
      return undefined;
    if (fresh && info.State.Running) {
      if (!probe) return undefined;
      const r = await runProbe(client, pod, c.Id, probe);
      if (r.ok) return undefined;
      reason = `readiness probe failing: ${r.reason}`;
    } else if (fresh) {
      reason = `${info.State.Status}, exit code ${info.State.ExitCode}`;
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
  return reason;
}

function readinessOf(c: ContainerListEntry): PlannedProbe | undefined {
  const label = c.Labels?.[LABEL_READINESS];
  if (label === undefined) return undefined;
  try {
    return JSON.parse(label) as PlannedProbe;
  } catch {
    return undefined;
  }
}
