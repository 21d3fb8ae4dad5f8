/**
 * What kplay does with each Kubernetes kind: Pods are played, Lists are flattened, Services are
 * ignored (a Pod's hostPort is how kplay publishes), other real kinds are refused by name.
 */

/** The apiVersion each well-known kind is served at (the current stable group/version). */
export const KNOWN_KINDS: ReadonlyMap<string, readonly string[]> = new Map([
  ["Pod", ["v1"]],
  ["List", ["v1"]],
  ["Service", ["v1"]],
  ["ConfigMap", ["v1"]],
  ["Secret", ["v1"]],
  ["PersistentVolumeClaim", ["v1"]],
  ["PersistentVolume", ["v1"]],
  ["Namespace", ["v1"]],
  ["ServiceAccount", ["v1"]],
  ["ReplicationController", ["v1"]],
  ["Endpoints", ["v1"]],
  ["LimitRange", ["v1"]],
  ["ResourceQuota", ["v1"]],
  ["PodTemplate", ["v1"]],
  ["Deployment", ["apps/v1"]],
  ["DaemonSet", ["apps/v1"]],
  ["StatefulSet", ["apps/v1"]],
  ["ReplicaSet", ["apps/v1"]],
  ["Job", ["batch/v1"]],
  ["CronJob", ["batch/v1"]],
  ["Ingress", ["networking.k8s.io/v1"]],
  ["NetworkPolicy", ["networking.k8s.io/v1"]],
  ["HorizontalPodAutoscaler", ["autoscaling/v2", "autoscaling/v1"]],
  ["PodDisruptionBudget", ["policy/v1"]],
  ["Role", ["rbac.authorization.k8s.io/v1"]],
  ["RoleBinding", ["rbac.authorization.k8s.io/v1"]],
  ["ClusterRole", ["rbac.authorization.k8s.io/v1"]],
  ["ClusterRoleBinding", ["rbac.authorization.k8s.io/v1"]],
  ["StorageClass", ["storage.k8s.io/v1"]],
  ["PriorityClass", ["scheduling.k8s.io/v1"]],
  ["CustomResourceDefinition", ["apiextensions.k8s.io/v1"]],
]);

/** What to do with one object, decided from its `apiVersion` and `kind`. */
export type KindVerdict =
  | { readonly action: "play" | "flatten" | "ignore" | "refuse" }
  | { readonly action: "bad-api-version"; readonly expected: readonly string[] }
  | { readonly action: "unknown" };

/** Decides what kplay does with an object of this apiVersion and kind. */
export function classifyKind(apiVersion: string, kind: string): KindVerdict {
  const versions = KNOWN_KINDS.get(kind);
  if (versions === undefined) return { action: "unknown" };
  if (!versions.includes(apiVersion)) return { action: "bad-api-version", expected: versions };
  if (kind === "Pod") return { action: "play" };
  if (kind === "List") return { action: "flatten" };
  if (kind === "Service") return { action: "ignore" };
  return { action: "refuse" };
}
