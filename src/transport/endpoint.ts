import type { Endpoint } from "./types.ts";

/**
 * Parses `unix:///path`, `unix:/path`, `tcp://host:port`, a bare absolute socket path, or
 * `ssh://[user@]host[:port]/path/to/podman.sock` (with the key to log in with, if any).
 */
export function parseEndpoint(url: string, identity?: string): Endpoint | undefined {
  if (url.startsWith("/")) return { kind: "unix", path: url };
  if (url.startsWith("ssh://")) return parseSsh(url, identity);
  if (url.startsWith("unix://")) {
    const path = url.slice("unix://".length);
    return path.startsWith("/") ? { kind: "unix", path } : undefined;
  }
  if (url.startsWith("unix:")) {
    const path = url.slice("unix:".length);
    return path.startsWith("/") ? { kind: "unix", path } : undefined;
  }
  if (url.startsWith("tcp://") || url.startsWith("http://")) {
    const parsed = URL.canParse(url.replace(/^tcp:/, "http:"))
      ? new URL(url.replace(/^tcp:/, "http:"))
      : undefined;
    if (!parsed) return undefined;
    const port = Number(parsed.port || "80");
    if (!parsed.hostname || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
    return { kind: "tcp", host: parsed.hostname.replace(/^\[|\]$/g, ""), port };
  }
  return undefined;
}

function parseSsh(url: string, identity: string | undefined): Endpoint | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const path = decodeURIComponent(parsed.pathname);
  // Podman's own default path is asked of the remote podman; kplay needs it written out.
  if (!host || !path.startsWith("/") || path === "/" || parsed.search || parsed.hash)
    return undefined;
  const port = parsed.port === "" ? undefined : Number(parsed.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) return undefined;
  const user = parsed.username === "" ? undefined : decodeURIComponent(parsed.username);
  // A password in the URL would end up in process lists and traces: ssh keys only.
  if (parsed.password) return undefined;
  return {
    kind: "ssh",
    host,
    path,
    ...(port === undefined ? {} : { port }),
    ...(user === undefined ? {} : { user }),
    ...(identity ? { identity } : {}),
  };
}

/**
 * Says why a candidate is not an address kplay can use: a Windows named pipe (`npipe://`,
 * what `podman machine` gives on Windows), which no transport of kplay's opens yet, or
 * anything else that is not unix:// or tcp://.
 */
export function describeUnusableEndpoint(candidate: EndpointCandidate): string {
  const what = `${candidate.source} "${candidate.url}"`;
  if (candidate.url.startsWith("npipe:")) {
    return `${what} is a Windows named pipe, which kplay cannot open yet: run kplay inside the Podman machine (podman machine ssh), or give a tcp://host:port address that reaches its API`;
  }
  if (candidate.url.startsWith("ssh://")) {
    return `${what} is not a usable ssh address: write ssh://[user@]host[:port]/path/to/podman.sock (no password; the socket's path in full, e.g. /run/user/1000/podman/podman.sock)`;
  }
  return `${what} is not a Podman address (use unix:///path, tcp://host:port or ssh://user@host/path/to/podman.sock)`;
}

export interface EndpointCandidate {
  readonly url: string;
  /** Why this place was tried, for the "where kplay looked" message. */
  readonly source: string;
}

/**
 * Lists where to look for Podman, in order: --url, CONTAINER_HOST,
 * $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock.
 */
export function endpointCandidates(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): EndpointCandidate[] {
  if (flag) return [{ url: flag, source: "--url" }];
  if (env.CONTAINER_HOST) return [{ url: env.CONTAINER_HOST, source: "CONTAINER_HOST" }];
  const out: EndpointCandidate[] = [];
  if (env.XDG_RUNTIME_DIR) {
    out.push({
      url: `unix://${env.XDG_RUNTIME_DIR}/podman/podman.sock`,
      source: "$XDG_RUNTIME_DIR/podman/podman.sock",
    });
  }
  out.push({ url: "unix:///run/podman/podman.sock", source: "the rootful default" });
  return out;
}
