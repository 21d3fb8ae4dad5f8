/**
 * The plan: what `play` will do, as data. It is the `plan` command's output, the golden
 * artefact of the tests, and what the executor carries out. JSON-serialisable and
 * deterministic: no timestamps, no IDs, stable order.
 */

import type { Rollout } from "../graph/types.ts";
import type { HostPathType, PullPolicy } from "../manifest/model.ts";
import type { ApiRequest } from "../podman/client.ts";
import type { ProjectedFile } from "./projections.ts";

// Kubernetes' own enums, re-exported so apply/ needs only the plan's types.
export type { ApiRequest, HostPathType, PullPolicy, Rollout };

/**
 * Make sure an image is present before anything is created, and learn what the containers
 * take from it (its environment and user). Inspecting answers both "is it here" (404 when
 * not) and those facts, once per image per play.
 */
export interface EnsureImageStep {
  readonly action: "ensure-image";
  readonly image: string;
  readonly policy: PullPolicy;
  /** Who uses it, for error messages: `"web" of deployment/app` per container and object. */
  readonly containers: readonly string[];
  /** `GET /images/<image>/json`: sent first (unless Always), and again after a pull. */
  readonly inspect: ApiRequest;
  /** Pulls it: always for Always, only when missing for IfNotPresent, never for Never. */
  readonly pull?: ApiRequest;
  /**
   * The Secrets (`namespace/name`) the pods using it name in imagePullSecrets: their
   * registry credentials go with the pull (added by the executor, never in the plan).
   */
  readonly pullSecrets?: readonly string[];
}

/** A namespace's Podman network (with DNS) for its pods and their Services' names. */
export interface EnsureNetworkStep {
  readonly action: "ensure-network";
  readonly name: string;
  readonly namespace: string;
  /** `GET /networks/<name>/json`: a network there must carry kplay's label to be used. */
  readonly exists: ApiRequest;
  readonly request: ApiRequest;
}

/** kplay's Service port proxy image, imported (never pulled) when missing (src/proxy). */
export interface EnsureProxyImageStep {
  readonly action: "ensure-proxy-image";
  readonly image: string;
}

/** Check or create a hostPath on the machine kplay runs on (Podman does not create them). */
export interface HostPathStep {
  readonly action: "prepare-host-path";
  readonly volume: string;
  readonly path: string;
  readonly type: HostPathType;
}

export interface CreateVolumeStep {
  readonly action: "create-volume";
  /** The Kubernetes volume name. */
  readonly volume: string;
  /** The Podman volume name. */
  readonly name: string;
  readonly request: ApiRequest;
}

/**
 * Make sure the Podman volume behind a PersistentVolumeClaim exists: reuse it when it does
 * (whoever made it), create it labelled as kplay's when it does not.
 */
export interface EnsureVolumeStep {
  readonly action: "ensure-volume";
  /** The claim, `namespace/name`. */
  readonly claim: string;
  /** The Podman volume name: the claim's name, prefixed outside `default`. */
  readonly name: string;
  readonly exists: ApiRequest;
  readonly request: ApiRequest;
}

/**
 * Make sure a Podman secret holds one key of a Secret: create it when absent, replace it when
 * its digest label differs. The value is not in the plan: the executor takes it from the
 * Secret it was given (`secret`, `key`) and sends it as the body; `digest` stands for it.
 */
export interface EnsureSecretStep {
  readonly action: "ensure-secret";
  /** The Podman secret's name. */
  readonly name: string;
  /** The Secret, `namespace/name`, and its key. */
  readonly secret: string;
  readonly key: string;
  readonly digest: string;
  /** `POST /secrets/create` without its body (the value). */
  readonly request: ApiRequest;
}

/**
 * Prepare the content of Podman volumes before any container mounts them: the folders of
 * subPaths (libpod mounts a volume's SubPath only when the folder exists, and the kubelet
 * creates it), and the files of projected volumes (ConfigMaps, the downward API). A container
 * that is never started mounts the volumes at `/kplay/<n>`; folders are stat'ed and files
 * written through libpod's archive endpoint (no program runs, so any image will do), and the
 * container is removed again.
 */
