/**
 * The planner's pod-wide refusals of valid Kubernetes that Podman cannot run as written: host
 * ports it cannot publish twice, claim names it cannot give a volume.
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

/** A claim's data lives in the Podman volume of the claim's name, which Podman must accept. */
export function checkClaimNames(doc: PodDocument, report: Report): void {
  (doc.pod.spec.volumes ?? []).forEach((v, i) => {
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim === undefined || isPodmanName(claim)) return;
    const path = ["spec", "volumes", i, "persistentVolumeClaim", "claimName"];
    report(
      "bad-claim-name",
      path,
      `${formatPath(path)}: ${JSON.stringify(claim)} cannot name a Podman volume: it must be a letter or digit, then letters, digits, '_', '.' and '-'`,
      "kplay keeps a claim's data in the Podman volume of the claim's name; a real claim is named like a DNS subdomain",
    );
  });
}

/** libpod's rule for the names of volumes (and containers, pods): `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
function isPodmanName(name: string): boolean {
  const alnum = (c: string) =>
    (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9");
  if (!alnum(name[0] ?? "")) return false;
  for (const c of name) if (!alnum(c) && c !== "_" && c !== "." && c !== "-") return false;
  return true;
}
