import {
  baseUrl,
  type Endpoint,
  type HttpRequest,
  type HttpResponse,
  requestTarget,
  type Transport,
  TransportError,
  type Upgraded,
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
    async upgrade(req: HttpRequest): Promise<Upgraded> {
      if (endpoint.kind === "ssh") throw new TransportError(endpoint, "no upgrade over ssh here");
      return (await import("./upgrade.ts")).openUpgraded(endpoint, req);
    },
    async request(req: HttpRequest): Promise<HttpResponse> {
      const init: RequestInit = { method: req.method, headers: {} };
      if (req.body instanceof Uint8Array) {
        init.body = req.body;
        init.headers = { "content-type": req.contentType ?? "application/x-tar" };
      } else if (req.body !== undefined) {
        init.body = JSON.stringify(req.body);
        init.headers = { "content-type": "application/json" };
      }
      if (req.headers)
        init.headers = { ...(init.headers as Record<string, string>), ...req.headers };
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

const FRIENDLY: Record<string, string> = {
  ENOENT: "no such socket file",
  ECONNREFUSED: "connection refused (nothing listens there)",
  EACCES: "permission denied",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "unknown host",
  ETIMEDOUT: "timed out",
};

const OS_ERRORS: Record<string, string> = {
  "2": "ENOENT",
  "13": "EACCES",
  "104": "ECONNRESET",
  "110": "ETIMEDOUT",
  "111": "ECONNREFUSED",
};

/** Finds the system error code in a runtime's fetch error, wherever that runtime put it. */
function errorCode(cause: unknown): string | undefined {
  for (
    let e: unknown = cause, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const text = e instanceof Error ? e.message : String(e);
    const match = /\b(E[A-Z]{3,})\b/.exec(text);
    if (match?.[1]) return match[1];
    // Deno reports the errno only: "No such file or directory (os error 2)".
    const os = /\(os error (\d+)\)/.exec(text);
    if (os?.[1] && OS_ERRORS[os[1]]) return OS_ERRORS[os[1]];
  }
  return undefined;
}

/** A runtime's socket error as the user reads it: `connection refused (ECONNREFUSED)`. */
export function causeText(cause: unknown): string {
  const code = errorCode(cause);
  if (code && FRIENDLY[code]) return `${FRIENDLY[code]} (${code})`;
  if (code) return code;
  return cause instanceof Error ? cause.message : String(cause);
}
