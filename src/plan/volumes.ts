// POSIX whatever kplay runs on: these are paths on Podman's (Linux) host, not on kplay's.
import { isAbsolute, join, normalize } from "node:path/posix";
import { podmanName } from "../graph/names.ts";
import type { Container, Volume, VolumeMount } from "../manifest/model.ts";
import { LABEL_MANAGED, LABEL_POD, LABEL_PROJECTION } from "./labels.ts";
import { type Projection, type ProjectionContext, projectVolume } from "./projections.ts";
import type { CreateVolumeStep, HostPathStep } from "./types.ts";

/** How one Kubernetes volume appears inside containers. */
export type VolumeBinding =
  | { readonly kind: "bind"; readonly source: string }
  | { readonly kind: "named"; readonly name: string; readonly readOnly?: boolean }
  /**
   * configMap, secret, downwardAPI and projected volumes: files in a Podman volume of the
   * pod (`name`, when there are any) and files Podman mounts from its secret store.
   */
  | { readonly kind: "projected"; readonly name?: string; readonly projection: Projection };

type VolumeStep = HostPathStep | CreateVolumeStep;

export interface PlannedVolumes {
  readonly steps: VolumeStep[];
  readonly bindings: ReadonlyMap<string, VolumeBinding>;
  /** The projected volumes to fill, by Podman volume name. */
  readonly projections: ReadonlyMap<string, Projection>;
}

/** What planning a pod's volumes needs besides the volumes. */
export interface VolumeContext {
  /** The Podman pod's name. */
  readonly pod: string;
  /** The folder relative hostPaths resolve against. */
  readonly dir: string;
  readonly projection: ProjectionContext;
}

/**
 * The Podman volume behind an emptyDir: `<pod>_<volume>`. `_` cannot occur in Kubernetes
 * names, so two pods can never collide on it.
 */
export function emptyDirVolumeName(pod: string, volume: string): string {
  return `${pod}_${volume}`;
}

/**
 * hostPath volumes become bind mounts (relative paths resolved against the manifest's folder,
 * unlike Podman which uses its own working directory); each emptyDir becomes one Podman volume
 * shared by every container that mounts it, labelled so `down` removes it with the pod; a
 * volume with no source is an emptyDir, as the API server defaults it. A persistentVolumeClaim
 * mounts the Podman volume of the claim (made by the plan's claim steps). configMap,
 * downwardAPI and projected volumes become a volume of the pod filled with their files;
 * Secrets' files are mounted from Podman's secret store.
 */
export function planVolumes(volumes: readonly Volume[], ctx: VolumeContext): PlannedVolumes {
  const steps: VolumeStep[] = [];
  const bindings = new Map<string, VolumeBinding>();
  const projections = new Map<string, Projection>();
  const podVolume = (v: Volume, options: Record<string, string>, projection?: Projection) => {
    const name = emptyDirVolumeName(ctx.pod, v.name);
    const label = projection ? { [LABEL_PROJECTION]: projection.sources.join(",") } : {};
    steps.push({
      action: "create-volume",
      volume: v.name,
      name,
      request: {
        method: "POST",
        path: "/volumes/create",
        body: {
          Name: name,
          Label: { [LABEL_MANAGED]: "true", [LABEL_POD]: ctx.pod, ...label },
          Options: options,
        },
      },
    });
    return name;
  };
  for (const v of volumes) {
    const projection = projectVolume(v, ctx.projection);
    if (v.hostPath) {
      const path = isAbsolute(v.hostPath.path)
        ? normalize(v.hostPath.path)
        : join(ctx.dir, v.hostPath.path);
      steps.push({
        action: "prepare-host-path",
        volume: v.name,
        path,
        type: v.hostPath.type ?? "",
      });
      bindings.set(v.name, { kind: "bind", source: path });
    } else if (v.persistentVolumeClaim) {
      const name = podmanName(ctx.projection.namespace, v.persistentVolumeClaim.claimName);
      const readOnly = v.persistentVolumeClaim.readOnly === true;
      bindings.set(v.name, { kind: "named", name, ...(readOnly ? { readOnly } : {}) });
    } else if (projection) {
      if (projection.files.length > 0) {
        const name = podVolume(v, {}, projection);
        projections.set(name, projection);
        bindings.set(v.name, { kind: "projected", name, projection });
      } else {
        bindings.set(v.name, { kind: "projected", projection });
      }
    } else {
      // emptyDir, or no source at all (which the API server defaults to emptyDir).
      const options: Record<string, string> =
        v.emptyDir?.medium === "Memory"
          ? { type: "tmpfs", device: "tmpfs", o: "nodev,nosuid" }
          : {};
      bindings.set(v.name, { kind: "named", name: podVolume(v, options) });
    }
  }
  return { steps, bindings, projections };
}

/** Kubernetes mount propagation to the mount option the kubelet asks the runtime for. */
const PROPAGATION = {
  None: "rprivate",
  HostToContainer: "rslave",
  Bidirectional: "rshared",
} as const;

