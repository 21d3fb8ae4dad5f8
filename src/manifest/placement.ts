/**
 * Where a field belongs, for the "misplaced field" hint (`restartPolicy` under `metadata` ->
 * "restartPolicy belongs under spec"): the shallowest place in a Pod that declares it.
 */
import { K8S_TYPES } from "./k8s-fields.generated.ts";

/** How deep below the Pod to look: far enough for container fields, near enough to stay useful. */
const MAX_LEVEL = 3;
let index: Map<string, string> | undefined;

/**
 * Returns the path a field name belongs under (`spec`, `spec.containers[]`, or `""` for the top
 * level of the object), if it is well known.
 */
export function placementOf(field: string): string | undefined {
  index ??= buildIndex();
  return index.get(field);
}

function buildIndex(): Map<string, string> {
  const found = new Map<string, string>();
  let level: [string, string][] = [["Pod", ""]];
  for (let depth = 0; depth < MAX_LEVEL && level.length > 0; depth++) {
    const next: [string, string][] = [];
    for (const [type, at] of level) {
      for (const [field, fieldType] of Object.entries(K8S_TYPES[type]?.fields ?? {})) {
        // `name` and its like are everywhere; a hint about them would mislead.
        if (!found.has(field)) found.set(field, at);
        if (field === "status") continue;
        const list = fieldType.startsWith("[]");
        const target = fieldType.replace(/^(\[\]|\{\})/, "");
        if (K8S_TYPES[target] !== undefined)
          next.push([target, `${at === "" ? "" : `${at}.`}${field}${list ? "[]" : ""}`]);
      }
    }
    level = next;
  }
  for (const everywhere of ["name", "kind", "apiVersion", "type", "value", "items", "path"])
    found.delete(everywhere);
  return found;
}
