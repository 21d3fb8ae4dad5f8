/**
 * The checks of one Pod object, in order: fields and types against the Kubernetes API, the
 * typed model (required fields, enums), then the Kubernetes rules that span fields. Each check
 * skips paths an earlier one reported, so one mistake is told once. Returns the typed Pod only if this object produced no error.
 */
import { hasErrors } from "../diagnostics/diagnostic.ts";
import type { ObjectContext } from "./context.ts";
import { checkFields } from "./fields.ts";
import type { Pod } from "./model.ts";
import { checkRules } from "./rules.ts";
import { validatePod } from "./validate.ts";

/** Checks a `kind: Pod` object; returns the typed Pod when it has no error. */
export function checkPod(ctx: ObjectContext, value: Record<string, unknown>): Pod | undefined {
  const before = ctx.diagnostics.length;
  const reported = new Set<string>();
  checkFields(ctx, value, reported);
  const pod = validatePod(ctx, value, reported);
  checkRules(ctx, value, reported);
  return hasErrors(ctx.diagnostics.slice(before)) ? undefined : pod;
}
