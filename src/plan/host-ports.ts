/**
 * The host ports a pod publishes. Podman publishes them on the pod (its infra container holds
 * the network namespace), once for the pod's whole life. Kubernetes lets an init container
 * and an app container (or two init containers, which run one at a time) use the same host
 * port: published once it serves both, if both mean the same container port.
 */
import type { ContainerPort, FieldPath, Pod } from "../manifest/model.ts";

/** One host port to publish, and where the manifest first asks for it. */
export interface HostPortMapping {
  readonly port: ContainerPort & { hostPort: number };
  readonly path: FieldPath;
}

/** A host port two containers publish to different container ports. */
export interface HostPortConflict {
  readonly path: FieldPath;
  readonly first: FieldPath;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly firstContainerPort: number;
}

/** The distinct host ports of a pod's containers, and the ones Podman cannot publish twice. */
export function publishedHostPorts(pod: Pod): {
  mappings: HostPortMapping[];
  conflicts: HostPortConflict[];
} {
  const mappings: HostPortMapping[] = [];
  const conflicts: HostPortConflict[] = [];
  const seen = new Map<string, HostPortMapping>();
  for (const field of ["initContainers", "containers"] as const) {
    (pod.spec[field] ?? []).forEach((c, i) => {
      (c.ports ?? []).forEach((p, j) => {
        // Kubernetes publishes only ports with a hostPort.
        if (!p.hostPort) return;
        const port = { ...p, hostPort: p.hostPort };
        const path = ["spec", field, i, "ports", j, "hostPort"];
        const key = `${p.hostIP ?? ""}|${p.hostPort}|${p.protocol ?? "TCP"}`;
        const first = seen.get(key);
        if (first === undefined) {
          const mapping = { port, path };
          seen.set(key, mapping);
          mappings.push(mapping);
        } else if (first.port.containerPort !== p.containerPort) {
          conflicts.push({
            path,
            first: first.path,
            hostPort: p.hostPort,
            containerPort: p.containerPort,
            firstContainerPort: first.port.containerPort,
          });
        }
      });
    });
  }
  return { mappings, conflicts };
}
