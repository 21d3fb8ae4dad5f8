/**
 * Selectors as the API server checks them: label maps (keys qualified names, values label
 * values), label selectors (matchLabels, matchExpressions) and node selector requirements,
 * whose operator decides how many values they take.
 */
import { checkEnum, fail, isSet } from "./check.ts";
import { type Anchor, list, mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Subdomain, checkLabelValue, checkQualifiedName } from "./names.ts";

/**
 * Reports a label key (qualified name) that breaks its syntax; returns whether it did. `anchor`
 * is "key" when the label key is a mapping's key (nodeSelector), "value" for a `key:` field.
 */
export function checkLabelKey(
  ctx: ObjectContext,
  path: FieldPath,
  key: unknown,
  what: string,
  reported: ReadonlySet<string>,
  anchor: Anchor = "value",
): boolean {
  if (typeof key !== "string") return false;
  const problem = checkQualifiedName(key);
  if (problem === undefined) return false;
  const detail = `${what} ${quote(key)} is not valid: ${problem}`;
  return fail(ctx, "bad-label", path, detail, reported, { anchor });
}

/** Reports a label value that breaks its syntax. */
export function checkLabelValueAt(
  ctx: ObjectContext,
  path: FieldPath,
  value: unknown,
  what: string,
  reported: ReadonlySet<string>,
): void {
  if (typeof value !== "string") return;
  const problem = checkLabelValue(value);
  if (problem !== undefined)
    fail(ctx, "bad-label", path, `${what} ${quote(value)} is not valid: ${problem}`, reported);
}

/** Checks a map of labels (`nodeSelector`, `matchLabels`): keys and values. */
export function checkLabelMap(
  ctx: ObjectContext,
  labels: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const path = [...at, key];
    if (checkLabelKey(ctx, path, key, "label key", reported, "key")) continue;
    checkLabelValueAt(ctx, path, value, "label value", reported);
  }
}

const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;
const NODE_OPERATORS = [...SELECTOR_OPERATORS, "Gt", "Lt"] as const;

/** Checks a label selector (pod affinity terms, topology spread constraints). */
export function checkLabelSelector(
  ctx: ObjectContext,
  selector: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  if (selector === undefined) return;
  checkLabelMap(ctx, mapping(selector.matchLabels), [...at, "matchLabels"], reported);
  list(selector.matchExpressions).forEach((e, i) => {
    checkRequirement(
      ctx,
      mapping(e),
      [...at, "matchExpressions", i],
      SELECTOR_OPERATORS,
      true,
      reported,
    );
  });
}

/**
 * Checks a node selector requirement (`matchExpressions` of a node selector term); the values
 * of a required term must be label values, those of a preferred one need not be.
 */
export function checkNodeRequirement(
  ctx: ObjectContext,
  requirement: Record<string, unknown> | undefined,
  at: FieldPath,
  checkValues: boolean,
  reported: ReadonlySet<string>,
): void {
  checkRequirement(ctx, requirement, at, NODE_OPERATORS, checkValues, reported);
}

/** Checks a node field selector requirement (`matchFields`): only metadata.name, In or NotIn, one value. */
export function checkFieldRequirement(
  ctx: ObjectContext,
  requirement: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  if (requirement === undefined) return;
  const { key, operator } = requirement;
  const values = list(requirement.values);
  const badOperator = checkEnum(ctx, [...at, "operator"], operator, ["In", "NotIn"], reported);
  if (!badOperator && values.length !== 1) {
    fail(
      ctx,
      "bad-selector",
      [...at, "values"],
      `must list exactly one value for a node field selector (${values.length} are given)`,
      reported,
      { anchor: "key" },
    );
  }
  if (typeof key === "string" && key !== "metadata.name") {
    fail(
      ctx,
      "bad-selector",
      [...at, "key"],
      `${quote(key)} is not a valid field selector key: the only one is "metadata.name"`,
      reported,
    );
    return;
  }
  values.forEach((v, i) => {
    if (typeof v !== "string") return;
    const problem = checkDns1123Subdomain(v);
    if (problem !== undefined)
      fail(
        ctx,
        "bad-name",
        [...at, "values", i],
        `${quote(v)} is not a valid node name (a DNS-1123 subdomain): ${problem}`,
        reported,
      );
  });
}

function checkRequirement(
  ctx: ObjectContext,
  requirement: Record<string, unknown> | undefined,
  at: FieldPath,
  operators: readonly string[],
  checkValues: boolean,
  reported: ReadonlySet<string>,
): void {
  if (requirement === undefined) return;
  const { key, operator } = requirement;
  const values = list(requirement.values);
  const valuesPath = [...at, "values"];
  if (!checkEnum(ctx, [...at, "operator"], operator, operators, reported)) {
    const many = values.length > 0;
    if ((operator === "In" || operator === "NotIn") && !many)
      fail(
        ctx,
        "bad-selector",
        isSet(requirement.values) ? valuesPath : [...at, "operator"],
        `values must be given when operator is ${quote(operator)}`,
        reported,
        { anchor: "key" },
      );
    if ((operator === "Exists" || operator === "DoesNotExist") && many)
      fail(
        ctx,
        "bad-selector",
        valuesPath,
        `may not be given when operator is ${quote(operator)}`,
        reported,
        { anchor: "key" },
      );
    if ((operator === "Gt" || operator === "Lt") && values.length !== 1)
      fail(
        ctx,
        "bad-selector",
        isSet(requirement.values) ? valuesPath : [...at, "operator"],
        `exactly one value must be given when operator is ${quote(operator)} (${values.length} are given)`,
        reported,
        { anchor: "key" },
      );
  }
  checkLabelKey(ctx, [...at, "key"], key, "label key", reported);
  if (!checkValues) return;
  values.forEach((v, i) => {
    checkLabelValueAt(ctx, [...valuesPath, i], v, "label value", reported);
  });
}
