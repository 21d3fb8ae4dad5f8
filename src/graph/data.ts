/**
 * The data kinds as Podman resources: every key of every Secret becomes a Podman secret, each
 * claim a Podman volume. A Secret's value is never part of the desired state: a keyed digest
 * stands for it (HMAC-SHA256 under a key kept on this machine, see cli/digest-key.ts), so a
 * changed value is noticed without the value, or a plain hash of it, being written anywhere.
 */

import type { ClaimObject, ObjectRef, SecretObject } from "../manifest/objects.ts";
import { sha256 } from "./digest.ts";
import { podmanName, secretName } from "./names.ts";
import type { ClaimResource, PodInstance, SecretResource } from "./types.ts";

/** The Podman secrets of the input's Secrets, one per key, in input and key order. */
export function secretResources(
  secrets: readonly SecretObject[],
  digestKey: Uint8Array,
): SecretResource[] {
  return secrets.flatMap((s) =>
    Object.keys(s.data)
      .sort()
      .map((key) => ({
        name: secretName(s.ref.namespace, s.ref.name, key),
        secret: s.ref,
        key,
        digest: secretDigest(digestKey, s.ref, key, s.data[key] ?? new Uint8Array()),
        ...((s.data[key]?.length ?? 0) === 0 ? { empty: true as const } : {}),
        lifetime: "shared" as const,
      })),
  );
}

/** The digest that stands for one key's value in plans and labels. */
export function secretDigest(
  digestKey: Uint8Array,
  secret: ObjectRef,
  key: string,
  value: Uint8Array,
): string {
  const mac = sha256(digestKey);
  mac.update(`${secret.namespace}/${secret.name}/${key}\u0000`);
  mac.update(value);
  return `hmac-sha256:${mac.digest("hex").slice(0, 32)}`;
}

/**
 * Every claim the input needs: its PersistentVolumeClaims and every claim a pod mounts (a
 * StatefulSet's per-ordinal claims included), each once. A claim object's spec and
 * annotations go with its volume.
 */
export function claimResources(
  claims: readonly ClaimObject[],
  pods: readonly PodInstance[],
): ClaimResource[] {
  const out = new Map<string, ClaimResource>();
  for (const c of claims) {
    out.set(podmanName(c.ref.namespace, c.ref.name), {
      name: podmanName(c.ref.namespace, c.ref.name),
      claim: c.ref,
      spec: c.spec,
      ...(c.metadata.annotations ? { annotations: c.metadata.annotations } : {}),
      ...(c.metadata.labels ? { labels: c.metadata.labels } : {}),
      lifetime: "kept",
    });
  }
  for (const p of pods) {
    for (const v of p.doc.pod.spec.volumes ?? []) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (claimName === undefined) continue;
      const name = podmanName(p.doc.namespace, claimName);
      if (!out.has(name)) {
        const claim = {
          kind: "PersistentVolumeClaim",
          namespace: p.doc.namespace,
          name: claimName,
        };
        out.set(name, { name, claim, lifetime: "kept" });
      }
    }
  }
  return [...out.values()];
}
