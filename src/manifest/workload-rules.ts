/**
 * The API server's rules for workloads (pkg/apis/apps/validation, pkg/apis/batch/validation)
 * that go beyond shapes: counts that may not be negative, the restart policy each kind's pods
 * must have, rollout strategies, Job completion settings, CronJob schedules and StatefulSet
 * claim templates.
 */
import { formatPath, type ObjectContext, quote, report } from "./context.ts";
import { checkCronSchedule } from "./cron.ts";
import type { WorkloadKind } from "./kinds.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Label, checkDns1123Subdomain } from "./names.ts";
import type {
  CronJobSpec,
  DeploymentSpec,
  JobSpec,
  PodTemplate,
  RollingUpdate,
  StatefulSetSpec,
  WorkloadSpecs,
} from "./objects.ts";
import { isUnderReported } from "./validate.ts";

type Reporter = (path: FieldPath, message: string, hint?: string) => void;

/** Checks the rules of one workload's typed spec. */
export function checkWorkloadRules(
  ctx: ObjectContext,
  kind: WorkloadKind,
  spec: WorkloadSpecs[WorkloadKind],
  reported: ReadonlySet<string>,
): void {
  const error: Reporter = (path, message, hint) => {
    if (!isUnderReported(path, reported)) report(ctx, "bad-workload", "error", path, message, hint);
  };
  const s = spec as Partial<DeploymentSpec & StatefulSetSpec & JobSpec & CronJobSpec>;
  for (const field of ["replicas", "minReadySeconds"] as const) {
    const n = s[field];
    if (n !== undefined && n < 0) error(["spec", field], `spec.${field}: ${n} must be 0 or more`);
  }
  if (kind === "CronJob") {
    checkCronJob(spec as CronJobSpec, error);
    checkJob((spec as CronJobSpec).jobTemplate.spec, ["spec", "jobTemplate", "spec"], error);
    return;
  }
  if (kind === "Job") {
    checkJob(spec as JobSpec, ["spec"], error);
    return;
  }
  checkRestartAlways((spec as { template: PodTemplate }).template, error);
  if (kind === "Deployment") checkDeployment(spec as DeploymentSpec, error);
  if (kind === "StatefulSet") checkStatefulSet(ctx, spec as StatefulSetSpec, error);
  if (kind === "StatefulSet" || kind === "DaemonSet") {
    const strategy = (spec as StatefulSetSpec).updateStrategy;
    if (strategy?.type === "OnDelete" && strategy.rollingUpdate !== undefined) {
      error(
        ["spec", "updateStrategy", "rollingUpdate"],
        "spec.updateStrategy.rollingUpdate: may not be given when the type is OnDelete",
      );
    }
    const ru = strategy?.rollingUpdate;
    if (ru) checkRollingValues(ru, ["spec", "updateStrategy", "rollingUpdate"], error, kind);
  }
}

/** Controllers that keep pods running: their pods must restart Always. */
function checkRestartAlways(template: PodTemplate, error: Reporter): void {
  const policy = template.spec.restartPolicy;
  if (policy !== undefined && policy !== "Always") {
    error(
      ["spec", "template", "spec", "restartPolicy"],
      `spec.template.spec.restartPolicy: ${quote(policy)} is not supported here: the only supported value is "Always"`,
      "Pods of a controller that keeps them running restart Always; use a Job for pods that finish",
    );
  }
}

function checkDeployment(spec: DeploymentSpec, error: Reporter): void {
  const strategy = spec.strategy;
  if (strategy?.type === "Recreate" && strategy.rollingUpdate !== undefined) {
    error(
      ["spec", "strategy", "rollingUpdate"],
      'spec.strategy.rollingUpdate: may not be given when the strategy type is "Recreate"',
    );
  }
  if (strategy?.rollingUpdate)
    checkRollingValues(
      strategy.rollingUpdate,
      ["spec", "strategy", "rollingUpdate"],
      error,
      "Deployment",
    );
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined && deadline <= (spec.minReadySeconds ?? 0)) {
    error(
      ["spec", "progressDeadlineSeconds"],
      `spec.progressDeadlineSeconds: ${deadline} must be more than minReadySeconds (${spec.minReadySeconds ?? 0})`,
    );
  }
}

