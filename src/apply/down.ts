import { LABEL_CLAIM, LABEL_GRACE, LABEL_MANAGED, LABEL_POD } from "../plan/labels.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  containerVolumeNames,
  inspectPod,
  listPodContainers,
  listVolumes,
  type PodInspect,
  removePod,
  removeSharedVolume,
  removeVolume,
  volumeLabels,
} from "../podman/objects.ts";
import { PlayError } from "./errors.ts";
import { beforePodStop } from "./hooks.ts";

export interface DownResult {
  readonly name: string;
  readonly status: "removed" | "not-found";
  /** The emptyDir volumes removed with the pod. */
  readonly volumes: readonly string[];
  /** The claim volumes the pod mounted; they outlive it unless `down --volumes` removes them. */
  readonly claims: readonly ClaimVolume[];
}

/** A Podman volume behind a PersistentVolumeClaim; `created` when kplay made it. */
export interface ClaimVolume {
  readonly name: string;
  readonly created: boolean;
}

/**
 * Stops and removes one pod kplay created, honouring the grace period it was created with
 * (Podman's default when the manifest set none), then the emptyDir volumes that belonged to it.
 * The volumes of its claims stay, as a PersistentVolumeClaim outlives its pods; they are
 * returned so the caller can remove them once every pod is down (`down --volumes`).
 */
export async function downPod(client: PodmanClient, name: string): Promise<DownResult> {
  const pod = await inspectPod(client, name);
  if (!pod) {
    // A down killed after the pod went and before its volumes did: they go now. A volume of
    // a pod kplay is creating right now cannot be one: the endpoint lock keeps plays apart.
    const left = await listVolumes(client, `${LABEL_POD}=${name}`);
    for (const v of left) await removeVolume(client, v);
    return { name, status: "not-found", volumes: left, claims: [] };
  }
  const labels = pod.Labels ?? {};
  if (labels[LABEL_MANAGED] !== "true") {
    throw new PlayError(
      `Pod "${name}" was not created by kplay; kplay leaves it alone (remove it with podman pod rm)`,
    );
  }
  const claims = await podClaims(client, pod.Containers ?? []);
  const volumes = await removeKplayPod(client, pod);
  return { name, status: "removed", volumes, claims };
}

/** The grace period kplay recorded on a pod it created (undefined: Podman's default). */
export function podGrace(pod: Pick<PodInspect, "Labels">): number | undefined {
  const label = pod.Labels?.[LABEL_GRACE];
  const grace = label === undefined ? undefined : Number(label);
  return Number.isFinite(grace) ? grace : undefined;
}

/**
 * Stops and removes a pod kplay created, honouring its grace period, then the emptyDir
 * volumes that belonged to it (claims stay); returns those volumes' names.
 */
export async function removeKplayPod(client: PodmanClient, pod: PodInspect): Promise<string[]> {
  const grace = podGrace(pod);
  // preStop hooks, then app containers before sidecars; a failed hook does not keep the pod.
  const containers = await listPodContainers(client, pod.Id);
  await beforePodStop(client, pod, containers, grace);
  await removePod(client, pod.Name, grace);
  const volumes = await listVolumes(client, `${LABEL_POD}=${pod.Name}`);
  for (const v of volumes) await removeVolume(client, v);
  return volumes;
}

/** The named volumes a pod's containers mount that are not the pod's own emptyDirs. */
async function podClaims(
  client: PodmanClient,
  containers: readonly { Id: string }[],
): Promise<ClaimVolume[]> {
  const names = new Set<string>();
  for (const c of containers)
    for (const v of await containerVolumeNames(client, c.Id)) names.add(v);
  return claimVolumes(client, [...names]);
}

/**
 * The existing volumes among `names` that can stand for claims (not a pod's own emptyDir),
 * and whether kplay created them. `down` also asks about the claims its files name, so
 * `down --volumes` after a plain `down` still finds them.
 */
export async function claimVolumes(
  client: PodmanClient,
  names: readonly string[],
): Promise<ClaimVolume[]> {
  const claims: ClaimVolume[] = [];
  for (const name of [...new Set(names)].sort()) {
    const labels = await volumeLabels(client, name);
    if (labels === undefined || labels[LABEL_POD] !== undefined) continue; // gone, or an emptyDir
    const created = labels[LABEL_MANAGED] === "true" && labels[LABEL_CLAIM] === name;
    claims.push({ name, created });
  }
  return claims;
}

/** What `down --volumes` did with one claim volume. */
export interface ClaimRemoval {
  readonly name: string;
  readonly status: "removed" | "kept";
  readonly reason?: string;
}

/**
 * Removes the volumes kplay created for claims, never forcing: a volume another pod still
 * mounts is kept (Kubernetes likewise keeps a claim in use), as is one kplay did not create.
 */
export async function removeClaims(
  client: PodmanClient,
  claims: readonly ClaimVolume[],
): Promise<ClaimRemoval[]> {
  const out: ClaimRemoval[] = [];
  for (const claim of claims) {
    if (!claim.created) {
      out.push({ name: claim.name, status: "kept", reason: "kplay did not create it" });
    } else if ((await removeSharedVolume(client, claim.name)) === "in-use") {
      out.push({ name: claim.name, status: "kept", reason: "another container still mounts it" });
    } else {
      out.push({ name: claim.name, status: "removed" });
    }
  }
  return out;
}