export interface PrepareVolumesStep {
  readonly action: "prepare-volumes";
  /** The helper container's name, `<pod>-kplay_volumes` (`_` is never in a Kubernetes name). */
  readonly name: string;
  readonly request: ApiRequest;
  /** Folders to create, relative to the helper's root: `kplay/<n>/<subPath>`. */
  readonly folders: readonly string[];
  /** Projected volumes to fill, each at `kplay/<n>`. */
  readonly projections: readonly VolumeFill[];
}

/** The files of one projected volume, laid out as the kubelet's AtomicWriter lays them out. */
export interface VolumeFill {
  /** The helper's mount of the volume, `kplay/<n>`. */
  readonly root: string;
  /** The Podman volume. */
  readonly volume: string;
  /** `..<hash>`: the files go there, `..data` links to it, top-level names into `..data`. */
  readonly dataDir: string;
  readonly files: readonly ProjectedFile[];
  /** Empty files at the paths where Secret files are mounted over the volume. */
  readonly mountPoints: readonly string[];
}

export interface CreatePodStep {
  readonly action: "create-pod";
  readonly name: string;
  readonly request: ApiRequest;
}

export interface CreateContainerStep {
  readonly action: "create-container";
  /** The Kubernetes container name. */
  readonly container: string;
  /** The Podman container name, `<pod>-<container>`. */
  readonly name: string;
  readonly init: boolean;
  /** A sidecar (an init container with restartPolicy Always): runs beside the app containers. */
  readonly sidecar?: true;
  readonly request: ApiRequest;
  /**
   * The container's probes as Kubernetes defines them, for kplay's own prober. Only `exec`
   * liveness (and startup) probes are also in the request, as Podman's healthcheck.
   */
  readonly probes?: readonly PlannedProbe[];
  /**
   * Always true: the executor puts the image's environment (from its ensure-image step)
   * before the request's `env`. The request unsets libpod's own defaults (`unsetenvall`):
   * libpod adds TERM=xterm, container=podman and containers.conf's env to what it creates
   * through the API, which neither Kubernetes nor `podman kube play` do.
   */
  readonly withImageEnv: true;
}

/**
 * One probe with Kubernetes' defaults filled in and named ports resolved; a port name the
 * container does not declare stays a string (the probe fails when it runs, as in Kubernetes).
 */
export interface PlannedProbe {
  readonly kind: "liveness" | "readiness" | "startup";
  readonly handler: ProbeHandler;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** Whether the request's healthcheck carries this probe (exec liveness/startup only). */
  readonly healthcheck: boolean;
}

export type ProbeHandler =
  | { readonly exec: { readonly command: readonly string[] } }
  | {
      readonly httpGet: {
        readonly scheme: "HTTP" | "HTTPS";
        readonly host: string;
        readonly port: number | string;
        readonly path: string;
        readonly headers: readonly { readonly name: string; readonly value: string }[];
      };
    }
  | { readonly tcpSocket: { readonly host: string; readonly port: number | string } }
  | { readonly grpc: { readonly port: number; readonly service: string } };

/**
 * The plan uses a libpod field that older Podman versions silently ignore: the executor
 * compares `version` with the API version Podman reported and refuses the pod before
 * creating anything when Podman is older.
 */
export interface RequirePodmanStep {
  readonly action: "require-podman";
  /** The oldest libpod API version that honours `feature`. */
  readonly version: string;
  /** What needs it, for the error message. */
  readonly feature: string;
}

/**
 * Checks an image's configured user before anything is created, because whether a container
 * may run depends on it (the manifest does not say which user it runs as). The executor takes
 * `Config.User` from the image's ensure-image inspect and refuses the pod when
 * `imageUserProblem(user, step)` (security.ts) returns a message.
 */
export interface CheckImageUserStep {
  readonly action: "check-image-user";
  /** The Kubernetes container name. */
  readonly container: string;
  readonly image: string;
  /** securityContext.runAsNonRoot: refuse an image that runs as root or as a user name. */
  readonly runAsNonRoot: boolean;
  /** runAsGroup without runAsUser: the image's user must be root (see security.ts). */
  readonly runAsGroup?: number;
}

/**
 * Host ports below 1024: a rootless Podman cannot bind them (it fails only at pod start,
 * after everything was created). The executor refuses them up front when Podman is rootless
 * and the port is below the host's `net.ipv4.ip_unprivileged_port_start`.
 */
export interface CheckHostPortsStep {
  readonly action: "check-host-ports";
  /** The ports below 1024: a container's hostPort, or a Service's port the pod publishes. */
  readonly ports: readonly {
    readonly container?: string;
    readonly service?: string;
    readonly hostPort: number;
  }[];
}

