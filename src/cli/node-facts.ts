import { readFileSync } from "node:fs";
import { cpus, hostname, networkInterfaces, platform, totalmem } from "node:os";
import type { NodeFacts } from "../plan/types.ts";
import type { HostInfo } from "../podman/info.ts";
import type { Endpoint } from "../transport/types.ts";

/** Bridges and veths of container engines: never the host's own address. */
const VIRTUAL = /^(podman|cni|docker|veth|br-|virbr|kplay)/;

/** The interface of the default route (Linux), if there is one. */
function defaultRouteInterface(): string | undefined {
  try {
    for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
      const [iface, destination] = line.trim().split(/\s+/);
      if (destination === "00000000" && iface) return iface;
    }
  } catch {
    // not Linux, or no /proc: fall back to the interface list
  }
  return undefined;
}

/**
 * This machine's address (`status.hostIP`): the default route's interface, else the first
 * non-loopback, non-virtual IPv4 one, else 127.0.0.1. Stable across runs, so an unchanged pod
 * that reads it is not seen as changed because a bridge came up first.
 */
function localAddress(): string {
  const interfaces = networkInterfaces();
  const preferred = defaultRouteInterface();
  const ipv4 = (name: string) =>
    interfaces[name]?.find((a) => a.family === "IPv4" && !a.internal)?.address;
  const fromRoute = preferred === undefined ? undefined : ipv4(preferred);
  if (fromRoute) return fromRoute;
  for (const name of Object.keys(interfaces).sort()) {
    const address = VIRTUAL.test(name) ? undefined : ipv4(name);
    if (address) return address;
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
 * that listens here (a remote one's setting cannot be read: undefined, no check). On macOS and
 * Windows a local socket leads to `podman machine`'s Linux VM, whose setting is not this
 * machine's either.
 */
export function unprivilegedPortStart(
  info: HostInfo,
  endpoint: Endpoint,
  system: string = platform(),
): number | undefined {
  if (!info.rootless || endpoint.kind !== "unix" || system !== "linux") return undefined;
  try {
    const value = Number(
      readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8").trim(),
    );
    return Number.isInteger(value) ? value : 1024;
  } catch {
    return 1024;
  }
}
