/**
 * The small checks every rule file is made of: a name against its syntax, a value against
 * its allowed ones, a number within bounds, and `fail` for the rest. Each skips a path an
 * earlier check already reported, so one mistake is told once, and each returns whether it
 * reported, for rules that depend on a value being valid.
 */
import type { Anchor, ObjectContext } from "./context.ts";
import { describe, formatPath, quote, report } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { suggest } from "./suggest.ts";
import { isUnderReported } from "./validate.ts";

/** Reports `path: detail` with `code` unless the path (or a parent) was already reported. */
export function fail(
  ctx: ObjectContext,
  code: string,
  path: FieldPath,
  detail: string,
  reported: ReadonlySet<string>,
  options: { hint?: string; anchor?: Anchor } = {},
): boolean {
  if (isUnderReported(path, reported)) return false;
  report(ctx, code, "error", path, `${formatPath(path)}: ${detail}`, options.hint, options.anchor);
  return true;
}

/** Checks a name with a syntax check; reports `bad-name` if it fails. */
export function checkName(
  ctx: ObjectContext,
  path: FieldPath,
  value: unknown,
  kind: string,
  check: (s: string) => string | undefined,
  reported: ReadonlySet<string>,
): boolean {
  if (typeof value !== "string") return false;
  const problem = check(value);
  if (problem === undefined) return false;
  return fail(
    ctx,
    "bad-name",
    path,
    `${quote(value)} is not a valid ${kind}: ${problem}`,
    reported,
  );
}

/** The `bad-enum` message of a value that is not one of `allowed`, with a did-you-mean. */
export function reportEnum(
  ctx: ObjectContext,
  path: FieldPath,
  input: unknown,
  allowed: readonly string[],
): void {
  const near = typeof input === "string" ? suggest(input, allowed) : undefined;
  // A long list (signal names) is summarised; the did-you-mean carries the near miss.
  const shown =
    allowed.length > 8
      ? `${allowed.slice(0, 3).map(quote).join(", ")}, …`
      : allowed.map(quote).join(", ");
  report(
    ctx,
    "bad-enum",
    "error",
    path,
    `${formatPath(path)}: ${describe(input)} is not one of ${shown}`,
    near === undefined ? undefined : `Did you mean ${JSON.stringify(near)}?`,
  );
}

/** Checks that a string, when present, is one of `allowed` (an enum the typed model drops). */
export function checkEnum(
  ctx: ObjectContext,
  path: FieldPath,
  value: unknown,
  allowed: readonly string[],
  reported: ReadonlySet<string>,
): boolean {
  if (typeof value !== "string" || allowed.includes(value)) return false;
  if (isUnderReported(path, reported)) return false;
  reportEnum(ctx, path, value, allowed);
  return true;
}

/** Checks that an integer, when present, is within [min, max]; `why` ends the message. */
export function checkRange(
  ctx: ObjectContext,
  path: FieldPath,
  value: unknown,
  bounds: { min: number; max?: number; why?: string },
  reported: ReadonlySet<string>,
): boolean {
  // Integers past 2^53 come from the decoder as bigint: compared exactly.
  if (typeof value !== "number" && typeof value !== "bigint") return false;
  const { min, max, why } = bounds;
  const n = BigInt(
    Number.isInteger(value) || typeof value === "bigint" ? value : Math.trunc(value),
  );
  const inRange =
    typeof value === "number" && !Number.isInteger(value)
      ? value >= min && (max === undefined || value <= max)
      : n >= BigInt(min) && (max === undefined || n <= BigInt(max));
  if (inRange) return false;
  const expected =
    max === undefined
      ? min === 0
        ? "must not be negative"
        : `must be at least ${min}`
      : `must be between ${min} and ${max}`;
  return fail(
    ctx,
    "number-range",
    path,
    `${value} is out of range: ${expected}${why ? ` (${why})` : ""}`,
    reported,
  );
}

/**
 * Reports `duplicate-name` when `key` is already in `seen`, naming where it first was;
 * records it otherwise. `what` describes the key: `port name "http"`.
 */
export function checkUnique(
  ctx: ObjectContext,
  seen: Map<string, FieldPath>,
  key: string,
  path: FieldPath,
  what: string,
  reported: ReadonlySet<string>,
  options: { hint?: string; verb?: string } = {},
): void {
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, path);
    return;
  }
  const detail = `${what} is already ${options.verb ?? "used"} by ${formatPath(first)}`;
  fail(ctx, "duplicate-name", path, detail, reported, options.hint ? { hint: options.hint } : {});
}

/** Whether a field is set: YAML's `field:` and `field: null` are absent, as in Kubernetes. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}