/** maxSurge and maxUnavailable: a count or a percentage, not negative, not both zero. */
function checkRollingValues(
  ru: RollingUpdate,
  at: FieldPath,
  error: Reporter,
  kind: WorkloadKind,
): void {
  const zero = (v: number | string | undefined) => v !== undefined && amount(v) === 0;
  for (const field of ["maxSurge", "maxUnavailable"] as const) {
    const v = ru[field];
    if (v === undefined) continue;
    const n = amount(v);
    if (n === undefined) {
      error(
        [...at, field],
        `${formatPath([...at, field])}: ${quote(String(v))} must be a whole number or a percentage such as "25%"`,
      );
    } else if (n < 0) {
      error([...at, field], `${formatPath([...at, field])}: ${v} must be 0 or more`);
    } else if (field === "maxUnavailable" && typeof v === "string" && n > 100) {
      error(
        [...at, field],
        `${formatPath([...at, field])}: ${quote(v)} must not be more than 100%`,
      );
    }
  }
  if (kind === "Deployment" && zero(ru.maxUnavailable) && zero(ru.maxSurge ?? "25%")) {
    error(
      [...at, "maxUnavailable"],
      `${formatPath([...at, "maxUnavailable"])}: may not be 0 when maxSurge is 0`,
    );
  }
  if (ru.partition !== undefined && ru.partition < 0) {
    error(
      [...at, "partition"],
      `${formatPath([...at, "partition"])}: ${ru.partition} must be 0 or more`,
    );
  }
}

/** The number of a count or percentage (`3`, `"25%"`), or undefined when it is neither. */
export function amount(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
  const m = /^(-?\d+)%$/.exec(v);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function checkJob(spec: JobSpec, at: FieldPath, error: Reporter): void {
  for (const field of [
    "parallelism",
    "completions",
    "backoffLimit",
    "ttlSecondsAfterFinished",
  ] as const) {
    const n = spec[field];
    if (n !== undefined && n < 0)
      error([...at, field], `${formatPath([...at, field])}: ${n} must be 0 or more`);
  }
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline <= 0) {
    error(
      [...at, "activeDeadlineSeconds"],
      `${formatPath([...at, "activeDeadlineSeconds"])}: ${deadline} must be more than 0`,
    );
  }
  if (spec.completionMode === "Indexed" && spec.completions === undefined) {
    error(
      [...at, "completions"],
      `${formatPath([...at, "completions"])}: is required when completionMode is "Indexed"`,
    );
  }
  const policy = spec.template.spec.restartPolicy;
  if (policy !== "Never" && policy !== "OnFailure") {
    const path = [...at, "template", "spec", "restartPolicy"];
    error(
      path,
      `${formatPath(path)}: ${quote(policy ?? "Always")} is not supported for a Job: the supported values are "OnFailure" and "Never"`,
      "A Job's pods run to completion: set restartPolicy: Never (a new pod per retry) or OnFailure",
    );
  }
}

function checkCronJob(spec: CronJobSpec, error: Reporter): void {
  const problem = checkCronSchedule(spec.schedule);
  if (problem !== undefined)
    error(
      ["spec", "schedule"],
      `spec.schedule: ${quote(spec.schedule)} is not a valid schedule: ${problem}`,
    );
  for (const field of [
    "startingDeadlineSeconds",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
  ] as const) {
    const n = spec[field];
    if (n !== undefined && n < 0) error(["spec", field], `spec.${field}: ${n} must be 0 or more`);
  }
}

function checkStatefulSet(ctx: ObjectContext, spec: StatefulSetSpec, error: Reporter): void {
  if (spec.serviceName !== undefined && spec.serviceName !== "") {
    const problem = checkDns1123Label(spec.serviceName);
    if (problem)
      error(
        ["spec", "serviceName"],
        `spec.serviceName: ${quote(spec.serviceName)} is not a valid Service name: ${problem}`,
      );
  }
  const names = new Set<string>();
  (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
    const path = ["spec", "volumeClaimTemplates", i, "metadata", "name"];
    const problem = checkDns1123Subdomain(t.metadata.name);
    if (problem)
      error(
        path,
        `${formatPath(path)}: ${quote(t.metadata.name)} is not a valid claim name: ${problem}`,
      );
    if (names.has(t.metadata.name))
      report(
        ctx,
        "duplicate-name",
        "error",
        path,
        `${formatPath(path)}: claim template ${quote(t.metadata.name)} is defined twice`,
      );
    names.add(t.metadata.name);
    const storage = t.spec.resources?.requests?.storage;
    if (storage === undefined) {
      const at = ["spec", "volumeClaimTemplates", i, "spec", "resources", "requests"];
      error(at, `${formatPath(at)}: a storage request is required (resources.requests.storage)`);
    }
  });
  const start = spec.ordinals?.start;
  if (start !== undefined && start < 0)
    error(["spec", "ordinals", "start"], `spec.ordinals.start: ${start} must be 0 or more`);
}
