/**
 * The planner's pod-wide refusals of valid Kubernetes that Podman cannot run as written: host
 * ports it cannot publish twice.
 */
import { formatPath } from "../manifest/context.ts";
import type { FieldPath, PodDocument } from "../manifest/model.ts";
import { publishedHostPorts } from "./host-ports.ts";

/** How a check reports a refusal at a path of the pod. */
export type Report = (code: string, path: FieldPath, message: string, hint?: string) => void;

/**
 * One host port to two container ports: Kubernetes allows it for an init and an app container
 * (they do not run together), but Podman publishes a host port once, on the pod.
 */
export function checkHostPorts(doc: PodDocument, report: Report): void {
  for (const c of publishedHostPorts(doc.pod).conflicts) {
    report(
      "shared-host-port",
      c.path,
      `${formatPath(c.path)}: host port ${c.hostPort} goes to container port ${c.containerPort} here but to ${c.firstContainerPort} at ${formatPath(c.first)}`,
      "Podman publishes a host port once for the whole pod: give both the same containerPort, or use another hostPort",
    );
  }
}
