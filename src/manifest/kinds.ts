/**
 * What kplay does with each Kubernetes kind: Pods and workloads are played, ConfigMaps,
 * Secrets and PersistentVolumeClaims feed them, Lists are flattened, Services give pods their
 * names and ports (manifest/service.ts, graph/services.ts), cluster-only kinds and custom resources are validated as far
 * as their schema is known and then ignored with a warning.
 */
import { K8S_ROOTS } from "./k8s-fields.generated.ts";
import { own } from "./own.ts";

/** The kinds whose pods kplay creates. */
export const WORKLOAD_KINDS = [
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** The kinds that hold data other objects read. */
export const DATA_KINDS = ["ConfigMap", "Secret", "PersistentVolumeClaim"] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Kinds a cluster has and one host does not need: validated, then ignored with a warning. */
const CLUSTER_ONLY: ReadonlySet<string> = new Set([
  "Namespace",
  "ServiceAccount",
  "Endpoints",
  "LimitRange",
  "ResourceQuota",
  "PersistentVolume",
  "PodTemplate",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
  "PodDisruptionBudget",
  "HorizontalPodAutoscaler",
  "NetworkPolicy",
  "Ingress",
  "IngressClass",
  "PriorityClass",
  "StorageClass",
  "CustomResourceDefinition",
  "APIService",
]);

/** Kinds without a namespace: their `metadata.namespace` is not theirs to have. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "Namespace",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "IngressClass",
  "PriorityClass",
  "StorageClass",
  "CustomResourceDefinition",
  "APIService",
]);

/**
 * The API groups Kubernetes serves itself. A kind kplay does not know in one of these is a
 * mistake (an error); in any other group it is a custom resource (ignored, with a warning).
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  "",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "extensions",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "admissionregistration.k8s.io",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "node.k8s.io",
  "resource.k8s.io",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "internal.apiserver.k8s.io",
  "storagemigration.k8s.io",
]);

/** The apiVersions each known kind is served at, from the generated field tables. */
export const KNOWN_KINDS: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>([["List", ["v1"]]]);
  for (const key of Object.keys(K8S_ROOTS)) {
    const [version, kind] = key.split(" ") as [string, string];
    out.set(kind, [...(out.get(kind) ?? []), version]);
  }
  return out;
})();

/** What to do with one object, decided from its `apiVersion` and `kind`. */
export type KindVerdict =
  | { readonly action: "pod" | "list" | "service"; readonly type: string }
  | { readonly action: "workload"; readonly kind: WorkloadKind; readonly type: string }
  | { readonly action: "data"; readonly kind: DataKind; readonly type: string }
  | { readonly action: "cluster-only"; readonly type: string }
  | { readonly action: "custom-resource" }
  | { readonly action: "bad-api-version"; readonly expected: readonly string[] }
  | { readonly action: "unknown" };

/** Decides what kplay does with an object of this apiVersion and kind. */
export function classifyKind(apiVersion: string, kind: string): KindVerdict {
  if (kind === "List") {
    return apiVersion === "v1"
      ? { action: "list", type: "List" }
      : { action: "bad-api-version", expected: ["v1"] };
  }
  const type = own(K8S_ROOTS, `${apiVersion} ${kind}`);
  if (type === undefined) {
    const versions = KNOWN_KINDS.get(kind);
    if (versions !== undefined) return { action: "bad-api-version", expected: versions };
    return BUILT_IN_GROUPS.has(groupOf(apiVersion))
      ? { action: "unknown" }
      : { action: "custom-resource" };
  }
  if (kind === "Pod") return { action: "pod", type };
  if (kind === "Service") return { action: "service", type };
  const workload = WORKLOAD_KINDS.find((k) => k === kind);
  if (workload) return { action: "workload", kind: workload, type };
  const data = DATA_KINDS.find((k) => k === kind);
  if (data) return { action: "data", kind: data, type };
  if (CLUSTER_ONLY.has(kind)) return { action: "cluster-only", type };
  return { action: "unknown" };
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
