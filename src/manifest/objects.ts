/**
 * The typed objects the manifest stage hands on besides Pods: workloads with their pod
 * templates, and the ConfigMaps, Secrets and PersistentVolumeClaims pods read. Field names
 * are Kubernetes'. A Kubernetes object's identity is `(kind, namespace, name)`.
 */
import type { Span } from "../diagnostics/diagnostic.ts";
import type { DataKind, WorkloadKind } from "./kinds.ts";
import type { FieldPath, PodSpec } from "./model.ts";

/** Who an object is: the key of everything kplay makes for it. */
export interface ObjectRef {
  readonly kind: string;
  /** `default` unless the manifest or `-n` says otherwise. */
  readonly namespace: string;
  readonly name: string;
}

/** Where an object came from, and how to point back into it. */
export interface ObjectSource {
  /** The file name as shown in diagnostics. */
  readonly file: string;
  /** The folder relative hostPaths resolve against (absolute). */
  readonly dir: string;
  /** 0-based index of the YAML document within its file. */
  readonly documentIndex: number;
  /** The object's place among all objects of the input (files, documents, List items). */
  readonly position?: number;
  /** Finds the source span of a field path relative to the object. */
  readonly locate: (path: FieldPath) => Span | undefined;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A pod template: what a workload's pods are made from. */
export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface RollingUpdate {
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  /** StatefulSet: ordinals below this are not updated. */
  partition?: number;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplate;
  strategy?: { type?: "Recreate" | "RollingUpdate"; rollingUpdate?: RollingUpdate };
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export interface ReplicaSetSpec {
  replicas?: number;
  /** ReplicationController: a plain map, defaulted to the template's labels. */
  selector?: LabelSelector;
  template: PodTemplate;
  minReadySeconds?: number;
}

export interface ClaimTemplate {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: ClaimSpec;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector: LabelSelector;
  serviceName?: string;
  template: PodTemplate;
  volumeClaimTemplates?: ClaimTemplate[];
  podManagementPolicy?: "OrderedReady" | "Parallel";
  updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: RollingUpdate };
  minReadySeconds?: number;
  ordinals?: { start?: number };
}

export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplate;
  updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: RollingUpdate };
  minReadySeconds?: number;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: "NonIndexed" | "Indexed";
  suspend?: boolean;
  template: PodTemplate;
}

export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  suspend?: boolean;
  jobTemplate: { metadata?: { labels?: Record<string, string> }; spec: JobSpec };
}

/** The spec of each workload kind. */
export interface WorkloadSpecs {
  Deployment: DeploymentSpec;
  ReplicaSet: ReplicaSetSpec;
  ReplicationController: ReplicaSetSpec;
  StatefulSet: StatefulSetSpec;
  DaemonSet: DaemonSetSpec;
  Job: JobSpec;
  CronJob: CronJobSpec;
}

/** Metadata kplay reads on every object. */
export interface ObjectMeta {
  name: string;
  /** Set instead of `name` by `kubectl create`-style manifests (common on Jobs). */
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ClaimSpec {
  accessModes?: string[];
  resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  storageClassName?: string;
  volumeMode?: string;
}

/** A validated workload (Deployment, ..., CronJob). */
export interface WorkloadObject<K extends WorkloadKind = WorkloadKind> {
  readonly kind: K;
  readonly ref: ObjectRef;
  readonly metadata: ObjectMeta;
  readonly spec: WorkloadSpecs[K];
  readonly source: ObjectSource;
}

/** A validated ConfigMap: its text and binary keys. */
export interface ConfigMapObject {
  readonly kind: "ConfigMap";
  readonly ref: ObjectRef;
  readonly metadata: ObjectMeta;
  readonly data: Readonly<Record<string, string>>;
  readonly binaryData: Readonly<Record<string, Uint8Array>>;
  readonly source: ObjectSource;
}

/**
 * A validated Secret: every key's bytes (`data` decoded from base64, `stringData` merged over
 * it as the API server does). Its values never leave memory except into Podman's secrets.
 */
export interface SecretObject {
  readonly kind: "Secret";
  readonly ref: ObjectRef;
  readonly metadata: ObjectMeta;
  readonly type: string;
  readonly data: Readonly<Record<string, Uint8Array>>;
  readonly source: ObjectSource;
}

/** A validated PersistentVolumeClaim. */
export interface ClaimObject {
  readonly kind: "PersistentVolumeClaim";
  readonly ref: ObjectRef;
  readonly metadata: ObjectMeta;
  readonly spec: ClaimSpec;
  readonly source: ObjectSource;
}

export interface ServicePort {
  name?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
  appProtocol?: string;
  port: number;
  /** A number, or the name of a container port of the selected pods; unset: `port`. */
  targetPort?: number | string;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  externalName?: string;
  sessionAffinity?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  publishNotReadyAddresses?: boolean;
}

/** A validated Service: the pods it selects get its names and ports (graph/services.ts). */
export interface ServiceObject {
  readonly kind: "Service";
  readonly ref: ObjectRef;
  readonly metadata: ObjectMeta;
  readonly spec: ServiceSpec;
  readonly source: ObjectSource;
}

/** Every non-Pod object kplay acts on. */
export type KubeObject =
  | WorkloadObject
  | ConfigMapObject
  | SecretObject
  | ClaimObject
  | ServiceObject;

/** Compile-time check that every data kind has a typed object. */
export type DataObject = Extract<KubeObject, { kind: DataKind }>;
