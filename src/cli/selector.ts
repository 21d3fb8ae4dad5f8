/**
 * A label selector as kubectl's `-l` takes it: requirements joined by commas, each
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` or `!k` (apimachinery's
 * labels.Parse). Keys and values are checked as the API server checks labels.
 */
import { checkLabelValue, checkQualifiedName } from "../manifest/names.ts";
import type { LabelSelector } from "../manifest/objects.ts";

type Requirement = NonNullable<LabelSelector["matchExpressions"]>[number];

/** The selector `text` means, or why it means none. */
export function parseSelector(text: string): { selector: LabelSelector } | { error: string } {
  const parts = splitTopLevel(text);
  if (parts.length === 0 || parts.some((p) => p.trim() === ""))
    return { error: `"${text}" is not a label selector: an empty requirement` };
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Requirement[] = [];
  for (const raw of parts) {
    const part = raw.trim();
    const req = parseRequirement(part);
    if ("error" in req) return { error: `"${text}" is not a label selector: ${req.error}` };
    if (req.equals !== undefined) matchLabels[req.key] = req.equals;
    else matchExpressions.push(req.requirement);
  }
  return {
    selector: {
      ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
      ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
    },
  };
}

type Parsed =
  | { key: string; equals: string }
  | { key: string; equals?: undefined; requirement: Requirement }
  | { error: string };

function parseRequirement(part: string): Parsed {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (set) {
    const [, key = "", op, list = ""] = set;
    const values = list.split(",").map((v) => v.trim());
    const bad = checkKey(key) ?? values.map(checkValue).find((p) => p !== undefined);
    if (bad) return { error: bad };
    return { key, requirement: { key, operator: op === "in" ? "In" : "NotIn", values } };
  }
  const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (cmp) {
    const [, key = "", op, value = ""] = cmp;
    const bad = checkKey(key) ?? checkValue(value);
    if (bad) return { error: bad };
    // `k!=v` also holds where there is no k, as NotIn does.
    if (op === "!=") return { key, requirement: { key, operator: "NotIn", values: [value] } };
    return { key, equals: value };
  }
  const exists = /^(!?)([^=!\s()]+)$/.exec(part);
  if (exists) {
    const [, not, key = ""] = exists;
    const bad = checkKey(key);
    if (bad) return { error: bad };
    return { key, requirement: { key, operator: not ? "DoesNotExist" : "Exists" } };
  }
  return { error: `cannot read "${part}" (write k=v, k!=v, k in (a,b), k notin (a,b), k or !k)` };
}

function checkKey(key: string): string | undefined {
  const problem = checkQualifiedName(key);
  return problem === undefined ? undefined : `the key "${key}" is not valid: ${problem}`;
}

function checkValue(value: string): string | undefined {
  const problem = checkLabelValue(value);
  return problem === undefined ? undefined : `the value "${value}" is not valid: ${problem}`;
}

/** Splits on the commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
