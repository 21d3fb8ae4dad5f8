/**
 * Lookups in the support table, and the diagnostics for `ignored` and `unsupported` fields.
 */
import { formatPath, type ObjectContext, report } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { own } from "./own.ts";
import { SUPPORT, SUPPORT_KINDS, type SupportEntry, UNSUPPORTED_VOLUME } from "./support-table.ts";

export { SUPPORT, type SupportEntry, type SupportStatus } from "./support-table.ts";

/** The table's entry for `Type.field`; undefined means the field inherits its parent's status. */
export function supportOf(type: string, field: string): SupportEntry | undefined {
  // Asked for every field of every object: the answers are kept per type (the tables are
  // constant), so a field's lookup is one Map.get rather than a key built and looked up twice.
  let fields = supportByType.get(type);
  if (fields === undefined) {
    fields = new Map();
    supportByType.set(type, fields);
  }
  if (fields.has(field)) return fields.get(field);
  const found = lookUpSupport(type, field);
  fields.set(field, found);
  return found;
}

const supportByType = new Map<string, Map<string, SupportEntry | undefined>>();

function lookUpSupport(type: string, field: string): SupportEntry | undefined {
  const entry = own(SUPPORT, `${type}.${field}`) ?? own(SUPPORT_KINDS, `${type}.${field}`);
  if (entry === undefined && type === "Volume") return UNSUPPORTED_VOLUME;
  return entry;
}

/**
 * Reports a field that is `ignored` (a warning) or `unsupported` (an error). Returns whether it
 * reported, so the walk does not repeat itself for the fields below. Empty values
 * (`nodeSelector: {}`, `creationTimestamp: null` from `kubectl get -o yaml`) are not reported.
 */
export function reportSupport(
  ctx: ObjectContext,
  entry: SupportEntry,
  path: FieldPath,
  value: unknown,
): boolean {
  if (entry.status !== "ignored" && entry.status !== "unsupported") return false;
  // An empty value asks for nothing, so there is nothing to ignore or to refuse.
  if (isEmpty(value)) return false;
  const where = formatPath(path);
  if (entry.status === "ignored") {
    report(
      ctx,
      "ignored-field",
      "warning",
      path,
      `${where} is ignored: ${entry.reason ?? "kplay does not use it"}`,
      entry.hint,
      "key",
    );
    return true;
  }
  if (entry.status === "unsupported") {
    report(
      ctx,
      "unsupported-field",
      "error",
      path,
      `${where} is not supported: ${entry.reason ?? "kplay cannot honour it yet"}`,
      entry.hint,
      "key",
    );
    return true;
  }
  return false;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}
