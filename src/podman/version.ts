import type { Transport } from "../transport/types.ts";
import { API_PREFIX, type PodmanClient } from "./client.ts";
import { PodmanVersionError } from "./errors.ts";

/** The oldest libpod API kplay drives. */
export const MIN_API_VERSION = "4.0.0";

export interface PodmanVersion {
  readonly version: string;
  readonly apiVersion: string;
}

/**
 * Pings Podman and checks its libpod API version before any change is made.
 * Throws TransportError when nothing answers, PodmanVersionError when it is too old.
 */
export async function checkPodman(transport: Transport): Promise<string> {
  const res = await transport.request({ method: "GET", path: `${API_PREFIX}/_ping` });
  await res.text();
  const api = res.headers.get("libpod-api-version");
  if (!api) {
    throw new PodmanVersionError(
      `The service at this address answered but is not Podman's libpod API (no Libpod-API-Version header, status ${res.status})`,
    );
  }
  if (compareVersions(api, MIN_API_VERSION) < 0) {
    throw new PodmanVersionError(
      `Podman's API ${api} is older than ${MIN_API_VERSION}, the oldest kplay supports`,
    );
  }
  return api;
}

/** Reads Podman's version and API version. */
export async function readVersion(client: PodmanClient): Promise<PodmanVersion> {
  const v = await client.call<{
    Version?: string;
    Components?: { Name?: string; Version?: string; Details?: { APIVersion?: string } }[];
  }>({ method: "GET", path: "/version" });
  // The top-level ApiVersion is the Docker-compatible one; libpod's is the engine component's.
  const engine = v?.Components?.find((c) => c.Name === "Podman Engine");
  return {
    version: String(engine?.Version ?? v?.Version ?? "unknown"),
    apiVersion: String(engine?.Details?.APIVersion ?? "unknown"),
  };
}

/** Compares dotted numeric versions: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
