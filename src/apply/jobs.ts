/**
 * The Job controller, as `play --wait` (and `kplay up`) runs it: keeps at most `parallelism`
 * pods running until `completions` succeeded (each index once for an Indexed Job), replaces a
 * failed pod after Kubernetes' back-off (10 s, doubling, at most 6 min) until more than
 * `backoffLimit` pods failed, and stops everything at `activeDeadlineSeconds`. Under
 * restartPolicy OnFailure the container is restarted in its pod by Podman (restart_tries =
 * backoffLimit), as the kubelet restarts it; the pod fails when the retries are spent.
 * State is read from Podman each round, so a controller can pick a Job up where another
 * left it (a re-play, a restarted `kplay up`).
 */
import {
  LABEL_ATTEMPT,
  LABEL_INIT,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_POD,
  LABEL_SIDECAR,
  LABEL_SLOT,
} from "../plan/labels.ts";
import type { ObjectPlan, PodPlan, Rollout } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { stopContainer } from "../podman/objects.ts";
import { playPod } from "./converge.ts";
import { downPod } from "./down.ts";
import { PlayError } from "./errors.ts";
import { type ExecuteOptions, lastLines } from "./execute.ts";

/** Makes the plan of a Job's pod for a completion index and an attempt. */
export type JobPodMaker = (index: number, attempt: number) => PodPlan;

/** How a Job ended, for the user. */
export interface JobOutcome {
  readonly object: string;
  readonly status: "succeeded" | "failed";
  readonly succeeded: number;
  readonly failed: number;
  /** Why it failed: the last failed pod's exit code and last lines, or the deadline. */
  readonly reason?: string;
}

/** Back-off before a failed pod is replaced: 10 s doubling per failure, at most 6 min. */
export function retryDelayMs(failures: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, failures - 1), 360_000);
}

interface ContainerEntry {
  readonly Id: string;
  readonly Names: string[];
  readonly State: string;
  readonly ExitCode?: number;
  /** Unix seconds; before year 1 while the container has not exited. */
  readonly ExitedAt?: number;
  readonly Labels?: Record<string, string> | null;
}

type Phase = "running" | "succeeded" | "failed";

interface JobPod {
  readonly name: string;
  readonly index: number;
  readonly attempt: number;
  readonly phase: Phase;
  readonly exit?: { code: number; container: string };
  /** When it failed (epoch ms), for the back-off. */
  readonly failedAt?: number;
}

/** Reads the phase of every pod of a Job from its containers, in one request. */
async function observe(
  client: PodmanClient,
  owner: string,
  namespace: string,
  restartPolicy: "Never" | "OnFailure",
  backoffLimit: number,
): Promise<JobPod[]> {
  const filters = JSON.stringify({
    label: [`${LABEL_OWNER}=${owner}`, `${LABEL_NAMESPACE}=${namespace}`],
  });
  const containers =
    (await client.call<ContainerEntry[]>({
      method: "GET",
      path: "/containers/json",
      query: { all: "true", filters },
    })) ?? [];
  // A pod's phase is its app containers'; sidecars run beside them and are stopped after.
  const byPod = new Map<string, ContainerEntry[]>();
  const sidecarsRunning = new Map<string, string[]>();
  for (const c of containers) {
    const pod = c.Labels?.[LABEL_POD];
    if (pod === undefined || c.Labels?.[LABEL_INIT] === "true") continue;
    if (c.Labels?.[LABEL_SIDECAR] === "true") {
      if (c.State === "running")
        sidecarsRunning.set(pod, [...(sidecarsRunning.get(pod) ?? []), c.Id]);
      continue;
    }
    byPod.set(pod, [...(byPod.get(pod) ?? []), c]);
  }
  const out: JobPod[] = [];
  for (const [name, apps] of byPod) {
    const labels = apps[0]?.Labels ?? {};
    const index = Number(labels[LABEL_SLOT] ?? 0);
    const attempt = Number(labels[LABEL_ATTEMPT] ?? 0);
    const done = (c: ContainerEntry) => c.State === "exited" || c.State === "stopped";
    const bad = apps.find((c) => done(c) && (c.ExitCode ?? 0) !== 0);
    let phase: Phase = "running";
    if (bad) {
      // Under OnFailure Podman restarts the container until its tries are spent.
      const spent = restartPolicy === "Never" || (await restarts(client, bad.Id)) >= backoffLimit;
      if (spent) phase = "failed";
    } else if (apps.length > 0 && apps.every(done)) {
      phase = "succeeded";
    }
    // The kubelet stops a finished pod's sidecars; so does the controller here.
    if (phase !== "running")
      for (const id of sidecarsRunning.get(name) ?? []) await stopContainer(client, id, undefined);
    out.push({
      name,
      index,
      attempt,
      phase,
      ...(bad ? { exit: { code: bad.ExitCode ?? 0, container: bad.Names[0] ?? "" } } : {}),
      ...(bad && (bad.ExitedAt ?? 0) > 0 ? { failedAt: (bad.ExitedAt ?? 0) * 1000 } : {}),
    });
  }
  return out;
}

