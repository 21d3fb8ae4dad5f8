/**
 * The structural check against the real Kubernetes API (k8s-fields.generated.ts): unknown
 * fields (with did-you-mean and misplaced-field hints), value types, required fields, quantity
 * syntax, and the support table's verdict on every field. It walks the plain value, so it sees
 * every field, including the ones the typed model drops.
 */
import {
  formatPath,
  isMapping,
  type ObjectContext,
  quote,
  report,
  reportMissing,
} from "./context.ts";
import { K8S_TYPES } from "./k8s-fields.generated.ts";
import { MAX_NESTING_DEPTH } from "./limits.ts";
import type { FieldPath } from "./model.ts";
import { own } from "./own.ts";
import { placementOf } from "./placement.ts";
import { suggest } from "./suggest.ts";
import { reportSupport, supportOf } from "./support.ts";
import { checkScalar, mismatch } from "./value-types.ts";

/**
 * Checks an object's fields against its Kubernetes type (`Pod`, `Deployment`, ...); adds the
 * path of each value found wrong to `reported`.
 */
export function checkFields(
  ctx: ObjectContext,
  object: Record<string, unknown>,
  reported: Set<string>,
  type = "Pod",
): void {
  walk(ctx, type, object, [], reported, false);
}

/**
 * `path` is one array for the whole walk: a step is pushed before a child is walked and popped
 * after it (a 1000-pod file has ~50 000 fields; a copy of the path for each cost more than the
 * check itself). Everything that reports formats or copies the path at once and keeps none.
 */
function walk(
  ctx: ObjectContext,
  type: string,
  value: unknown,
  path: (string | number)[],
  reported: Set<string>,
  quiet: boolean,
): void {
  if (value === null || value === undefined) return;
  // Aliases can nest a value deeper than its text does; stay far from the stack limit.
  if (path.length > 2 * MAX_NESTING_DEPTH) {
    mismatch(ctx, path, "a shallower value", value, reported);
    return;
  }
  const head = type.charCodeAt(0);
  if (head === 91 /* [ */ && type.charCodeAt(1) === 93 /* ] */) {
    if (!Array.isArray(value)) {
      mismatch(ctx, path, "a list", value, reported);
      return;
    }
    const itemType = type.slice(2);
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(ctx, itemType, value[i], path, reported, quiet);
      path.pop();
    }
    return;
  }
  if (head === 123 /* { */ && type.charCodeAt(1) === 125 /* } */) {
    if (!isMapping(value)) {
      mismatch(ctx, path, "a mapping", value, reported);
      return;
    }
    const itemType = type.slice(2);
    for (const k of Object.keys(value)) {
      path.push(k);
      walk(ctx, itemType, value[k], path, reported, quiet);
      path.pop();
    }
    return;
  }
  if (checkScalar(ctx, type, value, path, reported)) return;
  const spec = own(K8S_TYPES, type);
  if (spec === undefined) return;
  if (!isMapping(value)) {
    mismatch(ctx, path, "a mapping", value, reported);
    return;
  }
  for (const key of Object.keys(value)) {
    const child = value[key];
    const childType = own(spec.fields, key);
    if (childType === undefined) {
      unknownField(ctx, type, key, path, reported);
      continue;
    }
    const entry = quiet ? undefined : supportOf(type, key);
    path.push(key);
    const told = entry !== undefined && reportSupport(ctx, entry, path, child);
    const below =
      quiet ||
      told ||
      (entry !== undefined && entry.status !== "supported" && entry.status !== "partial");
    walk(ctx, childType, child, path, reported, below);
    path.pop();
  }
  for (const key of spec.required) {
    const present = own(value, key);
    if (present === undefined || present === null) {
      reported.add(formatPath([...path, key]));
      reportMissing(ctx, [...path, key]);
    }
  }
}

function unknownField(
  ctx: ObjectContext,
  type: string,
  key: string,
  path: FieldPath,
  reported: Set<string>,
): void {
  const where = [...path, key];
  reported.add(formatPath(where));
  const placement = placementOf(key);
  const near = suggest(key, Object.keys(own(K8S_TYPES, type)?.fields ?? {}));
  const hint =
    placement === ""
      ? `${key} belongs at the top level of the object`
      : placement !== undefined
        ? `${key} belongs under ${placement}`
        : near !== undefined
          ? `Did you mean ${quote(near)}?`
          : undefined;
  report(
    ctx,
    "unknown-field",
    "error",
    where,
    `Unknown field ${quote(formatPath(where))}`,
    hint,
    "key",
  );
}
