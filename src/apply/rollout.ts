/**
 * Brings one object's pods to what its plan declares, as its controller would on a cluster:
 * a standalone Pod converges in place; replicas (Deployment, ReplicaSet, ReplicationController,
 * DaemonSet) are scaled by the difference and, when the template changed, replaced as the
 * strategy says (Recreate, or RollingUpdate within maxSurge and maxUnavailable, each new pod
 * ready before an old one goes); a StatefulSet's ordinals are created in order and removed
 * and updated in reverse; a Job starts its first pods once. Existing pods are matched by name
 * (names carry the template hash), so an unchanged object sends no mutating request.
 */

import { LABEL_SLOT, LABEL_TEMPLATE } from "../plan/labels.ts";
import type { ObjectPlan, PodPlan, Rollout } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import type { PodListEntry } from "../podman/objects.ts";
import { mapSettled } from "./concurrency.ts";
import { playPod } from "./converge.ts";
import { downPod } from "./down.ts";
import { PlayError, PodPlayFailed } from "./errors.ts";
import type { ExecuteOptions, PlayedPod } from "./execute.ts";
import { waitForPod } from "./wait.ts";

/** What happened to an object as a whole. */
export type ObjectAction =
  | "created"
  | "unchanged"
  | "updated"
  | "scaled"
  | "recreated"
  | "scheduled";

/** The outcome of one object's rollout. */
export interface ObjectResult {
  readonly object: string;
  readonly action: ObjectAction;
  readonly pods: readonly PlayedPod[];
  /** Pods removed: scaled away or replaced by a new template. */
  readonly removed: readonly string[];
  readonly note?: string;
}

/** What a rollout needs besides the executor's options. */
export interface RolloutOptions extends ExecuteOptions {
  /** Pods at once within one object (replicas, a Job's wave). */
  readonly concurrency: number;
}

/** Rolls one object out against the pods of it that exist (`existing`, from one listing). */
export async function rollOut(
  client: PodmanClient,
  plan: ObjectPlan,
  existing: readonly PodListEntry[],
  options: RolloutOptions,
): Promise<ObjectResult> {
  const r = plan.rollout;
  switch (r.kind) {
    case "pod": {
      const pods = await Promise.all(plan.pods.map((p) => playPod(client, p, options)));
      return { object: plan.object, action: summarise(pods), pods, removed: [] };
    }
    case "replicas":
      return rollReplicas(client, plan, r, existing, options);
    case "ordered":
      return rollOrdered(client, plan, r, existing, options);
    case "job":
      return startJob(client, plan, existing, options);
    case "cron":
      return {
        object: plan.object,
        action: "scheduled",
        pods: [],
        removed: [],
        note: `runs on its schedule (${r.schedule}) under kplay up`,
      };
  }
}

/** The action of an object from its pods' actions. */
function summarise(pods: readonly PlayedPod[], removed = 0): ObjectAction {
  if (pods.length > 0 && pods.every((p) => p.action === "created")) return "created";
  if (pods.every((p) => p.action === "unchanged") && removed === 0) return "unchanged";
  return "updated";
}

function slotOf(p: PodListEntry): number {
  return Number(p.Labels?.[LABEL_SLOT] ?? 0);
}