export interface StartPodStep {
  readonly action: "start-pod";
  readonly name: string;
  readonly request: ApiRequest;
}

/** A lifecycle hook's action: run in the container, asked over HTTP, or a wait. */
export type HookHandler =
  | { readonly exec: { readonly command: readonly string[] } }
  | Extract<ProbeHandler, { httpGet: unknown }>
  | { readonly sleep: { readonly seconds: number } };

/**
 * A container's postStart hook, run once the pod (or a replaced container) has started; a
 * hook that fails fails the pod's play, as the kubelet kills a container whose hook failed.
 */
export interface PostStartStep {
  readonly action: "post-start";
  /** The Kubernetes container name, and the Podman one. */
  readonly container: string;
  readonly name: string;
  readonly handler: HookHandler;
}

export type Step =
  | CheckHostPortsStep
  | RequirePodmanStep
  | EnsureImageStep
  | CheckImageUserStep
  | HostPathStep
  | CreateVolumeStep
  | EnsureVolumeStep
  | PrepareVolumesStep
  | CreatePodStep
  | CreateContainerStep
  | StartPodStep
  | PostStartStep;

export interface PodPlan {
  /** The Podman pod's name. */
  readonly name: string;
  /** The Kubernetes pod's name and namespace. */
  readonly pod: string;
  readonly namespace: string;
  /** The object that wants it (`deployment/web`), and its place among that object's pods. */
  readonly owner: string;
  readonly slot: number;
  readonly templateHash?: string;
  readonly attempt?: number;
  readonly source: { readonly file: string; readonly document: number };
  /** Hash of everything pod-level, also stored as a label, for convergence. */
  readonly podHash: string;
  /** Container hash per Kubernetes container name, also stored as labels. */
  readonly containerHashes: Readonly<Record<string, string>>;
  /** Longest grace period of the pod's containers, in seconds, if the manifest set one. */
  readonly gracePeriodSeconds?: number;
  readonly steps: readonly Step[];
}

/** One Kubernetes object of the input: how its pods converge, and the pods. */
export interface ObjectPlan {
  /** `kind/namespace/name`. */
  readonly object: string;
  readonly source: { readonly file: string; readonly document: number };
  readonly rollout: Rollout;
  readonly pods: readonly PodPlan[];
}

/**
 * The whole plan: images first (nothing is created before all are present), then the Podman
 * secrets of Secrets and the volumes of claims, then each object's pods.
 */
export interface Plan {
  readonly kind: "kplay.plan";
  readonly version: 2;
  readonly images: readonly EnsureImageStep[];
  /** Set when some pod maps a Service port to another port (plan/proxy.ts). */
  readonly proxyImage?: EnsureProxyImageStep;
  /** The namespaces' networks, when the input has Services. */
  readonly networks?: readonly EnsureNetworkStep[];
  readonly secrets: readonly EnsureSecretStep[];
  readonly claims: readonly EnsureVolumeStep[];
  readonly objects: readonly ObjectPlan[];
}

export interface PlanOptions {
  /** Image for the infra container; unset lets Podman choose its own pause image. */
  readonly infraImage?: string;
  /** Add the start step (default true). */
  readonly start?: boolean;
  /** Facts about the machine Podman runs on (the "node"); see DEFAULT_NODE for the fallback. */
  readonly node?: NodeFacts;
  /** Folder of `Localhost` seccomp profiles (default /var/lib/kubelet/seccomp, as Podman's). */
  readonly seccompProfileRoot?: string;
  /** Where NodePort and LoadBalancer Services are published on the host (default 127.0.0.1). */
  readonly serviceAddress?: string;
}

/**
 * The node facts the downward API exposes. The planner cannot learn them itself (no I/O);
 * the caller reads them from Podman (`GET /info`: host.hostname, host.cpus, host.memTotal)
 * or from the local machine.
 */
export interface NodeFacts {
  /** `spec.nodeName`. */
  readonly name: string;
  /** `status.hostIP` (and `status.podIP` of hostNetwork pods). */
  readonly hostIP: string;
  /** Allocatable CPUs: what `limits.cpu` reads as when a container sets no limit. */
  readonly cpus: number;
  /** Allocatable memory in bytes: what `limits.memory` reads as when unset. */
  readonly memoryBytes: number;
}
