/**
 * Re-playing converges: an unchanged pod is left alone (no mutating request), a changed
 * app container is replaced inside the running pod (same pod, infra, IP and volumes), and a
 * pod-level change recreates the pod.
 */

import { containerSteps } from "../plan/index.ts";
import {
  kplayContainer,
  LABEL_CONTAINER_HASH,
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_POD_HASH,
} from "../plan/labels.ts";
import type { PodPlan, Step } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  type ContainerListEntry,
  inspectPod,
  listPodContainers,
  type PodInspect,
} from "../podman/objects.ts";
import { removeKplayPod } from "./down.ts";
import { PlayError, PodPlayFailed } from "./errors.ts";
import {
  createPod,
  type ExecuteOptions,
  type PlayedPod,
  runSteps,
  type StepState,
} from "./execute.ts";
import { Journal } from "./journal.ts";
import { refreshProjections } from "./projections.ts";
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
  // New ConfigMap files first: a container replaced next starts with them.
  const refreshed = await refreshProjections(client, plan);
  const updated = await updateContainers(client, plan, existing, current, options);
  if (refreshed.length === 0) return updated;
  const files = `files of ${refreshed.join(", ")} updated in place`;
  return {
    ...updated,
    action: updated.action === "unchanged" ? "updated" : updated.action,
    reason: files,
  };
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
  const state: StepState = { id: "", containers: [], warnings: [] };
  await runSteps(client, plan, options, state, new Journal(), isPreflight);
  await removeKplayPod(client, existing);
  try {
    // The preflight has run (an Always image is pulled once): the transaction does the rest.
    const rest = plan.steps.filter((s) => !isPreflight(s));
    return await createPod(client, { ...plan, steps: rest }, options);
  } catch (e) {
    // Say that the previous pod is gone too: "nothing had been created" would mislead.
    if (!(e instanceof PodPlayFailed)) throw e;
    const previous = `the previous pod "${plan.name}" (removed to recreate it)`;
    throw new PodPlayFailed(e.pod, e.cause, [previous, ...e.rolledBack], e.leftovers, e.kept);
  }
}

function initContainersChanged(plan: PodPlan, current: readonly ContainerListEntry[]): boolean {
  const wanted = containerSteps(plan, true);
  const have = current.filter(
    (c) => kplayContainer(c) !== undefined && c.Labels?.[LABEL_INIT] === "true",
  );
  if (wanted.length !== have.length) return true;
  return wanted.some((w) => {
    const match = have.find((c) => kplayContainer(c) === w.container);
    return match?.Labels?.[LABEL_CONTAINER_HASH] !== plan.containerHashes[w.container];
  });
}

/**
 * What can fail before the old pod is touched: version, host ports, images, image users,
 * host paths (removed again if a later check fails).
 */
function isPreflight(step: Step): boolean {
  return (
    step.action === "require-podman" ||
    step.action === "check-host-ports" ||
    step.action === "ensure-image" ||
    step.action === "check-image-user" ||
    step.action === "prepare-host-path"
  );
}
