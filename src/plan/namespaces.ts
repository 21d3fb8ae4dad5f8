/**
 * Namespaces: what a pod's containers share with each other (through the infra container)
 * and with the host (hostNetwork, hostPID, hostIPC, hostUsers), plus Podman's userns
 * annotation.
 */
import type { Pod } from "../manifest/model.ts";
import { ANNOTATION } from "./annotations.ts";

const HOST = { nsmode: "host" } as const;

/** A libpod namespace setting, `{ nsmode, value? }`. */
export interface Namespace {
  readonly nsmode: string;
  readonly value?: string;
}

/** A pod's user namespace: libpod's `userns`, and the ID mappings an `auto` one needs. */
export interface UserNamespace {
  readonly userns: Namespace;
  /** Podman 4.3 builds the infra container from these; without them `auto` is ignored. */
  readonly idmappings?: { AutoUserNs: true; AutoUserNsOpts?: { Size: number } };
}

/**
 * The pod's user namespace: Podman's `io.podman.annotations.userns` (or `…/<pod name>`)
 * first, then `hostUsers: false` as `auto`. Podman's syntax: host, private (read as auto, as
 * kube play does), auto[:size=N], keep-id[:OPTIONS], nomap, ns:PATH.
 */
export function podUserNamespace(
  pod: Pod,
): UserNamespace | { problem: string; key: string } | undefined {
  const auto = (size?: number): UserNamespace => ({
    userns: { nsmode: "auto", ...(size ? { value: `size=${size}` } : {}) },
    idmappings: { AutoUserNs: true, ...(size ? { AutoUserNsOpts: { Size: size } } : {}) },
  });
  const all = pod.metadata.annotations ?? {};
  const key = [ANNOTATION.userns, `${ANNOTATION.userns}/${pod.metadata.name}`].find((k) =>
    Object.hasOwn(all, k),
  );
  if (key === undefined) return pod.spec.hostUsers === false ? auto() : undefined;
  const value = all[key] ?? "";
  if (value === "" || value === "host") return undefined;
  if (value === "auto" || value === "private") return auto();
  const size = /^auto:size=([0-9]+)$/.exec(value);
  if (size) return auto(Number(size[1]));
  if (value === "nomap") return { userns: { nsmode: "nomap" } };
  if (value === "keep-id" || value.startsWith("keep-id:")) {
    return {
      userns: { nsmode: "keep-id", ...(value.length > 8 ? { value: value.slice(8) } : {}) },
    };
  }
  if (value.startsWith("ns:/")) return { userns: { nsmode: "path", value: value.slice(3) } };
  return {
    key,
    problem: `"${value}" is not one of host, private, auto, auto:size=N, keep-id[:OPTIONS], nomap, ns:PATH`,
  };
}

/** Namespace fields of the pod-create body. */
export function podNamespaceFields(pod: Pod): Record<string, unknown> {
  const { spec } = pod;
  // Kubernetes pods always share network and UTS, and IPC unless it is the host's.
  const shared = spec.hostIPC ? ["net", "uts"] : ["ipc", "net", "uts"];
  if (spec.shareProcessNamespace && !spec.hostPID) shared.push("pid");
  const out: Record<string, unknown> = { shared_namespaces: shared };
  // A host-network pod also has the host's name, as in Kubernetes.
  if (spec.hostNetwork) Object.assign(out, { netns: HOST, utsns: HOST });
  // The infra container too, so `podman pod inspect` tells the truth; members get their own.
  if (spec.hostPID) out.pidns = HOST;
  const userns = podUserNamespace(pod);
  if (userns && !("problem" in userns)) Object.assign(out, userns);
  return out;
}

/**
 * Namespace fields of each container-create body. Podman 4.3 does not pass a pod's host PID
 * or IPC namespace on to its members, so each container asks for them itself.
 */
export function containerNamespaceFields(pod: Pod): Record<string, unknown> {
  return {
    ...(pod.spec.hostPID ? { pidns: HOST } : {}),
    ...(pod.spec.hostIPC ? { ipcns: HOST } : {}),
  };
}
