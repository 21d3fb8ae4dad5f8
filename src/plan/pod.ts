import type { Pod } from "../manifest/model.ts";
import { LABEL_MANAGED } from "./labels.ts";
import type { PlanOptions } from "./types.ts";

/** Containers of a pod share these namespaces, as in Kubernetes (pid only on request). */
function sharedNamespaces(pod: Pod): string[] {
  const shared = ["ipc", "net", "uts"];
  if (pod.spec.shareProcessNamespace) shared.push("pid");
  return shared;
}

/** Every hostPort of every container, published on the pod (its infra holds the netns). */
function portMappings(pod: Pod): object[] {
  const out: object[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort === undefined) continue; // Kubernetes publishes only ports with a hostPort
      out.push({
        container_port: p.containerPort,
        host_port: p.hostPort,
        ...(p.hostIP ? { host_ip: p.hostIP } : {}),
        protocol: (p.protocol ?? "TCP").toLowerCase(),
      });
    }
  }
  return out;
}

/** The body of `POST /libpod/pods/create`, without kplay's hash label. */
export function podCreateBody(pod: Pod, options: PlanOptions): Record<string, unknown> {
  const mappings = portMappings(pod);
  return {
    name: pod.metadata.name,
    hostname: pod.spec.hostname ?? pod.metadata.name,
    labels: { ...(pod.metadata.labels ?? {}), [LABEL_MANAGED]: "true" },
    shared_namespaces: sharedNamespaces(pod),
    ...(mappings.length ? { portmappings: mappings } : {}),
    ...(options.infraImage ? { infra_image: options.infraImage } : {}),
  };
}
