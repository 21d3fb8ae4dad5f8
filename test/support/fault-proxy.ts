/**
 * A fault-injecting proxy in front of the isolated Podman: kplay talks to it through
 * `--url unix://<proxy socket>`, it forwards every request to the real service, counts them
 * by method and path, and on demand answers a matching request with a Podman-style 500,
 * drops its connection, or holds it for a while. For the faults a real Podman cannot be
 * made to produce on demand; everything else still reaches the real service.
 */
import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testSocketPath } from "./env.ts";

/** One request as the proxy saw it. */
export interface SeenRequest {
  readonly method: string;
  /** The path without its query and without the `/v4.0.0/libpod` style prefix: `/pods/create`. */
  readonly path: string;
  readonly query: string;
  /** The request's headers, lower-cased names (Node's view). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The status sent back; 0 when the connection was dropped. */
  status: number;
  /** Podman has answered it (or it never reached Podman): nothing of it is still in flight. */
  settled: boolean;
}

export type FaultAction =
  /** Answer 500 with Podman's JSON error body; the request never reaches Podman. */
  | { readonly kind: "fail"; readonly message?: string; readonly status?: number }
  /**
   * Destroy the client's connection. `before`: Podman never sees the request; `after`:
   * Podman carries it out and the answer is lost.
   */
  | { readonly kind: "drop"; readonly when?: "before" | "after" }
  /** Hold the request this long, then forward it. */
  | { readonly kind: "delay"; readonly ms: number };

export interface FaultRule {
  /** Matches the method exactly (any method when absent). */
  readonly method?: string;
  /** Matches the prefix-less path: a string must be equal, a RegExp must match. */
  readonly path: string | RegExp;
  /** Which matching request (1-based) the fault hits; every later one too with `andAfter`. */
  readonly nth?: number;
  /** Also hit every matching request after the nth (default false: only the nth). */
  readonly andAfter?: boolean;
  readonly action: FaultAction;
}

export interface FaultProxy {
  /** `unix://…/proxy.sock`, for kplay's --url. */
  readonly url: string;
  readonly socketPath: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly SeenRequest[];
  /** Adds a fault; returns a promise that resolves when it first hits (with that request). */
  inject(rule: FaultRule): Promise<SeenRequest>;
  /** Forgets the faults (the request log stays). */
  clearFaults(): void;
  /** Forgets the request log. */
  resetLog(): void;
  /** How many requests matched `method` (any when undefined) and `path`. */
  count(method: string | undefined, path: string | RegExp): number;
  /** The POST, PUT and DELETE requests: what changes Podman's state. */
  mutating(): SeenRequest[];
  close(): Promise<void>;
}

const PREFIX = /^\/v\d+(\.\d+)*\/libpod/;
const MUTATING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

interface ActiveRule {
  readonly rule: FaultRule;
  matched: number;
  readonly hit: (r: SeenRequest) => void;
}

function matches(want: Pick<FaultRule, "method" | "path">, method: string, path: string): boolean {
  if (want.method !== undefined && want.method !== method) return false;
  return typeof want.path === "string" ? want.path === path : want.path.test(path);
}

/** Starts a proxy on a fresh socket in a temp folder, forwarding to `target` (the test service). */
export async function startFaultProxy(
  target: string = testSocketPath(),
  options: {
    /**
     * Let Podman finish a request whose client went away (as a real kill leaves it), instead
     * of closing the forwarded connection too (which an aborted `logs -f` needs).
     */
    readonly finishOrphans?: boolean;
  } = {},
): Promise<FaultProxy> {
  const dir = mkdtempSync(join(tmpdir(), "kplay-proxy-"));
  const socketPath = join(dir, "proxy.sock");
  const requests: SeenRequest[] = [];
  let rules: ActiveRule[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const [rawPath = "", query = ""] = (req.url ?? "").split("?", 2);
    const method = req.method ?? "GET";
    const seen: SeenRequest = {
      method,
      path: rawPath.replace(PREFIX, ""),
      query,
      headers: { ...req.headers },
      status: 0,
      settled: false,
    };
    requests.push(seen);
    let action: FaultAction | undefined;
    for (const active of rules) {
      if (!matches(active.rule, method, seen.path)) continue;
      active.matched += 1;
      const nth = active.rule.nth ?? 1;
      if (active.matched === nth || (active.rule.andAfter && active.matched > nth)) {
        action ??= active.rule.action;
        if (active.matched === nth) active.hit(seen);
      }
    }
    void handle(req, res, seen, action, target, options.finishOrphans === true);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });

  return {
    url: `unix://${socketPath}`,
    socketPath,
    requests,
    inject(rule) {
      return new Promise<SeenRequest>((resolve) => {
        rules.push({ rule, matched: 0, hit: resolve });
      });
    },
    clearFaults() {
      rules = [];
    },
    resetLog() {
      requests.length = 0;
    },
    count(method, path) {
      return requests.filter((r) =>
        matches({ path, ...(method ? { method } : {}) }, r.method, r.path),
      ).length;
    },
    mutating() {
      return requests.filter((r) => MUTATING.has(r.method));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  seen: SeenRequest,
  action: FaultAction | undefined,
  target: string,
  finishOrphans: boolean,
): Promise<void> {
  if (action?.kind === "fail") {
    const status = action.status ?? 500;
    const message =
      action.message ?? `fault-proxy: injected failure of ${seen.method} ${seen.path}`;
    seen.status = status;
    seen.settled = true;
    req.resume();
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ cause: message, message, response: status }));
    return;
  }
  if (action?.kind === "drop" && action.when !== "after") {
    seen.settled = true;
    req.resume();
    req.socket.destroy();
    return;
  }
  if (action?.kind === "delay") await new Promise((r) => setTimeout(r, action.ms));
  forward(req, res, seen, target, action?.kind === "drop", finishOrphans);
}

/** Sends the request on to Podman and pipes the answer back (or drops it after Podman acted). */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  seen: SeenRequest,
  target: string,
  dropAnswer: boolean,
  finishOrphans: boolean,
): void {
  const headers = { ...req.headers };
  // One connection per forwarded request: keep-alive state stays between kplay and the proxy.
  delete headers.connection;
  const upstream = httpRequest(
    { socketPath: target, method: req.method, path: req.url, headers, agent: false },
    (up) => {
      up.on("end", () => {
        seen.settled = true;
      });
      up.on("close", () => {
        seen.settled = true;
      });
      if (dropAnswer) {
        // Podman has done it; read its whole answer, then lose it.
        up.resume();
        up.on("end", () => req.socket.destroy());
        return;
      }
      seen.status = up.statusCode ?? 0;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", (e) => {
    seen.settled = true;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    seen.status = 502;
    res.writeHead(502, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ cause: String(e), message: `fault-proxy: ${String(e)}`, response: 502 }),
    );
  });
  upstream.on("close", () => {
    seen.settled = true;
  });
  // Closing the client side (kplay aborted a follow) ends the upstream request too, unless
  // Podman is to finish it as it finishes the requests of a client that died.
  if (!finishOrphans) res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}
