/**
 * The desired state: what every Kubernetes object of the input becomes on Podman, as
 * resources with an identity, an owner, a lifetime and their dependencies. Built by a pure
 * function (index.ts) from validated objects; planned (plan/) and carried out (apply/).
 */
import type { PodDocument } from "../manifest/model.ts";
import type {
  ClaimObject,
  ClaimSpec,
  ConfigMapObject,
  ObjectRef,
  ObjectSource,
} from "../manifest/objects.ts";

/**
 * How long a resource lives: `owned` goes with its owner (a pod's emptyDir), `shared` goes
 * when no object of the input uses it any more (a Secret's Podman secrets), `kept` outlives
 * everything but `down --volumes` (a claim's volume).
 */
export type Lifetime = "owned" | "shared" | "kept";

/** A pod ready to plan: its manifest form and the name of the Podman pod it becomes. */
export interface NamedPodDocument extends PodDocument {
  /** The Podman pod's name (names.ts): the pod's name, prefixed outside `default`. */
  readonly name: string;
}

/** One pod to exist, and who wants it. */
export interface PodInstance {
  /** The pod, named and labelled as its controller names it; planned by plan/planPod. */
  readonly doc: NamedPodDocument;
  /** The Kubernetes object that wants it: the Pod itself, or its workload. */
  readonly owner: ObjectRef;
  /** Its place among its owner's pods: replica slot, StatefulSet ordinal, Job index. */
  readonly slot: number;
  /** The hash of the pod template it was made from (workloads only). */
  readonly templateHash?: string;
  /** The `metadata.generateName` its owner was named from, if it was. */
  readonly generateName?: string;
  /** A Job pod's attempt at its completion (0 first, then one per retry). */
  readonly attempt?: number;
  /**
   * How many times a failed container is restarted in its pod (a Job's backoffLimit under
   * restartPolicy OnFailure); unset: as the restart policy says, without end.
   */
  readonly restartTries?: number;
  /** Its namespace's network, when the namespace has Services (services.ts). */
  readonly network?: PodNetwork;
}

/** A Service port mapped inside a pod: `port` is relayed to the pod's own `target`. */
export interface PortMap {
  readonly port: number;
  readonly target: number;
  readonly protocol: "tcp" | "udp";
}

/** A NodePort or LoadBalancer port a pod publishes on the host for its Service. */
export interface PublishedPort {
  readonly service: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: "tcp" | "udp";
}

