/**
 * Model stage: the plain value of a `kind: Pod` object to the typed `Pod`, with valibot. Each
 * issue becomes a diagnostic pointing at the YAML node its path names.
 */
import * as v from "valibot";
import { reportEnum } from "./check.ts";
import { formatPath, type ObjectContext, reportMissing } from "./context.ts";
import type { FieldPath, Pod } from "./model.ts";
import { ownMap } from "./own.ts";
import { PodSchema } from "./schema.ts";
import { reportMismatch } from "./value-types.ts";

type Issue = v.BaseIssue<unknown>;

/**
 * Validates a Pod's shape; returns the typed Pod, or undefined after reporting its issues.
 * Issues at or under a path in `reported` (already told by an earlier check) are skipped.
 */
export function validatePod(
  ctx: ObjectContext,
  value: unknown,
  reported: ReadonlySet<string>,
): Pod | undefined {
  return validateShape<Pod>(ctx, PodSchema, value, reported);
}

/**
 * Validates any object's shape against `schema` and returns its output, or undefined after
 * reporting the issues (paths relative to the object) not under `reported`.
 */
export function validateShape<T>(
  ctx: ObjectContext,
  schema: v.GenericSchema,
  value: unknown,
  reported: ReadonlySet<string>,
): T | undefined {
  const result = v.safeParse(schema, withoutNulls(value), { abortEarly: false });
  if (result.success) return result.output as T;
  for (const issue of result.issues) {
    const path: FieldPath = (issue.path ?? []).map((p) => p.key as string | number);
    if (isUnderReported(path, reported)) continue;
    reportIssue(ctx, issue, path);
  }
  return undefined;
}

/**
 * Kubernetes reads `field: null` (and `labels:` with nothing after it) as an absent field; the
 * model's optional fields say absent, so null-valued keys are dropped before validation.
 */
function withoutNulls(value: unknown): unknown {
  // An integer past 2^53 (a bigint from the decoder) was range-checked exactly by the field
  // walk; the typed model carries numbers, and such a value is no smaller as one.
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  const out = ownMap<unknown>();
  const object = value as Record<string, unknown>;
  for (const k of Object.keys(object)) {
    const v = object[k];
    if (v !== null) out[k] = withoutNulls(v);
  }
  return out;
}

function reportIssue(ctx: ObjectContext, issue: Issue, path: FieldPath): void {
  if (issue.kind === "schema" && issue.type === "object" && issue.received === "undefined") {
    reportMissing(ctx, path);
  } else if (issue.type === "picklist") {
    // valibot writes `("a" | "b")`, and just `"a"` for one option.
    const expected = issue.expected ?? "";
    const list = expected.startsWith("(") ? expected.slice(1, -1) : expected;
    const allowed = list
      .split(" | ")
      .filter((s) => s !== "")
      .map((s) => {
        try {
          return String(JSON.parse(s));
        } catch {
          return s;
        }
      });
    reportEnum(ctx, path, issue.input, allowed);
  } else {
    reportMismatch(ctx, path, expectedName(issue), issue.input);
  }
}

function expectedName(issue: Issue): string {
  switch (issue.type) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "integer":
      return "an integer";
    case "boolean":
      return "a boolean (true or false)";
    case "array":
      return "a list";
    case "object":
    case "custom": // the user-keyed maps of schema.ts
      return "a mapping";
    case "union":
      return (issue.expected ?? "").includes("number") ? "a number or a string" : "a string";
    default:
      return issue.expected ?? "another type";
  }
}

/** Whether `path` or one of its ancestors was already reported. */
export function isUnderReported(path: FieldPath, reported: ReadonlySet<string>): boolean {
  // The usual case, a valid object: nothing to format and look up.
  if (reported.size === 0) return false;
  for (let i = path.length; i >= 0; i--)
    if (reported.has(formatPath(path.slice(0, i)))) return true;
  return false;
}
