import { createFetchTransport } from "./fetch-transport.ts";
import type { Endpoint, Transport } from "./types.ts";

interface DenoHttpClient {
  close(): void;
}
interface DenoGlobal {
  createHttpClient(options: { proxy: { transport: "unix"; path: string } }): DenoHttpClient;
}

/** Deno reaches a unix socket through an HTTP client with a unix "proxy" transport. */
export function createDenoTransport(endpoint: Endpoint): Transport {
  const deno = (globalThis as unknown as { Deno: DenoGlobal }).Deno;
  if (endpoint.kind !== "unix")
    return createFetchTransport(endpoint, (url, init) => fetch(url, init));
  const client = deno.createHttpClient({ proxy: { transport: "unix", path: endpoint.path } });
  return createFetchTransport(
    endpoint,
    (url, init) => fetch(url, { ...init, client } as RequestInit),
    async () => client.close(),
  );
}
