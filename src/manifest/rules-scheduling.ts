/**
 * The API server's rules for the scheduling fields kplay ignores on one host (an ignored field
 * is still validated, as the API server would): nodeSelector, tolerations, topology spread
 * constraints, readiness and scheduling gates, the names of the objects a pod refers to,
 * activeDeadlineSeconds, preemptionPolicy and os.
 */
import { checkEnum, checkName, checkRange, checkUnique, fail, isSet } from "./check.ts";
import { list, mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Subdomain, checkQualifiedName } from "./names.ts";
import { checkAffinity, checkLabelKeys } from "./rules-affinity.ts";
import {
  checkLabelKey,
  checkLabelMap,
  checkLabelSelector,
  checkLabelValueAt,
} from "./rules-selectors.ts";

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
const INT32_MAX = 2147483647;

/** Names of other objects a pod refers to: DNS-1123 subdomains when set. */
const OBJECT_NAMES = [
  ["priorityClassName", "priority class name"],
  ["serviceAccountName", "service account name"],
  ["nodeName", "node name"],
] as const;

/** Checks every scheduling rule of a pod's spec. */
export function checkScheduling(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  checkLabelMap(ctx, mapping(spec.nodeSelector), ["spec", "nodeSelector"], reported);
  list(spec.tolerations).forEach((t, i) => {
    checkToleration(ctx, mapping(t), ["spec", "tolerations", i], reported);
  });
  checkAffinity(ctx, spec, reported);
  checkSpreadConstraints(ctx, spec, reported);
  for (const [field, kind] of OBJECT_NAMES) {
    if (spec[field] === "") continue;
    checkName(
      ctx,
      ["spec", field],
      spec[field],
      `${kind} (a DNS-1123 subdomain)`,
      checkDns1123Subdomain,
      reported,
    );
  }
  // Unlike the names above, a runtimeClassName that is set may not be empty.
  checkName(
    ctx,
    ["spec", "runtimeClassName"],
    spec.runtimeClassName,
    "runtime class name (a DNS-1123 subdomain)",
    checkDns1123Subdomain,
    reported,
  );
  list(spec.readinessGates).forEach((g, i) => {
    const path = ["spec", "readinessGates", i, "conditionType"];
    checkName(
      ctx,
      path,
      mapping(g)?.conditionType,
      "condition type (a qualified name)",
      checkQualifiedName,
      reported,
    );
  });
  checkSchedulingGates(ctx, spec, reported);
  checkRange(
    ctx,
    ["spec", "activeDeadlineSeconds"],
    spec.activeDeadlineSeconds,
    { min: 1, max: INT32_MAX },
    reported,
  );
  checkEnum(
    ctx,
    ["spec", "preemptionPolicy"],
    spec.preemptionPolicy,
    ["PreemptLowerPriority", "Never"],
    reported,
  );
  const os = mapping(spec.os);
  if (os?.name === "")
    fail(ctx, "missing-field", ["spec", "os", "name"], "must not be empty", reported);
  else checkEnum(ctx, ["spec", "os", "name"], os?.name, ["linux", "windows"], reported);
}

function checkToleration(
  ctx: ObjectContext,
  toleration: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  if (toleration === undefined) return;
  const { key, operator, value, effect } = toleration;
  const keyed = typeof key === "string" && key !== "";
  if (keyed) checkLabelKey(ctx, [...at, "key"], key, "toleration key", reported);
  const exists = operator === "Exists";
  if (!keyed && !exists) {
    const given = isSet(operator);
    const detail = `${given ? "" : "operator "}must be "Exists" when key is empty (which matches every taint)`;
    fail(ctx, "conflicting-fields", given ? [...at, "operator"] : at, detail, reported, {
      anchor: given ? "value" : "key",
    });
  }
  if (isSet(toleration.tolerationSeconds) && effect !== "NoExecute") {
    const given = isSet(effect);
    const detail = `${given ? "" : "effect "}must be "NoExecute" when tolerationSeconds is set`;
    fail(
      ctx,
      "conflicting-fields",
      [...at, given ? "effect" : "tolerationSeconds"],
      detail,
      reported,
      {
        anchor: given ? "value" : "key",
      },
    );
  }
  if (operator === undefined || operator === null || operator === "" || operator === "Equal")
    checkLabelValueAt(ctx, [...at, "value"], value, "toleration value", reported);
  else if (exists) {
    if (typeof value === "string" && value !== "")
      fail(
        ctx,
        "conflicting-fields",
        [...at, "value"],
        'must be empty when operator is "Exists"',
        reported,
      );
  } else checkEnum(ctx, [...at, "operator"], operator, ["Equal", "Exists"], reported);
  if (effect !== "") checkEnum(ctx, [...at, "effect"], effect, EFFECTS, reported);
}

function checkSpreadConstraints(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const seen = new Map<string, FieldPath>();
  list(spec.topologySpreadConstraints).forEach((c, i) => {
    const constraint = mapping(c);
    if (constraint === undefined) return;
    const at = ["spec", "topologySpreadConstraints", i];
    const { topologyKey, whenUnsatisfiable } = constraint;
    checkRange(ctx, [...at, "maxSkew"], constraint.maxSkew, { min: 1 }, reported);
    if (topologyKey === "")
      fail(ctx, "missing-field", [...at, "topologyKey"], "must not be empty", reported);
    checkEnum(
      ctx,
      [...at, "whenUnsatisfiable"],
      whenUnsatisfiable,
      ["DoNotSchedule", "ScheduleAnyway"],
      reported,
    );
    const minDomains = constraint.minDomains;
    checkRange(ctx, [...at, "minDomains"], minDomains, { min: 1 }, reported);
    if (isSet(minDomains) && whenUnsatisfiable !== "DoNotSchedule")
      fail(
        ctx,
        "conflicting-fields",
        [...at, "minDomains"],
        'may only be set when whenUnsatisfiable is "DoNotSchedule"',
        reported,
        { anchor: "key" },
      );
    for (const policy of ["nodeAffinityPolicy", "nodeTaintsPolicy"] as const)
      checkEnum(ctx, [...at, policy], constraint[policy], ["Honor", "Ignore"], reported);
    const selector = mapping(constraint.labelSelector);
    checkLabelSelector(ctx, selector, [...at, "labelSelector"], reported);
    checkLabelKeys(ctx, constraint, at, selector !== undefined, reported);
    if (typeof topologyKey !== "string" || typeof whenUnsatisfiable !== "string") return;
    const pair = `${topologyKey}\n${whenUnsatisfiable}`;
    const what = `${quote(topologyKey)} with whenUnsatisfiable ${quote(whenUnsatisfiable)}`;
    checkUnique(ctx, seen, pair, [...at, "topologyKey"], what, reported, { verb: "constrained" });
  });
}

function checkSchedulingGates(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const gates = list(spec.schedulingGates);
  const seen = new Map<string, FieldPath>();
  gates.forEach((g, i) => {
    const path = ["spec", "schedulingGates", i, "name"];
    const name = mapping(g)?.name;
    if (
      checkName(ctx, path, name, "scheduling gate (a qualified name)", checkQualifiedName, reported)
    )
      return;
    if (typeof name === "string")
      checkUnique(ctx, seen, name, path, `scheduling gate ${quote(name)}`, reported);
  });
  if (gates.length > 0 && typeof spec.nodeName === "string" && spec.nodeName !== "")
    fail(
      ctx,
      "conflicting-fields",
      ["spec", "nodeName"],
      "may not be set while schedulingGates are",
      reported,
    );
}