async function rollReplicas(
  client: PodmanClient,
  plan: ObjectPlan,
  r: Extract<Rollout, { kind: "replicas" }>,
  existing: readonly PodListEntry[],
  options: RolloutOptions,
): Promise<ObjectResult> {
  const wanted = new Map(plan.pods.map((p) => [p.name, p]));
  const hash = plan.pods[0]?.templateHash;
  const keep = existing.filter((e) => wanted.has(e.Name));
  const extra = existing.filter((e) => !wanted.has(e.Name));
  const old = extra.filter((e) => e.Labels?.[LABEL_TEMPLATE] !== hash);
  const excess = extra.filter((e) => e.Labels?.[LABEL_TEMPLATE] === hash);
  const created = new Set<string>();
  const played: PlayedPod[] = [];
  const removed: string[] = [];
  const remove = async (names: readonly string[]) => {
    const results = await mapSettled(names, options.concurrency, (n) => downPod(client, n));
    for (const [i, res] of results.entries()) {
      if (res.status === "rejected") throw res.reason;
      removed.push(names[i] ?? "");
    }
  };
  const create = async (plans: readonly PodPlan[], ready: boolean) => {
    const results = await mapSettled(plans, options.concurrency, async (p) => {
      const pod = await playPod(client, p, options);
      created.add(p.name);
      if (ready) await waitReady(client, p, r.progressDeadlineSeconds, options);
      return pod;
    });
    for (const res of results) {
      if (res.status === "rejected") throw res.reason;
      played.push(res.value);
    }
  };
  try {
    // What exists with the current template converges in place; scaled-away pods go first,
    // highest slot first, as a controller removes them.
    const kept = await mapSettled(keep, options.concurrency, (e) =>
      playPod(client, wanted.get(e.Name) as PodPlan, options),
    );
    for (const res of kept) {
      if (res.status === "rejected") throw res.reason;
      played.push(res.value);
    }
    await remove([...excess].sort((a, b) => slotOf(b) - slotOf(a)).map((e) => e.Name));
    const missing = plan.pods.filter((p) => !existing.some((e) => e.Name === p.name));
    const frozen = r.strategy === "OnDelete" || r.paused;
    if (old.length === 0) {
      await create(missing, false);
    } else if (frozen) {
      // Old pods keep their slots until deleted by hand; only uncovered slots get new pods.
      const covered = new Set(old.map(slotOf));
      await create(
        missing.filter((p) => !covered.has(p.slot)),
        false,
      );
      await remove(old.filter((e) => slotOf(e) >= plan.pods.length).map((e) => e.Name));
    } else if (r.strategy === "Recreate") {
      await remove(old.map((e) => e.Name));
      await create(missing, false);
    } else {
      await rollingUpdate(r, plan.pods.length, missing, old, create, remove);
    }
  } catch (cause) {
    // The pods this play made for the object go again; the object stays as it was before
    // the failure (what was replaced cannot come back: Podman has no way to keep it aside).
    const undo = [...created];
    await mapSettled(undo, options.concurrency, (n) => downPod(client, n));
    throw new PodPlayFailed(
      plan.object,
      cause instanceof PodPlayFailed ? cause.cause : cause,
      [...(cause instanceof PodPlayFailed ? cause.rolledBack : []), ...undo.map((n) => `pod ${n}`)],
      cause instanceof PodPlayFailed ? cause.leftovers : [],
      false,
    );
  }
  const action: ObjectAction =
    old.length > 0
      ? "updated"
      : excess.length > 0 || (missing(plan, existing) && keep.length > 0)
        ? "scaled"
        : summarise(played);
  return { object: plan.object, action, pods: played, removed };
}

function missing(plan: ObjectPlan, existing: readonly PodListEntry[]): boolean {
  return plan.pods.some((p) => !existing.some((e) => e.Name === p.name));
}

/**
 * RollingUpdate: never more than `replicas + maxSurge` pods, never fewer than
 * `replicas - maxUnavailable` ready ones; each round starts what the surge allows, waits for
 * those to be ready, then removes as many old pods as availability allows.
 */
async function rollingUpdate(
  r: Extract<Rollout, { kind: "replicas" }>,
  replicas: number,
  todo: PodPlan[],
  old: readonly PodListEntry[],
  create: (plans: readonly PodPlan[], ready: boolean) => Promise<void>,
  remove: (names: readonly string[]) => Promise<void>,
): Promise<void> {
  const pending = [...todo];
  // Old pods go lowest slot last, so the pod a user watches most (slot 0) changes first.
  const left = [...old].sort((a, b) => slotOf(a) - slotOf(b));
  let ready = replicas - pending.length;
  let alive = ready + left.length;
  while (pending.length > 0 || left.length > 0) {
    const room = Math.min(pending.length, replicas + r.maxSurge - alive);
    if (room > 0) {
      await create(pending.splice(0, room), true);
      alive += room;
      ready += room;
    }
    const removable = Math.min(left.length, alive - (replicas - r.maxUnavailable));
    if (removable > 0) {
      await remove(left.splice(0, removable).map((e) => e.Name));
      alive -= removable;
    } else if (room <= 0) {
      // Cannot happen once maxSurge + maxUnavailable >= 1; guard against a stuck loop.
      await remove(left.splice(0, 1).map((e) => e.Name));
      alive -= 1;
    }
  }
}

