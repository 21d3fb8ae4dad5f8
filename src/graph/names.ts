/**
 * The one naming scheme of everything kplay creates. In the default namespace a pod is named
 * as `podman kube play` names it (`metadata.name`); in another namespace `<namespace>_<name>`:
 * `_` never occurs in a Kubernetes name, so no two objects can share a Podman name. The pods
 * of workloads are named as their controllers name them on a cluster, with suffixes derived
 * from the workload, not drawn at random, so the names stay the same across re-plays.
 */
import { sha256 } from "./digest.ts";

/** The Podman name of a namespaced object (a pod, a claim's volume). */
export function podmanName(namespace: string, name: string): string {
  return namespace === "default" ? name : `${namespace}_${name}`;
}

/** The Podman secret that holds one key of a Secret. */
export function secretName(namespace: string, secret: string, key: string): string {
  return `${podmanName(namespace, secret)}_${key}`;
}

/** The alphabet Kubernetes draws name suffixes from (no vowels, no look-alikes). */
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** `length` characters of the safe alphabet derived from `parts`. */
export function safeSuffix(length: number, ...parts: readonly (string | number)[]): string {
  const digest = sha256().update(parts.join("\u0000")).digest();
  let out = "";
  for (let i = 0; i < length; i++) out += SAFE[(digest[i] ?? 0) % SAFE.length];
  return out;
}

/**
 * A pod template's hash, as the `pod-template-hash` label carries it: 10 characters, the
 * same for the same template, so a Deployment's pods are renamed only when it changes.
 */
export function templateHash(canonicalTemplate: string): string {
  return safeSuffix(10, "template", canonicalTemplate);
}
