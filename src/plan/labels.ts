/** Labels kplay puts on what it creates; `ps`, `down` and converge find objects by them. */
export const LABEL_MANAGED = "io.kplay.managed";
export const LABEL_POD = "io.kplay.pod";
export const LABEL_POD_HASH = "io.kplay.pod-hash";
export const LABEL_CONTAINER_HASH = "io.kplay.container-hash";
export const LABEL_CONTAINER = "io.kplay.container";
export const LABEL_GRACE = "io.kplay.grace-period";
/** "true" on init containers, so converge can tell them apart from app containers. */
export const LABEL_INIT = "io.kplay.init";
/**
 * On a Podman volume kplay created for a PersistentVolumeClaim: the claim's name. Such a
 * volume outlives the pods that mount it; only `down --volumes` removes it.
 */
export const LABEL_CLAIM = "io.kplay.claim";
/** A claim's requested size and access modes, recorded on its volume (Podman enforces neither). */
export const LABEL_CLAIM_SIZE = "io.kplay.claim-size";
export const LABEL_CLAIM_ACCESS = "io.kplay.claim-access-modes";
/** "true" on sidecars (init containers with restartPolicy Always), which stop last. */
export const LABEL_SIDECAR = "io.kplay.sidecar";
/** "true" on kplay's Service port proxy (plan/proxy.ts), which `ps` does not count. */
export const LABEL_PROXY = "io.kplay.proxy";
/** A container's preStop hook (JSON of a HookHandler), run by whatever stops it. */
export const LABEL_PRESTOP = "io.kplay.pre-stop";
/** The readiness probe (JSON of a PlannedProbe), so `ps` can tell ready from running. */
export const LABEL_READINESS = "io.kplay.readiness";
/** The Kubernetes namespace of what kplay made for an object. */
export const LABEL_NAMESPACE = "io.kplay.namespace";
/** The object that wants a pod (`deployment/web`, `pod/db`), within its namespace. */
export const LABEL_OWNER = "io.kplay.owner";
/** A pod's place among its owner's pods (replica slot, StatefulSet ordinal, Job index). */
export const LABEL_SLOT = "io.kplay.slot";
/** The hash of the pod template a workload's pod was made from. */
export const LABEL_TEMPLATE = "io.kplay.template-hash";
/**
 * On the pods of an object named by `metadata.generateName`: the prefix, so `down FILE` finds
 * every object a play of the file generated (a fresh name each play, as `kubectl create`).
 */
export const LABEL_GENERATE_NAME = "io.kplay.generate-name";
/** A Job pod's attempt at its completion. */
export const LABEL_ATTEMPT = "io.kplay.attempt";
/** On a Podman secret: the Secret (`namespace/name`) and key it holds, and its digest. */
export const LABEL_SECRET = "io.kplay.secret";
export const LABEL_SECRET_KEY = "io.kplay.secret-key";
export const LABEL_DIGEST = "io.kplay.digest";
/** On a pod volume filled from ConfigMaps and the downward API: what it projects. */
export const LABEL_PROJECTION = "io.kplay.projection";

/** An owner as its label says it: `deployment/web`. */
export function ownerLabel(owner: { readonly kind: string; readonly name: string }): string {
  return `${owner.kind.toLowerCase()}/${owner.name}`;
}

/** The Kubernetes container name kplay put on a container it made, if it made it. */
export function kplayContainer(c: {
  readonly Labels?: Readonly<Record<string, string>> | null;
}): string | undefined {
  return c.Labels?.[LABEL_CONTAINER];
}

export { hashJson, stableStringify } from "../graph/hash.ts";
