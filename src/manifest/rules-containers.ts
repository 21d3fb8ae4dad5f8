/**
 * Rules over a Pod's containers: names (syntax, unique across init and app containers),
 * environment variable names, ports (range, unique host port per protocol and address), volume
 * mounts (declared volume, unique mount path) and resource requests within limits.
 */
import { formatPath, list, mapping, type ObjectContext, quote, report } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Label, checkEnvName, checkPortName } from "./names.ts";
import { own } from "./own.ts";
import { compareQuantities, parseQuantity } from "./quantity.ts";
import { checkName } from "./rules.ts";
import { isUnderReported } from "./validate.ts";

/** Checks every container rule; `volumes` is the set of declared volume names. */
export function checkContainers(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  volumes: ReadonlySet<string>,
  reported: ReadonlySet<string>,
): void {
  const names = new Set<string>();
  const hostPorts = new Map<string, FieldPath>();
  for (const field of ["initContainers", "containers"] as const) {
    list(spec[field]).forEach((c, i) => {
      const container = mapping(c);
      if (container === undefined) return;
      const at: FieldPath = ["spec", field, i];
      const name = container.name;
      checkName(
        ctx,
        [...at, "name"],
        name,
        "container name (a DNS-1123 label)",
        checkDns1123Label,
        reported,
      );
      if (typeof name === "string" && names.has(name)) {
        report(
          ctx,
          "duplicate-name",
          "error",
          [...at, "name"],
          `${formatPath([...at, "name"])}: container name ${quote(name)} is used twice`,
          "Container names must be unique across initContainers and containers",
        );
      }
      if (typeof name === "string") names.add(name);
      list(container.env).forEach((e, j) => {
        checkName(
          ctx,
          [...at, "env", j, "name"],
          mapping(e)?.name,
          "environment variable name",
          checkEnvName,
          reported,
        );
      });
      checkPorts(ctx, container, at, hostPorts, reported);
      checkMounts(ctx, container, at, volumes, reported);
      checkRequestsWithinLimits(ctx, container, at, reported);
    });
  }
}

function checkPorts(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  hostPorts: Map<string, FieldPath>,
  reported: ReadonlySet<string>,
): void {
  list(container.ports).forEach((p, j) => {
    const port = mapping(p);
    if (port === undefined) return;
    const here = [...at, "ports", j];
    checkName(
      ctx,
      [...here, "name"],
      port.name,
      "port name (an IANA service name)",
      checkPortName,
      reported,
    );
    // hostPort 0 means "not published", as in Kubernetes.
    for (const [field, min] of [
      ["containerPort", 1],
      ["hostPort", 0],
    ] as const) {
      const value = port[field];
      const path = [...here, field];
      if (typeof value !== "number" || isUnderReported(path, reported)) continue;
      if (value < min || value > 65535)
        report(
          ctx,
          "port-range",
          "error",
          path,
          `${formatPath(path)}: ${value} is out of range (1-65535)`,
        );
    }
    const hostPort = port.hostPort;
    if (typeof hostPort !== "number" || hostPort === 0) return;
    const protocol = typeof port.protocol === "string" ? port.protocol : "TCP";
    const hostIP = typeof port.hostIP === "string" ? port.hostIP : "";
    const key = `${hostPort}/${protocol}/${hostIP}`;
    const first = hostPorts.get(key);
    if (first !== undefined) {
      const path = [...here, "hostPort"];
      report(
        ctx,
        "duplicate-host-port",
        "error",
        path,
        `${formatPath(path)}: host port ${hostPort}/${protocol} is already used by ${formatPath(first)}`,
      );
    } else hostPorts.set(key, [...here, "hostPort"]);
  });
}

function checkMounts(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  volumes: ReadonlySet<string>,
  reported: ReadonlySet<string>,
): void {
  const paths = new Set<string>();
  list(container.volumeMounts).forEach((m, j) => {
    const mount = mapping(m);
    if (mount === undefined) return;
    const here = [...at, "volumeMounts", j];
    if (
      typeof mount.name === "string" &&
      !volumes.has(mount.name) &&
      !isUnderReported([...here, "name"], reported)
    ) {
      const hint =
        volumes.size === 0
          ? "Declare it under spec.volumes"
          : `Declared volumes: ${[...volumes].map(quote).join(", ")}`;
      report(
        ctx,
        "unknown-volume",
        "error",
        [...here, "name"],
        `${formatPath([...here, "name"])}: no volume named ${quote(mount.name)} in spec.volumes`,
        hint,
      );
    }
    if (typeof mount.mountPath !== "string") return;
    if (paths.has(mount.mountPath)) {
      report(
        ctx,
        "duplicate-mount-path",
        "error",
        [...here, "mountPath"],
        `${formatPath([...here, "mountPath"])}: mount path ${quote(mount.mountPath)} is used twice in this container`,
      );
    }
    paths.add(mount.mountPath);
  });
}

function checkRequestsWithinLimits(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  const resources = mapping(container.resources);
  const requests = mapping(resources?.requests) ?? {};
  const limits = mapping(resources?.limits) ?? {};
  for (const [name, request] of Object.entries(requests)) {
    const path = [...at, "resources", "requests", name];
    const limit = own(limits, name);
    if (
      limit === undefined ||
      isUnderReported(path, reported) ||
      isUnderReported([...at, "resources", "limits", name], reported)
    )
      continue;
    if (!isQuantity(request) || !isQuantity(limit)) continue;
    const r = parseQuantity(request);
    const l = parseQuantity(limit);
    if (r.ok && l.ok && compareQuantities(r.value, l.value) > 0) {
      report(
        ctx,
        "request-exceeds-limit",
        "error",
        path,
        `${formatPath(path)}: request ${quote(String(request))} is more than the limit ${quote(String(limit))}`,
      );
    }
  }
}

function isQuantity(v: unknown): v is string | number {
  return typeof v === "string" || typeof v === "number";
}
