/**
 * The API server's port rules (validateContainerPorts, checkHostPortConflicts,
 * validatePodHostNetworkDeps): port numbers and names, names unique within a container, a
 * host port published once per protocol and address, and hostPort equal to containerPort in
 * a hostNetwork pod. App containers share host ports with each other; init containers run one
 * at a time, so each is checked on its own and may reuse an app container's host port.
 */
import { checkName, checkUnique, fail } from "./check.ts";
import { formatPath, list, mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkPortName } from "./names.ts";
import { isUnderReported } from "./validate.ts";

/** Host ports already published in one scope, by `port/protocol/address`. */
export type HostPorts = Map<string, FieldPath>;

/** Checks one container's ports; `hostPorts` is the scope its host ports must be unique in. */
export function checkPorts(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  hostPorts: HostPorts,
  hostNetwork: boolean,
  reported: ReadonlySet<string>,
): void {
  const names = new Map<string, FieldPath>();
  list(container.ports).forEach((p, j) => {
    const port = mapping(p);
    if (port === undefined) return;
    const here = [...at, "ports", j];
    checkPortNameAt(ctx, port.name, [...here, "name"], names, reported);
    // hostPort 0 means "not published", as in Kubernetes.
    for (const [field, min] of [
      ["containerPort", 1],
      ["hostPort", 0],
    ] as const) {
      const value = port[field];
      if (typeof value === "number" && (value < min || value > 65535))
        fail(ctx, "port-range", [...here, field], `${value} is out of range (1-65535)`, reported);
    }
    const hostPort = port.hostPort;
    if (typeof hostPort !== "number" || hostPort === 0) return;
    const path = [...here, "hostPort"];
    if (hostNetwork && typeof port.containerPort === "number" && hostPort !== port.containerPort)
      fail(
        ctx,
        "host-network-port",
        path,
        `${hostPort} must equal containerPort ${port.containerPort} when hostNetwork is true`,
        reported,
        { hint: "A hostNetwork pod's ports are the host's: drop hostPort or make it the same" },
      );
    const protocol = typeof port.protocol === "string" ? port.protocol : "TCP";
    const hostIP = typeof port.hostIP === "string" ? port.hostIP : "";
    const key = `${hostPort}/${protocol}/${hostIP}`;
    const first = hostPorts.get(key);
    if (first === undefined) hostPorts.set(key, path);
    else
      fail(
        ctx,
        "duplicate-host-port",
        path,
        `host port ${hostPort}/${protocol} is already used by ${formatPath(first)}`,
        reported,
      );
  });
}

function checkPortNameAt(
  ctx: ObjectContext,
  name: unknown,
  path: FieldPath,
  names: Map<string, FieldPath>,
  reported: ReadonlySet<string>,
): void {
  if (typeof name !== "string" || name === "") return;
  if (checkName(ctx, path, name, "port name (an IANA service name)", checkPortName, reported))
    return;
  if (isUnderReported(path, reported)) return;
  checkUnique(ctx, names, name, path, `port name ${quote(name)}`, reported, {
    hint: "Port names must be unique within a container",
  });
}
