import { readFileSync } from "node:fs";
import { cpus, hostname, networkInterfaces, totalmem } from "node:os";
import type { NodeFacts } from "../plan/types.ts";
import type { HostInfo } from "../podman/info.ts";
import type { Endpoint } from "../transport/types.ts";

/** The first non-loopback IPv4 address of this machine, or 127.0.0.1. */
function localAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

/** Node facts for an offline `plan`: this machine's, since Podman is not asked. */
export function localNodeFacts(): NodeFacts {
  return { name: hostname(), hostIP: localAddress(), cpus: cpus().length, memoryBytes: totalmem() };
}

/**
 * Node facts for a play: Podman's own host info. Its address is this machine's when Podman
 * listens on a local socket, else the host kplay reaches it at.
 */
export function podmanNodeFacts(info: HostInfo, endpoint: Endpoint): NodeFacts {
  return {
    name: info.hostname,
    hostIP: endpoint.kind === "unix" ? localAddress() : endpoint.host,
    cpus: info.cpus,
    memoryBytes: info.memTotal,
  };
}

/**
 * The lowest port an unprivileged process may bind on this machine, for a rootless Podman
 * that listens here (a remote one's setting cannot be read: undefined, no check).
 */
export function unprivilegedPortStart(info: HostInfo, endpoint: Endpoint): number | undefined {
  if (!info.rootless || endpoint.kind !== "unix") return undefined;
  try {
    const value = Number(
      readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8").trim(),
    );
    return Number.isInteger(value) ? value : 1024;
  } catch {
    return 1024;
  }
}
