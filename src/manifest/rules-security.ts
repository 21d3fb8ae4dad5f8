/**
 * The API server's security rules (validatePodSpecSecurityContext, ValidateSecurityContext,
 * validateHostUsers): user and group IDs, sysctl names, seccomp profile fields, and the
 * settings that exclude each other (privileged without privilege escalation, an unmasked
 * /proc or host namespaces with a user namespace, a shared PID namespace with the host's).
 */
import { checkEnum, checkName, checkRange, checkUnique, fail } from "./check.ts";
import { list, mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkSysctlName } from "./names.ts";
import { isUnderReported } from "./validate.ts";

/** libcontainer's UID/GID limit, which the API server enforces. */
const ID = { min: 0, max: 2147483647 } as const;

/** Checks `spec.securityContext` and the host namespace settings beside it. */
export function checkPodSecurity(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const at: FieldPath = ["spec", "securityContext"];
  const sc = mapping(spec.securityContext);
  if (spec.hostUsers === false) {
    for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
      if (spec[field] !== true) continue;
      fail(
        ctx,
        "conflicting-fields",
        ["spec", field],
        "may not be true when hostUsers is false",
        reported,
        {
          hint: "A pod in its own user namespace cannot share the host's other namespaces",
        },
      );
    }
  }
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    const detail = "may not be true when hostPID is true: the pod shares the host's PID namespace";
    fail(ctx, "conflicting-fields", ["spec", "shareProcessNamespace"], detail, reported);
  }
  if (sc === undefined) return;
  for (const field of ["runAsUser", "runAsGroup", "fsGroup"] as const)
    checkRange(ctx, [...at, field], sc[field], ID, reported);
  list(sc.supplementalGroups).forEach((g, i) => {
    checkRange(ctx, [...at, "supplementalGroups", i], g, ID, reported);
  });
  checkSeccomp(ctx, sc, at, reported);
  checkEnum(
    ctx,
    [...at, "fsGroupChangePolicy"],
    sc.fsGroupChangePolicy,
    ["OnRootMismatch", "Always"],
    reported,
  );
  checkEnum(
    ctx,
    [...at, "seLinuxChangePolicy"],
    sc.seLinuxChangePolicy,
    ["Recursive", "MountOption"],
    reported,
  );
  checkEnum(
    ctx,
    [...at, "supplementalGroupsPolicy"],
    sc.supplementalGroupsPolicy,
    ["Merge", "Strict"],
    reported,
  );
  const names = new Map<string, FieldPath>();
  list(sc.sysctls).forEach((s, i) => {
    const path = [...at, "sysctls", i, "name"];
    const name = mapping(s)?.name;
    if (checkName(ctx, path, name, "sysctl name", checkSysctlName, reported)) return;
    if (typeof name !== "string" || isUnderReported(path, reported)) return;
    checkUnique(ctx, names, name, path, `sysctl ${quote(name)}`, reported, { verb: "set" });
  });
}

/** Checks one container's `securityContext`; `hostUsers` is the pod's setting (default true). */
export function checkContainerSecurity(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  hostUsers: boolean,
  reported: ReadonlySet<string>,
): void {
  const sc = mapping(container.securityContext);
  if (sc === undefined) return;
  const here = [...at, "securityContext"];
  for (const field of ["runAsUser", "runAsGroup"] as const)
    checkRange(ctx, [...here, field], sc[field], ID, reported);
  if (sc.procMount === "Unmasked" && hostUsers) {
    const detail = 'may be "Unmasked" only when the pod sets hostUsers: false';
    fail(ctx, "conflicting-fields", [...here, "procMount"], detail, reported);
  }
  checkSeccomp(ctx, sc, here, reported);
  if (sc.allowPrivilegeEscalation !== false) return;
  if (sc.privileged === true) {
    const detail = "may not be true when allowPrivilegeEscalation is false";
    fail(ctx, "conflicting-fields", [...here, "privileged"], detail, reported, {
      hint: "A privileged container can always escalate; drop one of the two",
    });
  }
  list(mapping(sc.capabilities)?.add).forEach((cap, i) => {
    if (cap !== "CAP_SYS_ADMIN") return;
    const detail = "CAP_SYS_ADMIN may not be added when allowPrivilegeEscalation is false";
    fail(ctx, "conflicting-fields", [...here, "capabilities", "add", i], detail, reported);
  });
}

/** A localhostProfile belongs to a Localhost profile only (which needs one: checks.ts). */
function checkSeccomp(
  ctx: ObjectContext,
  sc: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  const profile = mapping(sc.seccompProfile);
  if (profile === undefined || profile.type === "Localhost") return;
  if (profile.localhostProfile === undefined || profile.localhostProfile === null) return;
  const path = [...at, "seccompProfile", "localhostProfile"];
  fail(
    ctx,
    "forbidden-field",
    path,
    "can only be set when the seccomp type is Localhost",
    reported,
    {
      anchor: "key",
    },
  );
}
