/**
 * In-place update of a running pod: each changed app container is replaced on its own,
 * as a small transaction, while the pod, its infra container, IP and volumes stay.
 */

import { containerSteps } from "../plan/index.ts";
import { kplayContainer, LABEL_CONTAINER_HASH, LABEL_INIT } from "../plan/labels.ts";
import type { CreateContainerStep, PodPlan, PostStartStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import {
  type ContainerListEntry,
  type PodInspect,
  removeContainer,
  renameContainer,
  startContainer,
  stopContainer,
} from "../podman/objects.ts";
import { podGrace } from "./down.ts";
import { PlayError, PodPlayFailed } from "./errors.ts";
import {
  type ExecuteOptions,
  explainFailure,
  type PlayedContainer,
  type PlayedPod,
  runPostStart,
  runStep,
  runSteps,
  type StepState,
} from "./execute.ts";
import { runPreStops } from "./hooks.ts";
import { Journal } from "./journal.ts";

/** Suffix of an old container kept aside while its replacement starts. */
const ASIDE = "-kplay-old";

export async function updateContainers(
  client: PodmanClient,
  plan: PodPlan,
  pod: PodInspect,
  current: readonly ContainerListEntry[],
  options: ExecuteOptions,
): Promise<PlayedPod> {
  const startStep = plan.steps.find((s) => s.action === "start-pod");
  const start = startStep !== undefined;
  const apps = containerSteps(plan, false);
  const have = new Map<string, ContainerListEntry>();
  for (const c of current) {
    const name = kplayContainer(c);
    // A container left aside by an interrupted update is not the live one.
    if (c.Names.some((n) => n.endsWith(ASIDE))) continue;
    if (name !== undefined && c.Labels?.[LABEL_INIT] !== "true") have.set(name, c);
  }
  const changed = apps.filter(
    (s) =>
      have.get(s.container)?.Labels?.[LABEL_CONTAINER_HASH] !== plan.containerHashes[s.container],
  );
  const gone = [...have.keys()].filter((n) => !apps.some((s) => s.container === n));
  const grace = podGrace(pod);

  const containers: PlayedContainer[] = [];
  const state: StepState = { id: pod.Id, containers: [], warnings: [] };
  let action: PlayedPod["action"] = "unchanged";
  if (changed.length === 0 && gone.length === 0) {
    // Start a pod that was never started, or one that stopped though its containers should
    // always run; a pod whose containers ran to completion stays so, as in Kubernetes.
    const restartsAlways = apps.some(
      (s) => (s.request.body as { restart_policy?: string }).restart_policy === "always",
    );
    if (startStep && (pod.State === "Created" || (pod.State !== "Running" && restartsAlways))) {
      // The plan's own step: it also fails on the Errs Podman reports with a 200.
      await runStep(client, startStep, new Journal(), state, options);
      action = "started";
    }
  } else {
    action = "updated";
    // Images and host paths first: nothing is touched if an image is missing.
    const touches = (c: string) => changed.some((s) => s.container === c);
    const journal = new Journal();
    await runSteps(
      client,
      plan,
      options,
      state,
      journal,
      (step) =>
        step.action === "require-podman" ||
        (step.action === "ensure-image" && step.containers.some(touches)) ||
        (step.action === "check-image-user" && touches(step.container)) ||
        step.action === "prepare-host-path" ||
        step.action === "prepare-volumes",
    );
    for (const step of changed) {
      // Containers already replaced stay so (each is its own transaction); no more are started.
      if (options.signal?.aborted)
        throw new PodPlayFailed(plan.name, new PlayError("Interrupted"), [], [], false);
      const old = have.get(step.container);
      let id: string;
      try {
        const postStart = plan.steps.find(
          (s): s is PostStartStep => s.action === "post-start" && s.container === step.container,
        );
        id = await replaceContainer(
          client,
          pod,
          step,
          old,
          grace,
          start,
          options,
          state,
          postStart,
        );
      } catch (e) {
        // Host paths this run created go again, unless a replaced container now uses them.
        if (!(e instanceof PodPlayFailed) || containers.length > 0) throw e;
        const undone = await journal.rollback(client, options.hostFs);
        throw new PodPlayFailed(
          e.pod,
          e.cause,
          [...e.rolledBack, ...undone.removed],
          [...e.leftovers, ...undone.leftovers],
          e.kept,
        );
      }
      containers.push({
        container: step.container,
        name: step.name,
        id,
        init: false,
        action: old ? "updated" : "created",
      });
    }
    for (const name of gone) {
      const old = have.get(name);
      if (!old) continue;
      await stopContainer(client, old.Names[0] ?? old.Id, grace);
      await removeContainer(client, old.Id);
      containers.push({
        container: name,
        name: old.Names[0] ?? name,
        id: old.Id,
        init: false,
        action: "removed",
      });
    }
  }
  // A container created but never started (a play killed between the two): start it now,
  // in the plan's order, unless the pod start above already did.
  if (start && action !== "started") {
    const touched = new Set(containers.map((c) => c.container));
    for (const step of apps) {
      const c = have.get(step.container);
      if (!c || touched.has(step.container) || c.State !== "created") continue;
      await client.call(
        { method: "POST", path: `/containers/${encodeURIComponent(c.Id)}/start` },
        { ok: [304] },
      );
      if (action === "unchanged") action = "started";
    }
  }
  // Containers left aside by an update that was killed: their replacements run now.
  for (const c of current)
    if (c.Names.some((n) => n.endsWith(ASIDE))) await removeContainer(client, c.Id);
  // Everything not touched is reported as unchanged, init containers included.
  const all = containerSteps(plan);
  for (const step of all) {
    if (containers.some((c) => c.container === step.container)) continue;
    const c = current.find((x) => kplayContainer(x) === step.container);
    if (c)
      containers.push({
        container: step.container,
        name: step.name,
        id: c.Id,
        init: step.init,
        action: "unchanged",
      });
  }
  return {
    name: plan.name,
    id: pod.Id,
    action,
    ...(pod.InfraContainerID ? { infraId: pod.InfraContainerID } : {}),
    containers: orderLike(all, containers),
    warnings: state.warnings,
  };
}

/**
 * Replaces one container: the old one is stopped and renamed aside (ports and names are
 * shared, so both cannot run), the new one created and started; only then is the old one
 * removed. If the new one fails, it is removed and the old one renamed back and restarted.
 */
async function replaceContainer(
  client: PodmanClient,
  inspected: PodInspect,
  step: CreateContainerStep,
  old: ContainerListEntry | undefined,
  grace: number | undefined,
  start: boolean,
  options: ExecuteOptions,
  outer: StepState,
  postStart: PostStartStep | undefined,
): Promise<string> {
  const pod = inspected.Name;
  const wasRunning = old?.State === "running";
  if (old) {
    // The old container's preStop hook runs before it is stopped; its failure is a warning.
    outer.warnings.push(...(await runPreStops(client, inspected, [old], grace)));
    try {
      // One left by an earlier run whose restore failed would block the rename.
      await removeContainer(client, step.name + ASIDE);
      await stopContainer(client, step.name, grace);
      await renameContainer(client, step.name, step.name + ASIDE);
    } catch (cause) {
      if (wasRunning) await startContainer(client, step.name).catch(() => {});
      throw new PodPlayFailed(pod, cause, [], [], false);
    }
  }
  const journal = new Journal();
  const state: StepState = { id: "", containers: [], warnings: [] };
  try {
    await runStep(client, step, journal, state, options);
    if (options.signal?.aborted) throw new PlayError("Interrupted");
    if (start) await startContainer(client, step.name);
    if (start && postStart) {
      const warning = await runPostStart(client, postStart, options.signal);
      if (warning) outer.warnings.push(warning);
    }
    if (options.signal?.aborted) throw new PlayError("Interrupted");
  } catch (cause) {
    const detailed = await explainFailure(client, cause, state.containers);
    const { removed, leftovers } = await journal.rollback(client, options.hostFs);
    if (old) {
      try {
        await renameContainer(client, step.name + ASIDE, step.name);
        if (wasRunning) await startContainer(client, step.name);
        removed.push(`(restored the previous ${step.name})`);
      } catch (e) {
        leftovers.push({
          kind: "container",
          name: step.name + ASIDE,
          error: `could not restore it: ${String(e)}`,
        });
      }
    }
    throw new PodPlayFailed(pod, detailed, removed, leftovers, false);
  }
  // The new container runs: failing to remove the old one is worth a warning, not a failure.
  if (old) {
    await removeContainer(client, old.Id).catch((e: unknown) => {
      outer.warnings.push(
        `${step.name}${ASIDE}: could not remove the replaced container: ${String(e)}`,
      );
    });
  }
  return state.containers[0]?.id ?? "";
}

function orderLike(
  steps: readonly CreateContainerStep[],
  played: PlayedContainer[],
): PlayedContainer[] {
  const rank = (c: PlayedContainer) => {
    const i = steps.findIndex((s) => s.container === c.container);
    return i < 0 ? steps.length : i;
  };
  return [...played].sort((a, b) => rank(a) - rank(b));
}
