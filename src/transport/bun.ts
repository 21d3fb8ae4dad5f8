import { createFetchTransport } from "./fetch-transport.ts";
import type { Endpoint, Transport } from "./types.ts";

/**
 * Bun's own fetch takes a `unix` option. Bun's built-in `undici` module ignores
 * `socketPath`, so this adapter must not go through undici.
 */
export function createBunTransport(endpoint: Endpoint): Transport {
  return createFetchTransport(endpoint, (url, init) =>
    fetch(url, endpoint.kind === "unix" ? ({ ...init, unix: endpoint.path } as RequestInit) : init),
  );
}
