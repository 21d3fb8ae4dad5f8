/**
 * Scalar values against their Kubernetes type (string, integer, boolean, quantity, …), and the
 * `type-mismatch` diagnostic with its hint to quote what the user meant as a string.
 */
import { describe, formatPath, type ObjectContext, report, sourceOf } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { parseQuantity } from "./quantity.ts";

/** Checks a scalar type; returns false if `type` names an object type instead. */
export function checkScalar(
  ctx: ObjectContext,
  type: string,
  value: unknown,
  path: FieldPath,
  reported: Set<string>,
): boolean {
  switch (type) {
    case "string":
    case "time":
      if (typeof value !== "string") mismatch(ctx, path, "a string", value, reported);
      return true;
    case "int32":
    case "int64":
      checkInteger(ctx, type, value, path, reported);
      return true;
    case "number":
      if (typeof value !== "number") mismatch(ctx, path, "a number", value, reported);
      return true;
    case "boolean":
      if (typeof value !== "boolean")
        mismatch(ctx, path, "a boolean (true or false)", value, reported);
      return true;
    case "int-or-string":
      if (typeof value !== "string" && !Number.isInteger(value) && typeof value !== "bigint")
        mismatch(ctx, path, "an integer or a string", value, reported);
      return true;
    case "quantity":
      checkQuantity(ctx, value, path, reported);
      return true;
    case "any":
      return true;
    default:
      return false;
  }
}

/**
 * The API server decodes JSON into Go's int32 and int64: a number its field cannot hold is
 * refused before any rule runs. A double cannot hold int64's bounds exactly, so a written
 * decimal integer is compared exactly.
 */
const INTEGER_LIMITS = {
  int32: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
} as const;

function checkInteger(
  ctx: ObjectContext,
  type: keyof typeof INTEGER_LIMITS,
  value: unknown,
  path: FieldPath,
  reported: Set<string>,
): void {
  // The decoder gives integers past 2^53 as bigint, so every comparison here is exact.
  if (typeof value !== "bigint" && (typeof value !== "number" || !Number.isInteger(value))) {
    mismatch(ctx, path, "an integer", value, reported);
    return;
  }
  // The common case without a BigInt: a double holds every integer of int32 exactly, and
  // every safe integer fits in an int64.
  if (typeof value === "number") {
    if (
      type === "int32" ? value >= -2147483648 && value <= 2147483647 : Number.isSafeInteger(value)
    )
      return;
  }
  const { min, max } = INTEGER_LIMITS[type];
  const exact = BigInt(value);
  if (exact >= min && exact <= max) return;
  const written = sourceOf(ctx, path);
  reported.add(formatPath(path));
  report(
    ctx,
    "number-range",
    "error",
    path,
    `${formatPath(path)}: ${written ?? String(value)} does not fit in an ${type} (${min} to ${max})`,
  );
}

function checkQuantity(
  ctx: ObjectContext,
  value: unknown,
  path: FieldPath,
  reported: Set<string>,
): void {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
    mismatch(ctx, path, 'a quantity such as "500m" or "1Gi"', value, reported);
    return;
  }
  const parsed = parseQuantity(typeof value === "bigint" ? value.toString() : value);
  if (parsed.ok) return;
  reported.add(formatPath(path));
  const hint = "Quantities are a number with an optional suffix: 250m, 0.5, 128Mi, 1G, 1e3";
  report(
    ctx,
    "bad-quantity",
    "error",
    path,
    `${formatPath(path)}: ${describe(value)} is not a valid quantity: ${parsed.reason}`,
    hint,
  );
}

/** Reports a value of the wrong type and marks its path as reported (see reportMismatch). */
export function mismatch(
  ctx: ObjectContext,
  path: FieldPath,
  expected: string,
  value: unknown,
  reported: Set<string>,
): void {
  reported.add(formatPath(path));
  reportMismatch(ctx, path, expected, value);
}

/** Reports a value of the wrong type, with a hint to quote numbers and booleans meant as strings. */
export function reportMismatch(
  ctx: ObjectContext,
  path: FieldPath,
  expected: string,
  value: unknown,
): void {
  const hint = expected === "a string" ? quoteHint(ctx, path, value) : undefined;
  report(
    ctx,
    "type-mismatch",
    "error",
    path,
    `${formatPath(path)}: expected ${expected}, got ${describe(value)}`,
    hint,
  );
}

/** The hint for a number or boolean where a string belongs: quote what the user wrote. */
export function quoteHint(ctx: ObjectContext, path: FieldPath, value: unknown): string | undefined {
  if (typeof value !== "number" && typeof value !== "boolean") return undefined;
  const written = sourceOf(ctx, path) ?? String(value);
  const plain = written.replace(/^["']|["']$/g, "");
  // YAML 1.1, which Kubernetes reads, makes yes/no/on/off booleans: say so, it surprises people.
  const why =
    typeof value === "boolean" && plain !== "true" && plain !== "false"
      ? `YAML reads ${plain} as a boolean; q`
      : "Q";
  return `${why}uote the value to make it a string: ${JSON.stringify(plain)}`;
}
