import {
  baseUrl,
  type Endpoint,
  type HttpRequest,
  type HttpResponse,
  requestTarget,
  type Transport,
  TransportError,
} from "./types.ts";

/** A fetch-like function: the one thing an adapter supplies. */
export type SocketFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Builds a Transport from a runtime's socket-capable fetch. Shared by every adapter so the
 * request encoding and error mapping are the same on Bun, Deno and Node.
 */
export function createFetchTransport(
  endpoint: Endpoint,
  socketFetch: SocketFetch,
  close: () => Promise<void> = async () => {},
): Transport {
  const base = baseUrl(endpoint);
  return {
    endpoint,
    async request(req: HttpRequest): Promise<HttpResponse> {
      const init: RequestInit = { method: req.method, headers: {} };
      if (req.body !== undefined) {
        init.body = JSON.stringify(req.body);
        init.headers = { "content-type": "application/json" };
      }
      if (req.signal) init.signal = req.signal;
      let res: Response;
      try {
        res = await socketFetch(base + requestTarget(req), init);
      } catch (cause) {
        if (req.signal?.aborted) throw cause;
        throw new TransportError(endpoint, causeText(cause), { cause });
      }
      return {
        status: res.status,
        headers: res.headers,
        body: res.body,
        text: () => res.text(),
      };
    },
    close,
  };
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = (cause as { code?: unknown }).code ?? (inner as { code?: unknown } | undefined)?.code;
    const detail = inner instanceof Error ? inner.message : cause.message;
    return typeof code === "string" && !detail.includes(code) ? `${code}: ${detail}` : detail;
  }
  return String(cause);
}
