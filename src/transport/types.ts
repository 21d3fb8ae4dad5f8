/**
 * One HTTP-over-socket interface. Everything above this folder speaks only these types;
 * only the adapters in this folder name Bun, Deno or undici.
 */

/**
 * Where Podman listens: a unix socket path, a TCP host and port, or a unix socket on
 * another machine reached through the system `ssh` (`ssh://user@host:port/path`).
 */
export type Endpoint =
  | { readonly kind: "unix"; readonly path: string }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | {
      readonly kind: "ssh";
      readonly host: string;
      readonly port?: number;
      readonly user?: string;
      /** The socket's path on that machine. */
      readonly path: string;
      /** The private key to log in with (a connection's `identity`, CONTAINER_SSHKEY). */
      readonly identity?: string;
    };

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** Absolute path with its version prefix, e.g. `/v4.0.0/libpod/pods/create`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON when present; bytes (a tar archive) are sent as they are. */
  readonly body?: unknown;
  /** The content type of a bytes body (default `application/x-tar`). */
  readonly contentType?: string;
  /** More request headers (registry credentials); never traced. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The raw body stream, for streaming endpoints (logs, pulls). Read it or call `text()`. */
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** A connection Podman took over after answering (exec's stdin one way, output the other). */
export interface Upgraded {
  /** 101 when Podman upgraded; 200 when it streams without; an error status otherwise. */
  readonly status: number;
  /** The answer's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Everything after the answer's head until the connection ends. */
  readonly body: ReadableStream<Uint8Array>;
  /** Sends bytes the other way; resolves once they are handed to the OS. */
  write(bytes: Uint8Array): Promise<void>;
  /** Ends the sending half (the process reads end of file); the output still comes. */
  closeWrite(): void;
  close(): void;
}

export interface Transport {
  readonly endpoint: Endpoint;
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Sends a request whose connection is then taken over; absent where none can be. */
  upgrade?(req: HttpRequest): Promise<Upgraded>;
  close(): Promise<void>;
}

/** A request that never reached Podman (socket missing, refused, reset). */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(
    readonly endpoint: Endpoint,
    /** Why, without the address: `ENOENT: no such file or directory`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot reach Podman at ${describeEndpoint(endpoint)}: ${reason}`, options);
  }
}

/** Formats the request target as a URL path with its query string. */
export function requestTarget(req: Pick<HttpRequest, "path" | "query">): string {
  const query = req.query ? new URLSearchParams(req.query).toString() : "";
  return query ? `${req.path}?${query}` : req.path;
}

/** The base URL used with the socket (its host is ignored on unix sockets). */
export function baseUrl(endpoint: Endpoint): string {
  return endpoint.kind === "tcp" ? `http://${endpoint.host}:${endpoint.port}` : "http://d";
}

/** Describes an endpoint for messages. */
export function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case "unix":
      return `unix://${endpoint.path}`;
    case "tcp":
      return `tcp://${endpoint.host}:${endpoint.port}`;
    case "ssh": {
      const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
      const user = endpoint.user === undefined ? "" : `${endpoint.user}@`;
      const port = endpoint.port === undefined ? "" : `:${endpoint.port}`;
      return `ssh://${user}${host}${port}${endpoint.path}`;
    }
  }
}
