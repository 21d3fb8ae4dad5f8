/**
 * The checks of one workload object (Deployment, ReplicaSet, ReplicationController,
 * StatefulSet, DaemonSet, Job, CronJob): its fields against the Kubernetes tables, its shape,
 * the API server's workload rules, and its pod template through the Pod rules, each reported
 * at its place in the workload (`spec.template.spec.containers[0]...`).
 */
import * as v from "valibot";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { formatPath, mapping, type ObjectContext, quote, report } from "./context.ts";
import { checkFields } from "./fields.ts";
import type { WorkloadKind } from "./kinds.ts";
import type { FieldPath } from "./model.ts";
import type { ObjectMeta, PodTemplate, WorkloadObject, WorkloadSpecs } from "./objects.ts";
import { checkMetadata, checkRules } from "./rules.ts";
import { ObjectMetaFields } from "./schema.ts";
import { formatSelector, isEmptySelector, matchesSelector } from "./selector.ts";
import { validateShape } from "./validate.ts";
import { checkWorkloadRules } from "./workload-rules.ts";
import { WORKLOAD_SPEC_SCHEMAS } from "./workload-schema.ts";

/** Where each kind keeps its pod template. */
export function templatePath(kind: WorkloadKind): FieldPath {
  return kind === "CronJob" ? ["spec", "jobTemplate", "spec", "template"] : ["spec", "template"];
}

/** The pod template of a validated workload. */
export function templateOf(w: WorkloadObject): PodTemplate {
  return w.kind === "CronJob"
    ? (w.spec as WorkloadSpecs["CronJob"]).jobTemplate.spec.template
    : (w.spec as { template: PodTemplate }).template;
}

/**
 * Checks a workload; returns its typed spec and metadata when it has no error. `type` is its
 * Kubernetes type name (from the generated tables).
 */
export function checkWorkload(
  ctx: ObjectContext,
  kind: WorkloadKind,
  type: string,
  value: Record<string, unknown>,
): { metadata: ObjectMeta; spec: WorkloadSpecs[WorkloadKind] } | undefined {
  const before = ctx.diagnostics.length;
  const reported = new Set<string>();
  checkFields(ctx, value, reported, type);
  const schema = v.object({
    apiVersion: v.string(),
    kind: v.string(),
    metadata: v.object(ObjectMetaFields),
    spec: WORKLOAD_SPEC_SCHEMAS[kind],
  });
  const typed = validateShape<{ metadata: ObjectMeta; spec: WorkloadSpecs[WorkloadKind] }>(
    ctx,
    schema,
    value,
    reported,
  );
  const metadata = mapping(value.metadata);
  if (metadata) checkMetadata(ctx, metadata, reported, kind.toLowerCase());
  checkTemplate(ctx, kind, value, reported);
  if (typed) {
    checkWorkloadRules(ctx, kind, typed.spec, reported);
    checkSelector(ctx, kind, typed.spec);
  }
  if (hasErrors(ctx.diagnostics.slice(before)) || !typed) return undefined;
  return typed;
}

/**
 * The template's pod, checked with the Pod rules as if it were a Pod: a context whose prefix
 * is the template's path, so `spec.containers[0]` lands at `spec.template.spec.containers[0]`.
 */
function checkTemplate(
  ctx: ObjectContext,
  kind: WorkloadKind,
  value: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const at = templatePath(kind);
  let template: unknown = value;
  for (const step of at) template = mapping(template)?.[step as string];
  const t = mapping(template);
  if (!t) return;
  const inner: ObjectContext = { ...ctx, prefix: [...ctx.prefix, ...at] };
  const prefix = formatPath(at);
  const below = new Set<string>();
  for (const r of reported) {
    if (r === prefix) below.add("");
    else if (r.startsWith(`${prefix}.`)) below.add(r.slice(prefix.length + 1));
  }
  // A template has no name of its own: its pods are named after the workload.
  const metadata = { ...(mapping(t.metadata) ?? {}), name: "template" };
  checkRules(
    inner,
    { apiVersion: "v1", kind: "Pod", metadata, spec: withClaimTemplates(kind, value, t.spec) },
    below,
  );
}

/**
 * A StatefulSet's pods mount its volumeClaimTemplates by name as if they were volumes of the
 * template: they are added (after the template's own, replacing one of the same name, as the
 * StatefulSet controller does) for the mount checks to find.
 */
function withClaimTemplates(
  kind: WorkloadKind,
  value: Record<string, unknown>,
  spec: unknown,
): unknown {
  const s = mapping(spec);
  const claims = kind === "StatefulSet" ? mapping(value.spec)?.volumeClaimTemplates : undefined;
  if (!s || !Array.isArray(claims)) return spec;
  const extra = claims.flatMap((c) => {
    const name = mapping(mapping(c)?.metadata)?.name;
    return typeof name === "string" ? [{ name, persistentVolumeClaim: { claimName: name } }] : [];
  });
  // A template volume of a claim template's name is the claim: the controller replaces it
  // (in place, so the other volumes keep their indexes for the diagnostics' positions).
  const own = Array.isArray(s.volumes) ? s.volumes : [];
  const names = new Set(own.map((v) => mapping(v)?.name));
  const replaced = own.map((v) => extra.find((e) => e.name === mapping(v)?.name) ?? v);
  return { ...s, volumes: [...replaced, ...extra.filter((e) => !names.has(e.name))] };
}

/**
 * The API server's selector rules: apps/v1 workloads need a non-empty selector, and the
 * selector must select the template's labels (else the controller could never find its own
 * pods). A ReplicationController's selector defaults to the template's labels; a Job's is
 * generated unless given.
 */
function checkSelector(
  ctx: ObjectContext,
  kind: WorkloadKind,
  spec: WorkloadSpecs[WorkloadKind],
): void {
  if (kind === "Job" || kind === "CronJob") return;
  const labels = (spec as { template: PodTemplate }).template.metadata?.labels ?? {};
  const raw = (spec as { selector?: unknown }).selector;
  const selector =
    kind === "ReplicationController"
      ? { matchLabels: (raw as Record<string, string> | undefined) ?? labels }
      : (raw as { matchLabels?: Record<string, string> });
  if (isEmptySelector(selector)) {
    if (kind === "ReplicationController" && Object.keys(labels).length > 0) return;
    const message = `spec.selector: an empty selector is invalid for a ${kind}`;
    const hint = "Select the template's labels, e.g. matchLabels: {app: web}";
    report(ctx, "bad-selector", "error", ["spec", "selector"], message, hint, "key");
    return;
  }
  if (!matchesSelector(selector, labels)) {
    const message = `spec.template.metadata.labels: ${quote(formatSelector(selector))} (spec.selector) does not select the template's labels`;
    const hint = "The controller finds its pods by the selector: give the template those labels";
    const path =
      Object.keys(labels).length > 0
        ? ["spec", "template", "metadata", "labels"]
        : ["spec", "selector"];
    report(ctx, "bad-selector", "error", path, message, hint, "key");
  }
}