/** What Services make of one pod. */
export interface PodNetwork {
  /** The Podman network of its namespace. */
  readonly network: string;
  /** The names it answers to: its Services', and its own under its subdomain. */
  readonly aliases: readonly string[];
  /** Service ports kplay's proxy maps to another port of the pod. */
  readonly proxies: readonly PortMap[];
  readonly publish: readonly PublishedPort[];
  /** The Services' env vars (enableServiceLinks), before the container's own env. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
}

/** A namespace's Podman network: there while a pod of kplay uses it. */
export interface NetworkResource {
  readonly name: string;
  readonly namespace: string;
  readonly lifetime: "shared";
}

/** A Service as played: what it selects and what it publishes on the host. */
export interface ServiceResource {
  readonly ref: ObjectRef;
  readonly type: string;
  readonly headless: boolean;
  /** The Podman pods it selects. */
  readonly pods: readonly string[];
  readonly published: readonly {
    readonly hostPort: number;
    readonly port: number;
    readonly protocol: "tcp" | "udp";
    /** The pod that publishes it; none when no pod is selected. */
    readonly pod?: string;
  }[];
}

/** How an object's pods are brought to the declared state when some already exist. */
export type Rollout =
  /** A standalone Pod: converged in place, recreated when pod-level settings change. */
  | { readonly kind: "pod" }
  /** Deployment, ReplicaSet, ReplicationController, DaemonSet: interchangeable replicas. */
  | {
      readonly kind: "replicas";
      readonly strategy: "RollingUpdate" | "Recreate" | "OnDelete";
      /** Pods over the count allowed during an update (0 when host ports forbid two). */
      readonly maxSurge: number;
      /** Pods under the count allowed during an update. */
      readonly maxUnavailable: number;
      readonly minReadySeconds: number;
      readonly progressDeadlineSeconds: number;
      /** A paused Deployment's pods are not updated. */
      readonly paused: boolean;
    }
  /** StatefulSet: ordinals created in order (unless parallel) and removed in reverse. */
  | {
      readonly kind: "ordered";
      readonly parallel: boolean;
      readonly strategy: "RollingUpdate" | "OnDelete";
      /** Ordinals below this keep their old template. */
      readonly partition: number;
      readonly minReadySeconds: number;
    }
  /** Job: pods run to completion, failures retried. */
  | {
      readonly kind: "job";
      readonly completions: number;
      readonly parallelism: number;
      readonly backoffLimit: number;
      readonly activeDeadlineSeconds?: number;
      readonly ttlSecondsAfterFinished?: number;
      readonly indexed: boolean;
      readonly restartPolicy: "Never" | "OnFailure";
    }
  /** CronJob: nothing now; `kplay up` creates its Jobs on schedule. */
  | {
      readonly kind: "cron";
      readonly schedule: string;
      readonly timeZone?: string;
      readonly concurrencyPolicy: "Allow" | "Forbid" | "Replace";
      readonly startingDeadlineSeconds?: number;
      readonly successfulJobsHistoryLimit: number;
      readonly failedJobsHistoryLimit: number;
      readonly suspend: boolean;
    };

/** One Kubernetes object of the input and the pods it wants. */
export interface DesiredObject {
  readonly ref: ObjectRef;
  readonly source: ObjectSource;
  readonly rollout: Rollout;
  /** Every pod the object wants now (for a Job: its first wave). */
  readonly pods: readonly PodInstance[];
  /**
   * The claims a StatefulSet's volumeClaimTemplates make, one per ordinal and template, as
   * the StatefulSet controller makes the PVCs (their spec, annotations and labels).
   */
  readonly claims?: readonly ClaimObject[];
  /** The pod template, for controllers that make more pods later (Jobs, CronJobs). */
  readonly template?: (slot: number, attempt: number) => PodInstance;
  /** CronJob: the Job it makes for one scheduled run, named as the controller names it. */
  readonly job?: (name: string) => DesiredObject;
}

/** One key of a Secret as a Podman secret. */
export interface SecretResource {
  /** The Podman secret's name. */
  readonly name: string;
  readonly secret: ObjectRef;
  readonly key: string;
  /** A keyed digest of the value (see data.ts), never the value. */
  readonly digest: string;
  /**
   * The value is empty: Podman holds no empty secret, and an empty value hides nothing, so
   * it is given as a plain empty env value or file instead of a Podman secret.
   */
  readonly empty?: true;
  readonly lifetime: "shared";
}

/** A PersistentVolumeClaim (given, referenced by a pod, or made from a claim template). */
export interface ClaimResource {
  /** The Podman volume's name. */
  readonly name: string;
  readonly claim: ObjectRef;
  /** The claim object when the input has one: its spec and annotations become options. */
  readonly spec?: ClaimSpec;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly lifetime: "kept";
}

/**
 * What pods read from the input's data kinds, by `namespace/name`: ConfigMaps whole (their
 * values go into plans), Secrets as the Podman secret of each key (their values never do).
 */
export interface DataIndex {
  readonly configMaps: ReadonlyMap<string, ConfigMapObject>;
  readonly secrets: ReadonlyMap<
    string,
    {
      readonly keys: ReadonlyMap<
        string,
        { readonly name: string; readonly digest: string; readonly empty?: true }
      >;
    }
  >;
}

/** Everything the input declares. */
export interface DesiredState {
  readonly objects: readonly DesiredObject[];
  readonly secrets: readonly SecretResource[];
  readonly claims: readonly ClaimResource[];
  readonly networks: readonly NetworkResource[];
  readonly services: readonly ServiceResource[];
  readonly data: DataIndex;
}
