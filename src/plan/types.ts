/**
 * The plan: what `play` will do, as data. It is the `plan` command's output, the golden
 * artefact of the tests, and what the executor carries out. JSON-serialisable and
 * deterministic: no timestamps, no IDs, stable order.
 */
import type { ApiRequest } from "../podman/client.ts";

export type { ApiRequest };

export type PullPolicy = "Always" | "IfNotPresent" | "Never";

/** Make sure an image is present before anything is created. */
export interface EnsureImageStep {
  readonly action: "ensure-image";
  readonly image: string;
  readonly policy: PullPolicy;
  /** The containers (Kubernetes names) that use it, for error messages. */
  readonly containers: readonly string[];
  /** Asks whether the image is present (skipped for Always). */
  readonly exists?: ApiRequest;
  /** Pulls it: always for Always, only when missing for IfNotPresent, never for Never. */
  readonly pull?: ApiRequest;
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
  readonly request: ApiRequest;
}

export interface StartPodStep {
  readonly action: "start-pod";
  readonly name: string;
  readonly request: ApiRequest;
}

export type Step =
  | EnsureImageStep
  | HostPathStep
  | CreateVolumeStep
  | CreatePodStep
  | CreateContainerStep
  | StartPodStep;

export interface PodPlan {
  /** The pod name (metadata.name). */
  readonly name: string;
  readonly source: { readonly file: string; readonly document: number };
  /** Hash of everything pod-level, also stored as a label, for convergence. */
  readonly podHash: string;
  /** Container hash per Kubernetes container name, also stored as labels. */
  readonly containerHashes: Readonly<Record<string, string>>;
  /** Longest grace period of the pod's containers, in seconds, if the manifest set one. */
  readonly gracePeriodSeconds?: number;
  readonly steps: readonly Step[];
}

export interface Plan {
  readonly kind: "kplay.plan";
  readonly version: 1;
  readonly pods: readonly PodPlan[];
}

export interface PlanOptions {
  /** Image for the infra container; unset lets Podman choose its own pause image. */
  readonly infraImage?: string;
  /** Add the start step (default true). */
  readonly start?: boolean;
}