async function restarts(client: PodmanClient, id: string): Promise<number> {
  const info = await client.call<{ RestartCount?: number }>({
    method: "GET",
    path: `/containers/${id}/json`,
  });
  return info?.RestartCount ?? 0;
}

/**
 * Runs a Job until it succeeds, fails, or `deadline` (epoch ms) passes; `signal` stops it.
 * Pods are created through the same transactional path as any pod of a play.
 */
export async function runJob(
  client: PodmanClient,
  plan: ObjectPlan,
  make: JobPodMaker,
  options: ExecuteOptions,
  deadline: number,
  signal?: AbortSignal,
): Promise<JobOutcome> {
  const r = plan.rollout as Extract<Rollout, { kind: "job" }>;
  const [kind = "", namespace = "", ...rest] = plan.object.split("/");
  const owner = `${kind}/${rest.join("/")}`;
  const started = Date.now();
  const jobDeadline =
    r.activeDeadlineSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : started + r.activeDeadlineSeconds * 1000;
  for (;;) {
    if (signal?.aborted) throw new PlayError(`${owner}: interrupted`);
    const pods = await observe(client, owner, namespace, r.restartPolicy, r.backoffLimit);
    const succeeded = pods.filter((p) => p.phase === "succeeded");
    const failed = pods.filter((p) => p.phase === "failed");
    const running = pods.filter((p) => p.phase === "running");
    const doneIndexes = new Set(succeeded.map((p) => p.index));
    const complete = r.indexed
      ? doneIndexes.size >= r.completions
      : succeeded.length >= r.completions;
    const counts = { object: plan.object, succeeded: succeeded.length, failed: failed.length };
    if (complete) {
      if (r.ttlSecondsAfterFinished === 0) for (const p of pods) await downPod(client, p.name);
      return { ...counts, status: "succeeded" };
    }
    // Under OnFailure the restarts in the pod are the retries; a failed pod is the end.
    const tooMany =
      r.restartPolicy === "OnFailure" ? failed.length > 0 : failed.length > r.backoffLimit;
    if (tooMany || Date.now() > jobDeadline) {
      for (const p of running) await downPod(client, p.name);
      const last = failed.at(-1);
      const why =
        Date.now() > jobDeadline && !tooMany
          ? `it ran longer than activeDeadlineSeconds (${r.activeDeadlineSeconds} s)`
          : last?.exit
            ? `pod ${last.name} exited with code ${last.exit.code} (backoffLimit ${r.backoffLimit})${await lastLines(client, last.exit.container)}`
            : `pod ${last?.name ?? "?"} failed`;
      return { ...counts, status: "failed", reason: why };
    }
    if (Date.now() > deadline) {
      throw new PlayError(
        `${owner} did not finish in time: ${succeeded.length} of ${r.completions} completions, ${running.length} running, ${failed.length} failed`,
      );
    }
    // The next start waits out the back-off from the last failure, as the Job controller
    // does; failures long past (a re-play) delay nothing.
    const lastFailure = Math.max(0, ...failed.map((p) => p.failedAt ?? 0));
    const nextStart = failed.length > 0 ? lastFailure + retryDelayMs(failed.length) : 0;
    // Start what parallelism allows, once the back-off has passed.
    const want = r.indexed
      ? range(r.completions).filter(
          (i) => !doneIndexes.has(i) && !running.some((p) => p.index === i),
        )
      : range(Math.max(0, r.completions - succeeded.length - running.length)).map(() => -1);
    const room = Math.max(0, r.parallelism - running.length);
    if (want.length > 0 && room > 0 && Date.now() >= nextStart) {
      const used = new Set(pods.map((p) => `${p.index}/${p.attempt}`));
      for (const wanted of want.slice(0, room)) {
        const index = wanted >= 0 ? wanted : freeIndex(pods, r.completions);
        let attempt = 0;
        while (used.has(`${index}/${attempt}`)) attempt++;
        used.add(`${index}/${attempt}`);
        await playPod(client, make(index, attempt), options);
        pods.push({ name: "", index, attempt, phase: "running" });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A NonIndexed Job's next index: the lowest one no running or succeeded pod has. */
function freeIndex(pods: readonly JobPod[], completions: number): number {
  const busy = new Set(pods.filter((p) => p.phase !== "failed").map((p) => p.index));
  for (let i = 0; ; i++) if (!busy.has(i) || i >= completions + pods.length) return i;
}

function range(n: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => i);
}
