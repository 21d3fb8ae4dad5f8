import type { Endpoint, Transport } from "./types.ts";

export type Runtime = "bun" | "deno" | "node";

/** Tells which runtime this process is: the only runtime sniffing in kplay. */
export function detectRuntime(): Runtime {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return "bun";
  if (g.Deno !== undefined) return "deno";
  return "node";
}

/** Opens a transport with the adapter for the running runtime (loaded lazily). */
export async function openTransport(
  endpoint: Endpoint,
  runtime = detectRuntime(),
): Promise<Transport> {
  if (endpoint.kind === "ssh") {
    const { openSshTransport } = await import("./ssh.ts");
    return openSshTransport(endpoint, (local) => openTransport(local, runtime));
  }
  switch (runtime) {
    case "bun":
      return (await import("./bun.ts")).createBunTransport(endpoint);
    case "deno":
      return (await import("./deno.ts")).createDenoTransport(endpoint);
    case "node":
      return (await import("./node.ts")).createNodeTransport(endpoint);
  }
}
