import { isAbsolute, join, normalize } from "node:path";
import type { Container, Volume } from "../manifest/model.ts";
import { LABEL_MANAGED, LABEL_POD } from "./labels.ts";
import type { CreateVolumeStep, HostPathStep } from "./types.ts";

/** How one Kubernetes volume appears inside containers. */
export type VolumeBinding =
  | { readonly kind: "bind"; readonly source: string }
  | { readonly kind: "named"; readonly name: string };

export interface PlannedVolumes {
  readonly steps: (HostPathStep | CreateVolumeStep)[];
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
 * unlike Podman which uses its own working directory); each emptyDir becomes one Podman volume
 * shared by every container that mounts it, labelled so `down` removes it with the pod.
 */
export function planVolumes(pod: string, volumes: readonly Volume[], dir: string): PlannedVolumes {
  const steps: (HostPathStep | CreateVolumeStep)[] = [];
  const bindings = new Map<string, VolumeBinding>();
  for (const v of volumes) {
    if (v.hostPath) {
      const path = isAbsolute(v.hostPath.path) ? normalize(v.hostPath.path) : join(dir, v.hostPath.path);
      steps.push({ action: "prepare-host-path", volume: v.name, path, type: v.hostPath.type ?? "" });
      bindings.set(v.name, { kind: "bind", source: path });
    } else if (v.emptyDir) {
      const name = emptyDirVolumeName(pod, v.name);
      const options: Record<string, string> =
        v.emptyDir.medium === "Memory" ? { type: "tmpfs", device: "tmpfs", o: "nodev,nosuid" } : {};
      steps.push({
        action: "create-volume",
        volume: v.name,
        name,
        request: {
          method: "POST",
          path: "/volumes/create",
          body: { Name: name, Label: { [LABEL_MANAGED]: "true", [LABEL_POD]: pod }, Options: options },
        },
      });
      bindings.set(v.name, { kind: "named", name });
    }
  }
  return { steps, bindings };
}

/** The `mounts` (binds) and `volumes` (named) fields of one container's create body. */
export function containerMounts(
  container: Container,
  bindings: ReadonlyMap<string, VolumeBinding>,
): { mounts: object[]; volumes: object[] } {
  const mounts: object[] = [];
  const volumes: object[] = [];
  for (const m of container.volumeMounts ?? []) {
    const binding = bindings.get(m.name);
    if (!binding) continue; // validation guarantees every mount names a declared volume
    const options = m.readOnly ? ["ro"] : [];
    if (binding.kind === "bind") {
      mounts.push({ destination: m.mountPath, type: "bind", source: binding.source, options: ["rbind", ...options] });
    } else {
      volumes.push({ Name: binding.name, Dest: m.mountPath, Options: options });
    }
  }
  return { mounts, volumes };
}
