/**
 * The typed model the manifest stage hands to the planner: a validated Pod, with Kubernetes
 * field names exactly as Kubernetes spells them, plus a way back to the source text.
 *
 * Only fields kplay acts on are typed here; everything else that Kubernetes allows was
 * already reported by validation (as ignored or unsupported) and is not carried on.
 */
import type { Span } from "../diagnostics/diagnostic.ts";

export type FieldPath = readonly (string | number)[];

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: EnvVarSource;
}

export interface EnvVarSource {
  fieldRef?: { fieldPath: string; apiVersion?: string };
  resourceFieldRef?: { resource: string; containerName?: string; divisor?: string | number };
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  secretKeyRef?: { name: string; key: string; optional?: boolean };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: "None" | "HostToContainer" | "Bidirectional";
}

export interface ResourceRequirements {
  limits?: Record<string, string | number>;
  requests?: Record<string, string | number>;
}

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

export interface SeccompProfile {
  type: "RuntimeDefault" | "Unconfined" | "Localhost";
  localhostProfile?: string;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: Capabilities;
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: SeccompProfile;
  procMount?: "Default" | "Unmasked";
}

export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  supplementalGroups?: number[];
  fsGroup?: number;
  seLinuxOptions?: SELinuxOptions;
  seccompProfile?: SeccompProfile;
  sysctls?: { name: string; value: string }[];
}

export interface ExecAction {
  command: string[];
}
export interface HTTPGetAction {
  path?: string;
  port: number | string;
  host?: string;
  scheme?: "HTTP" | "HTTPS";
  httpHeaders?: { name: string; value: string }[];
}
export interface TCPSocketAction {
  port: number | string;
  host?: string;
}
export interface GRPCAction {
  port: number;
  service?: string;
}

export interface Probe {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  grpc?: GRPCAction;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export interface Lifecycle {
  stopSignal?: string;
  postStart?: unknown;
  preStop?: unknown;
}

export type PullPolicy = "Always" | "IfNotPresent" | "Never";

export interface Container {
  name: string;
  image: string;
  /** Only on init containers: Always makes it a sidecar. */
  restartPolicy?: "Always";
  imagePullPolicy?: PullPolicy;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
  resources?: ResourceRequirements;
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: Lifecycle;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
}

export type HostPathType =
  | ""
  | "DirectoryOrCreate"
  | "Directory"
  | "FileOrCreate"
  | "File"
  | "Socket"
  | "CharDevice"
  | "BlockDevice";

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: HostPathType };
  emptyDir?: { medium?: "" | "Memory"; sizeLimit?: string | number };
  configMap?: {
    name: string;
    items?: { key: string; path: string; mode?: number }[];
    defaultMode?: number;
    optional?: boolean;
  };
  secret?: {
    secretName: string;
    items?: { key: string; path: string; mode?: number }[];
    defaultMode?: number;
    optional?: boolean;
  };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  downwardAPI?: { items?: DownwardAPIFile[]; defaultMode?: number };
  projected?: { sources?: VolumeProjection[]; defaultMode?: number };
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** One file of a downwardAPI volume (or projection): a field of the pod or a resource value. */
export interface DownwardAPIFile {
  path: string;
  fieldRef?: { fieldPath: string; apiVersion?: string };
  resourceFieldRef?: { resource: string; containerName?: string; divisor?: string | number };
  mode?: number;
}

/** One source of a projected volume. */
export interface VolumeProjection {
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardAPIFile[] };
  serviceAccountToken?: unknown;
  clusterTrustBundle?: unknown;
  podCertificate?: unknown;
}

export interface HostAlias {
  ip: string;
  hostnames?: string[];
}

export interface PodDNSConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: RestartPolicy;
  activeDeadlineSeconds?: number;
  imagePullSecrets?: { name?: string }[];
  hostname?: string;
  subdomain?: string;
  /** Services' env vars (`WEB_SERVICE_HOST`, …) in every container; default true. */
  enableServiceLinks?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  shareProcessNamespace?: boolean;
  hostAliases?: HostAlias[];
  dnsPolicy?: "ClusterFirst" | "ClusterFirstWithHostNet" | "Default" | "None";
  dnsConfig?: PodDNSConfig;
  securityContext?: PodSecurityContext;
  terminationGracePeriodSeconds?: number;
}

export interface Pod {
  apiVersion: "v1";
  kind: "Pod";
  metadata: ObjectMeta;
  spec: PodSpec;
}

/** A validated Pod and where it came from. */
export interface PodDocument {
  readonly pod: Pod;
  /** The pod's namespace: its own, else the command's default (`default` unless `-n`). */
  readonly namespace: string;
  /** The file name as shown in diagnostics. */
  readonly file: string;
  /** The folder relative hostPaths resolve against (absolute). */
  readonly dir: string;
  /** 0-based index of the YAML document within its file. */
  readonly documentIndex: number;
  /** The pod's place among all objects of the input (files, documents, List items). */
  readonly position?: number;
  /** Finds the source span of a field path inside this document (`["spec","containers",0]`). */
  readonly locate: (path: FieldPath) => Span | undefined;
}
