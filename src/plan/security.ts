/**
 * Security contexts: the pod's and the container's merged as the kubelet merges them (the
 * container's field wins, whole objects such as seLinuxOptions are not mixed), then turned
 * into libpod's security fields.
 */
// POSIX whatever kplay runs on: these are paths on Podman's (Linux) host, not on kplay's.
import { join } from "node:path/posix";
import type { Container, Pod, PodSecurityContext, SecurityContext } from "../manifest/model.ts";

/** The effective security settings of one container, still in Kubernetes' terms. */
export interface MergedSecurityContext extends SecurityContext {
  supplementalGroups?: number[];
  fsGroup?: number;
}

/** The kubelet's `determineEffectiveSecurityContext`: pod defaults, container overrides. */
export function mergeSecurityContext(
  pod: PodSecurityContext | undefined,
  c: SecurityContext | undefined,
): MergedSecurityContext {
  const merged: MergedSecurityContext = { ...(c ?? {}) };
  const inherit = [
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
  ] as const;
  for (const key of inherit) {
    const value = pod?.[key];
    if (merged[key] === undefined && value !== undefined) Object.assign(merged, { [key]: value });
  }
  if (pod?.supplementalGroups) merged.supplementalGroups = pod.supplementalGroups;
  if (pod?.fsGroup !== undefined) merged.fsGroup = pod.fsGroup;
  return merged;
}

/** The merged context of container `c` of `pod`. */
export function containerSecurity(pod: Pod, c: Container): MergedSecurityContext {
  return mergeSecurityContext(pod.spec.securityContext, c.securityContext);
}

/** Where `Localhost` seccomp profiles live unless the caller says otherwise (Podman's default). */
export const DEFAULT_SECCOMP_ROOT = "/var/lib/kubelet/seccomp";

/**
 * libpod's security fields for a merged context. `user` is set only when the manifest fixes
 * the user; runAsGroup alone keeps the image's user, which a check-image-user step verifies.
 */
export function securityFields(
  sc: MergedSecurityContext,
  seccompRoot: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sc.runAsUser !== undefined) {
    out.user =
      sc.runAsGroup === undefined ? String(sc.runAsUser) : `${sc.runAsUser}:${sc.runAsGroup}`;
  } else if (sc.runAsGroup !== undefined) {
    out.user = `0:${sc.runAsGroup}`;
  }
  // The kubelet adds fsGroup to every container's supplementary groups.
  const groups = [...(sc.supplementalGroups ?? [])];
  if (sc.fsGroup !== undefined && !groups.includes(sc.fsGroup)) groups.push(sc.fsGroup);
  if (groups.length > 0) out.groups = groups.map(String);
  if (sc.capabilities?.add?.length) out.cap_add = sc.capabilities.add;
  if (sc.capabilities?.drop?.length) out.cap_drop = sc.capabilities.drop;
  if (sc.privileged) out.privileged = true;
  if (sc.readOnlyRootFilesystem) {
    out.read_only_filesystem = true;
    // /dev/shm and the other tmpfs stay writable, as in a Kubernetes container (Podman 5's
    // `kube play` sets it too; Podman 4.3 has no such switch and keeps them writable).
    out.read_write_tmpfs = true;
  }
  if (sc.allowPrivilegeEscalation === false) out.no_new_privileges = true;
  const se = sc.seLinuxOptions;
  if (se) {
    const opts = (["user", "role", "type", "level"] as const).flatMap((k) =>
      se[k] ? [`${k}:${se[k]}`] : [],
    );
    if (opts.length > 0) out.selinux_opts = opts;
  }
  // RuntimeDefault is Podman's default profile: nothing to say.
  if (sc.seccompProfile?.type === "Unconfined") out.seccomp_profile_path = "unconfined";
  if (sc.seccompProfile?.type === "Localhost" && sc.seccompProfile.localhostProfile) {
    out.seccomp_profile_path = join(seccompRoot, sc.seccompProfile.localhostProfile);
  }
  if (sc.procMount === "Unmasked") out.unmask = ["ALL"];
  return out;
}

/**
 * What the executor must learn from the image before creating the container, or undefined
 * when the manifest alone decides: runAsNonRoot without a runAsUser, and runAsGroup without
 * a runAsUser (the image's user is kept, and only root can be written as `0:<gid>`).
 */
export function imageUserCheck(
  sc: MergedSecurityContext,
): { runAsNonRoot: boolean; runAsGroup?: number } | undefined {
  if (sc.runAsUser !== undefined) return undefined;
  const nonRoot = sc.runAsNonRoot === true;
  if (!nonRoot && sc.runAsGroup === undefined) return undefined;
  return {
    runAsNonRoot: nonRoot,
    ...(sc.runAsGroup !== undefined ? { runAsGroup: sc.runAsGroup } : {}),
  };
}

/**
 * Why a container may not run with an image whose `Config.User` is `imageUser`, or undefined
 * if it may. Mirrors the kubelet's `verifyRunAsNonRoot`: root (an empty user is root) and a
 * user name (which cannot be resolved to a UID without the image's /etc/passwd) are refused.
 */
export function imageUserProblem(
  imageUser: string,
  check: { runAsNonRoot: boolean; runAsGroup?: number },
): string | undefined {
  const user = imageUser.split(":", 1)[0] ?? "";
  const numeric = /^[0-9]+$/.test(user);
  const root = user === "" || (numeric && Number(user) === 0);
  if (check.runAsNonRoot && !numeric && user !== "") {
    return `runAsNonRoot is set and the image's user "${user}" is a name, so kplay cannot verify it is not root; set runAsUser`;
  }
  if (check.runAsNonRoot && root)
    return "runAsNonRoot is set and the image runs as root; set runAsUser to a non-zero UID";
  if (check.runAsGroup !== undefined && !root) {
    return `runAsGroup without runAsUser keeps the image's user "${user}", which kplay can only combine with a group for root; set runAsUser too`;
  }
  return undefined;
}
