import type { PodmanClient } from "./client.ts";

/** What `GET /info` tells about the machine Podman runs on. */
export interface HostInfo {
  readonly hostname: string;
  readonly cpus: number;
  readonly memTotal: number;
  /** Whether Podman runs rootless (it then cannot bind privileged host ports). */
  readonly rootless: boolean;
}

/** Reads Podman's host facts (the "node" the downward API describes). */
export async function readHostInfo(client: PodmanClient): Promise<HostInfo> {
  const info = await client.call<{
    host?: {
      hostname?: string;
      cpus?: number;
      memTotal?: number;
      security?: { rootless?: boolean };
    };
  }>({
    method: "GET",
    path: "/info",
  });
  return {
    hostname: String(info?.host?.hostname ?? "localhost"),
    cpus: Number(info?.host?.cpus ?? 1),
    memTotal: Number(info?.host?.memTotal ?? 0),
    rootless: info?.host?.security?.rootless === true,
  };
}
