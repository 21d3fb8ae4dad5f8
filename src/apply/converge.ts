/**
 * Re-playing converges: an unchanged pod is left alone (no mutating request), a changed
 * app container is replaced inside the running pod (same pod, infra, IP and volumes), and a
 * pod-level change recreates the pod.
 */

import {
  LABEL_CONTAINER,
  LABEL_CONTAINER_HASH,
  LABEL_GRACE,
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_POD,
  LABEL_POD_HASH,
} from "../plan/labels.ts";
import type { CreateContainerStep, PodPlan } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  type ContainerListEntry,
  inspectPod,
  listPodContainers,
  listVolumes,
  type PodInspect,
  removePod,
  removeVolume,
} from "../podman/objects.ts";
import { PlayError, PodPlayFailed } from "./errors.ts";
import {
  createPod,
  type ExecuteOptions,
  type PlayedPod,
  runStep,
  type StepState,
} from "./execute.ts";
import { Journal } from "./journal.ts";
import { updateContainers } from "./update.ts";

/** Plays one pod: create it, leave it, update containers in place, or recreate it. */
export async function playPod(
  client: PodmanClient,
  plan: PodPlan,
  options: ExecuteOptions,
): Promise<PlayedPod> {
  const existing = await inspectPod(client, plan.name);
  if (!existing) return createPod(client, plan, options);
  const labels = existing.Labels ?? {};
  if (labels[LABEL_MANAGED] !== "true" && !options.replace) {
    throw new PlayError(
      `Pod "${plan.name}" exists and was not created by kplay; use --replace to remove it and play it again`,
    );
  }
  const current = await listPodContainers(client, existing.Id);
  const reason = options.replace
    ? "--replace"
    : labels[LABEL_POD_HASH] !== plan.podHash
      ? "pod-level settings changed"
      : initContainersChanged(plan, current)
        ? "init containers changed"
        : undefined;
  if (reason)
    return { ...(await recreate(client, plan, existing, options)), action: "recreated", reason };
  return updateContainers(client, plan, existing, current, options);
}

async function recreate(
  client: PodmanClient,
  plan: PodPlan,
  existing: PodInspect,
  options: ExecuteOptions,
): Promise<PlayedPod> {
  // The old pod cannot be kept aside (same name, same ports), so everything that can fail
  // without creating anything runs first: a missing image or a refused image user must not
  // cost the user the pod they had.
  await runPreflight(client, plan, options);
  const grace = existing.Labels?.[LABEL_GRACE];
  await removePod(client, plan.name, grace === undefined ? undefined : Number(grace));
  for (const v of await listVolumes(client, `${LABEL_POD}=${plan.name}`))
    await removeVolume(client, v);
  return createPod(client, plan, options);
}

/** The kplay container name label of a listed container, if kplay made it. */
export function kplayContainer(c: ContainerListEntry): string | undefined {
  return c.Labels?.[LABEL_CONTAINER];
}

function initContainersChanged(plan: PodPlan, current: readonly ContainerListEntry[]): boolean {
  const wanted = plan.steps.filter(
    (s): s is CreateContainerStep => s.action === "create-container" && s.init,
  );
  const have = current.filter(
    (c) => kplayContainer(c) !== undefined && c.Labels?.[LABEL_INIT] === "true",
  );
  if (wanted.length !== have.length) return true;
  return wanted.some((w) => {
    const match = have.find((c) => kplayContainer(c) === w.container);
    return match?.Labels?.[LABEL_CONTAINER_HASH] !== plan.containerHashes[w.container];
  });
}

/** Runs the plan's checks that create nothing in Podman (images, image users, versions). */
async function runPreflight(
  client: PodmanClient,
  plan: PodPlan,
  options: ExecuteOptions,
): Promise<void> {
  const journal = new Journal();
  const state: StepState = { id: "", containers: [], warnings: [] };
  try {
    for (const step of plan.steps) {
      if (
        step.action === "require-podman" ||
        step.action === "ensure-image" ||
        step.action === "check-image-user"
      ) {
        await runStep(client, step, journal, state, options);
      }
    }
  } catch (cause) {
    throw new PodPlayFailed(plan.name, cause, [], [], false);
  }
}
