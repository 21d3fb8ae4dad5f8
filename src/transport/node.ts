import { Agent, fetch as undiciFetch } from "undici";
import { createFetchTransport } from "./fetch-transport.ts";
import type { Endpoint, Transport } from "./types.ts";

/** Node: undici 7 with an Agent bound to the socket (undici 8 needs Node 22). */
export function createNodeTransport(endpoint: Endpoint): Transport {
  const agent =
    endpoint.kind === "unix" ? new Agent({ connect: { socketPath: endpoint.path } }) : new Agent();
  return createFetchTransport(
    endpoint,
    (url, init) =>
      undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    () => agent.close(),
  );
}
