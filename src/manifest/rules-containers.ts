/**
 * Rules over a Pod's containers: names (syntax, unique across init and app containers), the
 * image, volume mounts (declared volume, unique mount path), and each container's env, ports,
 * probes, resources and security context (one file each).
 */
import { checkEnum, checkName, checkUnique, fail, isSet } from "./check.ts";
import { formatPath, list, mapping, type ObjectContext, quote, report } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Label } from "./names.ts";
import { checkEnv } from "./rules-env.ts";
import { checkPorts, type HostPorts } from "./rules-ports.ts";
import { checkProbes } from "./rules-probes.ts";
import { checkResources } from "./rules-resources.ts";
import { checkContainerSecurity } from "./rules-security.ts";
import { isUnderReported } from "./validate.ts";

/** Checks every container rule; `volumes` is the set of declared volume names. */
export function checkContainers(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  volumes: ReadonlySet<string>,
  reported: ReadonlySet<string>,
): void {
  const names = new Map<string, FieldPath>();
  // App containers run together and share host ports; each init container runs alone.
  const appPorts: HostPorts = new Map();
  const hostNetwork = spec.hostNetwork === true;
  const hostUsers = spec.hostUsers !== false;
  for (const field of ["initContainers", "containers"] as const) {
    list(spec[field]).forEach((c, i) => {
      const container = mapping(c);
      if (container === undefined) return;
      const at: FieldPath = ["spec", field, i];
      const init = field === "initContainers";
      checkContainerName(ctx, container.name, [...at, "name"], names, reported);
      checkImage(ctx, container.image, [...at, "image"], reported);
      checkEnum(
        ctx,
        [...at, "terminationMessagePolicy"],
        container.terminationMessagePolicy,
        ["File", "FallbackToLogsOnError"],
        reported,
      );
      checkEnv(ctx, container, at, reported);
      // The API server checks hostPort == containerPort for app containers only.
      checkPorts(ctx, container, at, init ? new Map() : appPorts, hostNetwork && !init, reported);
      checkMounts(ctx, container, at, volumes, reported);
      // On an init container only Always is valid (the schema says so); on others, nothing.
      if (!init && isSet(container.restartPolicy)) {
        fail(
          ctx,
          "forbidden-field",
          [...at, "restartPolicy"],
          "may not be set for non-init containers",
          reported,
          {
            anchor: "key",
            hint: "The pod's spec.restartPolicy applies to its app containers; restartPolicy: Always on an init container makes a sidecar",
          },
        );
      }
      checkProbes(ctx, container, at, init && container.restartPolicy !== "Always", reported);
      checkResources(ctx, container, at, reported);
      checkContainerSecurity(ctx, container, at, hostUsers, reported);
    });
  }
}

function checkContainerName(
  ctx: ObjectContext,
  name: unknown,
  path: FieldPath,
  names: Map<string, FieldPath>,
  reported: ReadonlySet<string>,
): void {
  checkName(ctx, path, name, "container name (a DNS-1123 label)", checkDns1123Label, reported);
  if (typeof name !== "string") return;
  checkUnique(ctx, names, name, path, `container name ${quote(name)}`, reported, {
    hint: "Container names must be unique across initContainers and containers",
  });
}

/**
 * The API server refuses an empty image, and (for a Pod, not a workload's template) one with
 * leading or trailing whitespace. Other malformed references pass it and fail in the kubelet:
 * plan/checks.ts refuses those before Podman sees them.
 */
function checkImage(
  ctx: ObjectContext,
  image: unknown,
  path: FieldPath,
  reported: ReadonlySet<string>,
): void {
  if (typeof image !== "string") return;
  if (image === "") fail(ctx, "bad-image", path, "must not be empty", reported);
  else if (image.trim() !== image)
    fail(
      ctx,
      "bad-image",
      path,
      `${quote(image)} must not have leading or trailing whitespace`,
      reported,
    );
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
    if (typeof mount.subPath === "string" && mount.subPath !== "" && isSet(mount.subPathExpr))
      fail(
        ctx,
        "conflicting-fields",
        [...here, "subPathExpr"],
        "subPath and subPathExpr are mutually exclusive",
        reported,
        { anchor: "key" },
      );
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
