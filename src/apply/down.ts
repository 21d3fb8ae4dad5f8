import { LABEL_GRACE, LABEL_MANAGED, LABEL_POD } from "../plan/labels.ts";
import type { PodmanClient } from "../podman/client.ts";
import { inspectPod, listVolumes, removePod, removeVolume } from "../podman/objects.ts";
import { PlayError } from "./errors.ts";

export interface DownResult {
  readonly name: string;
  readonly status: "removed" | "not-found";
  readonly volumes: readonly string[];
}

/**
 * Stops and removes one pod kplay created, honouring the grace period it was created with
 * (Podman's default when the manifest set none), then the emptyDir volumes that belonged to it.
 */
export async function downPod(client: PodmanClient, name: string): Promise<DownResult> {
  const pod = await inspectPod(client, name);
  if (!pod) return { name, status: "not-found", volumes: [] };
  const labels = pod.Labels ?? {};
  if (labels[LABEL_MANAGED] !== "true") {
    throw new PlayError(
      `Pod "${name}" was not created by kplay; kplay leaves it alone (remove it with podman pod rm)`,
    );
  }
  const grace = labels[LABEL_GRACE] === undefined ? undefined : Number(labels[LABEL_GRACE]);
  await removePod(client, name, Number.isFinite(grace) ? grace : undefined);
  const volumes = await listVolumes(client, `${LABEL_POD}=${name}`);
  for (const v of volumes) await removeVolume(client, v);
  return { name, status: "removed", volumes };
}
