/**
 * Label selectors as Kubernetes evaluates them (apimachinery `LabelSelectorAsSelector`):
 * every `matchLabels` pair and every `matchExpressions` requirement must hold. Also used by
 * Services (which select with a plain map) and by `kplay logs -l`.
 */
import type { LabelSelector } from "./objects.ts";

/** Whether `labels` satisfy `selector`. An empty selector matches everything. */
export function matchesSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = (k: string) => Object.hasOwn(labels, k);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(k) || labels[k] !== v) return false;
  }
  for (const r of selector.matchExpressions ?? []) {
    const value = has(r.key) ? labels[r.key] : undefined;
    const values = r.values ?? [];
    switch (r.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
    }
  }
  return true;
}

/** Whether a selector selects nothing in particular (no labels, no expressions). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** A selector as kubectl prints it: `app=web,tier in (a,b),!debug`. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = `(${(r.values ?? []).join(",")})`;
    if (r.operator === "In") parts.push(`${r.key} in ${values}`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin ${values}`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.join(",");
}