/** What one container mounts: libpod's `mounts` and `volumes`, plus host folders to prepare. */
export interface ContainerMounts {
  readonly mounts: object[];
  readonly volumes: object[];
  /** libpod's `secrets`: files Podman mounts from its secret store (Secret volumes). */
  readonly secrets: object[];
  /** The digests of those secrets' values. */
  readonly secretDigests: string[];
  /** subPath folders inside hostPath volumes, created when missing as the kubelet does. */
  readonly hostPaths: HostPathStep[];
  /**
   * The subPaths of named volumes (Podman volume name, path inside it): libpod mounts them
   * from Podman 4.4 on, but only if the folder exists, so kplay creates them first.
   */
  readonly namedSubPaths: {
    readonly volume: string;
    readonly path: string;
    /** A file kplay writes itself (a projected file): nothing to create. */
    readonly file?: boolean;
  }[];
}

/**
 * The `mounts` (binds, tmpfs) and `volumes` (named) fields of one container's create body.
 * A subPath of a hostPath volume is joined to the host path (validation refuses absolute
 * subPaths and `..`); one of a named volume is libpod's `SubPath`. A read-only root
 * filesystem gets no tmpfs mounts of kplay's: Kubernetes and `podman kube play` add none, so
 * a container that writes /tmp must fail here as it would on a cluster.
 */
export function containerMounts(
  container: Container,
  bindings: ReadonlyMap<string, VolumeBinding>,
  fsGroup?: number,
): ContainerMounts {
  const out: ContainerMounts = {
    mounts: [],
    volumes: [],
    secrets: [],
    secretDigests: [],
    hostPaths: [],
    namedSubPaths: [],
  };
  for (const m of container.volumeMounts ?? []) {
    const binding = bindings.get(m.name);
    if (!binding) continue; // validation guarantees every mount names a declared volume
    if (binding.kind === "projected") {
      projectedMount(m, binding, fsGroup, out);
      continue;
    }
    // A claim's readOnly forces every mount of it read-only, as the kubelet does.
    const readOnly = m.readOnly === true || (binding.kind === "named" && binding.readOnly === true);
    const options: string[] = readOnly ? ["ro"] : [];
    if (m.mountPropagation) options.push(PROPAGATION[m.mountPropagation]);
    if (binding.kind === "bind") {
      const source = m.subPath ? join(binding.source, m.subPath) : binding.source;
      if (m.subPath)
        out.hostPaths.push({ action: "prepare-host-path", volume: m.name, path: source, type: "" });
      out.mounts.push({
        destination: m.mountPath,
        type: "bind",
        source,
        options: ["rbind", ...options],
      });
    } else {
      out.volumes.push({
        Name: binding.name,
        Dest: m.mountPath,
        Options: options,
        ...(m.subPath ? { SubPath: m.subPath } : {}),
      });
      if (m.subPath) out.namedSubPaths.push({ volume: binding.name, path: m.subPath });
    }
  }
  return out;
}

/**
 * A configMap, secret, downwardAPI or projected volume in one container, always read-only as
 * in Kubernetes. The pod's volume (ConfigMap and downward API files) is mounted at the mount
 * path; each Secret file is mounted from Podman's secret store on top of it, or, when the
 * volume has only Secret files, inside a tmpfs at the mount path (Kubernetes backs Secret
 * volumes with tmpfs too). A subPath mounts one file: a Secret's from the secret store, a
 * ConfigMap's from its real file in the data directory (libpod's SubPath, Podman >= 4.4).
 */
function projectedMount(
  m: VolumeMount,
  binding: Extract<VolumeBinding, { kind: "projected" }>,
  fsGroup: number | undefined,
  out: ContainerMounts,
): void {
  const { projection } = binding;
  const secretMount = (file: Projection["secrets"][number], target: string) => {
    out.secrets.push({
      Source: file.secret,
      Target: target,
      UID: 0,
      GID: fsGroup ?? 0,
      Mode: file.mode,
    });
    out.secretDigests.push(file.digest);
  };
  if (m.subPath) {
    const secret = projection.secrets.find((f) => f.path === normalize(m.subPath ?? ""));
    if (secret) {
      secretMount(secret, m.mountPath);
      return;
    }
    if (binding.name === undefined) return; // checks.ts refuses a subPath the volume lacks
    out.volumes.push({
      Name: binding.name,
      Dest: m.mountPath,
      Options: ["ro"],
      SubPath: `${projection.dataDir}/${normalize(m.subPath)}`,
    });
    out.namedSubPaths.push({
      volume: binding.name,
      path: `${projection.dataDir}/${normalize(m.subPath)}`,
      file: true,
    });
    return;
  }
  if (binding.name !== undefined) {
    out.volumes.push({ Name: binding.name, Dest: m.mountPath, Options: ["ro"] });
  } else {
    // Writable only so that the runtime can create the Secret files' mount points in it.
    out.mounts.push({
      destination: m.mountPath,
      type: "tmpfs",
      source: "tmpfs",
      options: ["rw", "nosuid", "nodev", "noexec", "mode=0755"],
    });
  }
  for (const file of projection.secrets) secretMount(file, join(m.mountPath, file.path));
}
