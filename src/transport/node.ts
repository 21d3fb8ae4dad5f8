import { createFetchTransport } from "./fetch-transport.ts";
import type { Endpoint, Transport } from "./types.ts";

/**
 * Node: undici 7 with an Agent bound to the socket (undici 8 needs Node 22). Loaded here, not
 * at the top: a bundle evaluates every static import at start-up, and Bun and Deno never
 * take this path (measured: about 5 ms of every compiled run).
 */
export async function createNodeTransport(endpoint: Endpoint): Promise<Transport> {
  const { Agent, fetch: undiciFetch } = await import("undici");
  const agent =
    endpoint.kind === "unix" ? new Agent({ connect: { socketPath: endpoint.path } }) : new Agent();
  return createFetchTransport(
    endpoint,
    (url, init) =>
      undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    () => agent.close(),
  );
}