async function rollOrdered(
  client: PodmanClient,
  plan: ObjectPlan,
  r: Extract<Rollout, { kind: "ordered" }>,
  existing: readonly PodListEntry[],
  options: RolloutOptions,
): Promise<ObjectResult> {
  const byName = new Map(existing.map((e) => [e.Name, e]));
  const wanted = new Set(plan.pods.map((p) => p.name));
  const played: PlayedPod[] = [];
  const removed: string[] = [];
  const created: string[] = [];
  const hash = plan.pods[0]?.templateHash;
  const one = async (p: PodPlan) => {
    const isNew = !byName.has(p.name);
    const pod = await playPod(client, p, options);
    if (isNew) created.push(p.name);
    if (pod.action !== "unchanged" && !r.parallel) await waitReady(client, p, 600, options);
    played.push(pod);
  };
  try {
    // Scale down: highest ordinal first, each gone before the next.
    const gone = existing.filter((e) => !wanted.has(e.Name)).sort((a, b) => slotOf(b) - slotOf(a));
    for (const e of gone) {
      await downPod(client, e.Name);
      removed.push(e.Name);
    }
    const stale = (p: PodPlan) => {
      const e = byName.get(p.name);
      return e !== undefined && e.Labels?.[LABEL_TEMPLATE] !== hash;
    };
    const fresh = plan.pods.filter((p) => !stale(p));
    if (r.parallel) {
      const results = await mapSettled(fresh, options.concurrency, one);
      for (const res of results) if (res.status === "rejected") throw res.reason;
    } else {
      for (const p of fresh) await one(p);
    }
    // A changed template: each ordinal from the highest down to the partition is replaced,
    // and ready, before the next.
    const updates = plan.pods
      .filter((p) => stale(p) && p.slot >= r.partition && r.strategy === "RollingUpdate")
      .sort((a, b) => b.slot - a.slot);
    for (const p of updates) {
      await downPod(client, p.name);
      removed.push(p.name);
      byName.delete(p.name);
      await one(p);
    }
  } catch (cause) {
    await mapSettled(created, options.concurrency, (n) => downPod(client, n));
    throw new PodPlayFailed(
      plan.object,
      cause instanceof PodPlayFailed ? cause.cause : cause,
      created.map((n) => `pod ${n}`),
      [],
      false,
    );
  }
  played.sort(
    (a, b) =>
      plan.pods.findIndex((p) => p.name === a.name) - plan.pods.findIndex((p) => p.name === b.name),
  );
  const replaced = removed.filter((n) => wanted.has(n)).length;
  const action: ObjectAction =
    replaced > 0 ? "updated" : removed.length > 0 ? "scaled" : summarise(played);
  return { object: plan.object, action, pods: played, removed };
}

/**
 * A Job's first pods, once: when its pods exist with the same template, the Job is left as it
 * is, running or finished; a changed template starts it anew. Retries and the pods after the
 * first wave are the Job controller's (jobs.ts), which `play --wait` and `kplay up` run.
 */
async function startJob(
  client: PodmanClient,
  plan: ObjectPlan,
  existing: readonly PodListEntry[],
  options: RolloutOptions,
): Promise<ObjectResult> {
  const hash = plan.pods[0]?.templateHash;
  const same = existing.length > 0 && existing.every((e) => e.Labels?.[LABEL_TEMPLATE] === hash);
  if (same) return { object: plan.object, action: "unchanged", pods: [], removed: [] };
  const removed: string[] = [];
  for (const e of existing) {
    await downPod(client, e.Name);
    removed.push(e.Name);
  }
  const results = await mapSettled(plan.pods, options.concurrency, (p) =>
    playPod(client, p, options),
  );
  const pods: PlayedPod[] = [];
  for (const res of results) {
    if (res.status === "rejected") {
      await mapSettled(
        pods.map((p) => p.name),
        options.concurrency,
        (n) => downPod(client, n),
      );
      throw res.reason;
    }
    pods.push(res.value);
  }
  return {
    object: plan.object,
    action: removed.length > 0 ? "recreated" : "created",
    pods,
    removed,
  };
}

/** Waits until a new pod is ready, as a rollout must before it goes on. */
async function waitReady(
  client: PodmanClient,
  plan: PodPlan,
  deadlineSeconds: number,
  options: ExecuteOptions,
): Promise<void> {
  try {
    await waitForPod(client, plan, Date.now() + deadlineSeconds * 1000, options.signal);
  } catch (e) {
    throw new PlayError(`the rollout stopped: ${e instanceof Error ? e.message : String(e)}`);
  }
}
