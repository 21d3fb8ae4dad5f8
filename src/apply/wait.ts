/**
 * `--wait`: block until every app container of a pod runs and is ready, running startup and
 * readiness probes the way the kubelet schedules them (initial delay, period, thresholds).
 */

import { containerSteps } from "../plan/index.ts";
import type { CreateContainerStep, PlannedProbe, PodPlan } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { inspectPod, type PodInspect } from "../podman/objects.ts";
import { PlayError } from "./errors.ts";
import { lastLines } from "./execute.ts";
import { runProbe } from "./probe.ts";

/** The pod did not become ready; the message names each container and why. */
export class WaitFailed extends PlayError {}

interface ContainerInspect {
  State: { Status: string; ExitCode: number; Running: boolean; StartedAt?: string };
  RestartCount?: number;
}

type Phase = { done: false; reason: string } | { done: true };

const POLL_MS = 200;

/** Waits until the pod is ready or `deadline` (epoch ms) passes; throws WaitFailed. */
export async function waitForPod(
  client: PodmanClient,
  plan: PodPlan,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  const apps = containerSteps(plan, false);
  // The pod's published ports (what network probes go through) are fixed when it is created.
  const pod = await inspectPod(client, plan.name);
  const results = await Promise.all(
    apps.map((s) => waitForContainer(client, plan.name, pod, s, deadline, signal)),
  );
  const pending = results.flatMap((r, i) =>
    r.done ? [] : [`  ${apps[i]?.container}: ${r.reason}`],
  );
  if (pending.length > 0) {
    throw new WaitFailed(
      `Pod "${plan.name}" is not ready:\n${pending.join("\n")}\n  (the pod is left as it is; see kplay logs ${plan.name})`,
    );
  }
}

async function waitForContainer(
  client: PodmanClient,
  pod: string,
  inspected: PodInspect | undefined,
  step: CreateContainerStep,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Phase> {
  const restart = String(
    (step.request.body as { restart_policy?: string }).restart_policy ?? "always",
  );
  const startup = step.probes?.find((p) => p.kind === "startup");
  const readiness = step.probes?.find((p) => p.kind === "readiness");
  let reason = "not started yet";
  let startedAt: number | undefined;
  let startupPassed = startup === undefined;
  let failures = 0;
  let successes = 0;
  let nextProbe = 0;
  while (Date.now() < deadline) {
    if (signal?.aborted) return { done: false, reason: "interrupted" };
    const c = await client.call<ContainerInspect>({
      method: "GET",
      path: `/containers/${encodeURIComponent(step.name)}/json`,
    });
    if (c.State.Status === "exited" || c.State.Status === "stopped") {
      if (c.State.ExitCode === 0 && restart !== "always") return { done: true }; // ran to completion
      if (restart === "no" || (restart === "on-failure" && c.State.ExitCode === 0)) {
        throw new WaitFailed(await exitedMessage(client, pod, step, c.State.ExitCode));
      }
      reason = `exited with code ${c.State.ExitCode}, restarting (restarts: ${c.RestartCount ?? 0})`;
      startedAt = undefined;
    } else if (c.State.Running) {
      const started = Date.parse(c.State.StartedAt ?? "") || Date.now();
      if (startedAt !== started) {
        // A (re)started container begins its probes afresh, as with the kubelet.
        startedAt = started;
        startupPassed = startup === undefined;
        failures = successes = 0;
        nextProbe = started + 1000 * ((startup ?? readiness)?.initialDelaySeconds ?? 0);
      }
      const probe: PlannedProbe | undefined = startupPassed ? readiness : startup;
      if (!probe) return { done: true };
      if (Date.now() >= nextProbe) {
        const r = inspected
          ? await runProbe(client, inspected, step.name, probe)
          : { ok: false as const, reason: "pod is gone" };
        nextProbe = Date.now() + probe.periodSeconds * 1000;
        if (r.ok) {
          failures = 0;
          successes += 1;
          if (!startupPassed) {
            startupPassed = true;
            successes = 0;
            nextProbe = Date.now() + 1000 * (readiness?.initialDelaySeconds ?? 0);
          } else if (successes >= probe.successThreshold) {
            return { done: true };
          }
        } else {
          successes = 0;
          failures += 1;
          reason = `${probe.kind} probe failing (${failures}x): ${r.reason}`;
          if (!startupPassed && failures >= probe.failureThreshold) {
            throw new WaitFailed(
              `Container "${step.container}" of pod "${pod}" failed its startup probe ${failures} times: ${r.reason}`,
            );
          }
        }
      } else if (reason === "not started yet") {
        reason = `waiting for its first ${probe.kind} probe`;
      }
    } else {
      reason = `state ${c.State.Status}`;
    }
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
  }
  return { done: false, reason };
}

async function exitedMessage(
  client: PodmanClient,
  pod: string,
  step: CreateContainerStep,
  code: number,
): Promise<string> {
  const tail = await lastLines(client, step.name);
  return `Container "${step.container}" of pod "${pod}" exited with code ${code}${tail}`;
}

/** Sleeps `ms`, or less if `signal` aborts; leaves no listener on `signal` behind. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
