/** Stable identities for objects that have none of their own on one host. */
import { stableUuid } from "./hash.ts";

/** The `metadata.uid` of a non-Pod object: derived from its kind, namespace and name. */
export function stableUid(kind: string, namespace: string, name: string): string {
  return stableUuid(`kplay/${kind}/${namespace}/${name}`);
}
