import { isAbsolute, join, normalize } from "node:path";
import type { Container, Volume } from "../manifest/model.ts";
import { LABEL_CLAIM, LABEL_MANAGED, LABEL_POD } from "./labels.ts";
import type { CreateVolumeStep, EnsureVolumeStep, HostPathStep } from "./types.ts";

/** How one Kubernetes volume appears inside containers. */
export type VolumeBinding =
  | { readonly kind: "bind"; readonly source: string }
  | { readonly kind: "named"; readonly name: string; readonly readOnly?: boolean };

type VolumeStep = HostPathStep | CreateVolumeStep | EnsureVolumeStep;

export interface PlannedVolumes {
  readonly steps: VolumeStep[];
  readonly bindings: ReadonlyMap<string, VolumeBinding>;
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
 * unlike Podman which uses its own working directory); each emptyDir (and each volume that
 * names no source, which the API server defaults to an emptyDir) becomes one Podman volume
 * shared by every container that mounts it, labelled so `down` removes it with the pod. A
 * persistentVolumeClaim becomes the Podman volume named after the claim (as `podman kube play`
 * maps it), created on first use and kept when pods go, like the claim it stands for.
 */
export function planVolumes(pod: string, volumes: readonly Volume[], dir: string): PlannedVolumes {
  const steps: VolumeStep[] = [];
  const bindings = new Map<string, VolumeBinding>();
  for (const v of volumes) {
    if (v.hostPath) {
      const path = isAbsolute(v.hostPath.path)
        ? normalize(v.hostPath.path)
        : join(dir, v.hostPath.path);
      steps.push({
        action: "prepare-host-path",
        volume: v.name,
        path,
        type: v.hostPath.type ?? "",
      });
      bindings.set(v.name, { kind: "bind", source: path });
    } else if (v.emptyDir || !hasSource(v)) {
      const name = emptyDirVolumeName(pod, v.name);
      const options: Record<string, string> =
        v.emptyDir?.medium === "Memory"
          ? { type: "tmpfs", device: "tmpfs", o: "nodev,nosuid" }
          : {};
      steps.push({
        action: "create-volume",
        volume: v.name,
        name,
        request: {
          method: "POST",
          path: "/volumes/create",
          body: {
            Name: name,
            Label: { [LABEL_MANAGED]: "true", [LABEL_POD]: pod },
            Options: options,
          },
        },
      });
      bindings.set(v.name, { kind: "named", name });
    } else if (v.persistentVolumeClaim) {
      const name = v.persistentVolumeClaim.claimName;
      steps.push({
        action: "ensure-volume",
        volume: v.name,
        name,
        exists: { method: "GET", path: `/volumes/${encodeURIComponent(name)}/exists` },
        request: {
          method: "POST",
          path: "/volumes/create",
          body: { Name: name, Label: { [LABEL_MANAGED]: "true", [LABEL_CLAIM]: name } },
        },
      });
      const readOnly = v.persistentVolumeClaim.readOnly === true;
      bindings.set(v.name, { kind: "named", name, ...(readOnly ? { readOnly } : {}) });
    }
  }
  return { steps, bindings };
}

/** Whether a volume names a source; one without is an emptyDir, as the API server defaults it. */
function hasSource(v: Volume): boolean {
  return Object.keys(v).some((k) => k !== "name");
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
  /** subPath folders inside hostPath volumes, created when missing as the kubelet does. */
  readonly hostPaths: HostPathStep[];
  /**
   * The subPaths of named volumes (Podman volume name, path inside it): libpod mounts them
   * from Podman 4.4 on, but only if the folder exists, so kplay creates them first.
   */
  readonly namedSubPaths: { readonly volume: string; readonly path: string }[];
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
): ContainerMounts {
  const out: ContainerMounts = { mounts: [], volumes: [], hostPaths: [], namedSubPaths: [] };
  for (const m of container.volumeMounts ?? []) {
    const binding = bindings.get(m.name);
    if (!binding) continue; // validation guarantees every mount names a declared volume
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
