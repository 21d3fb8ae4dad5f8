/**
 * HTTP from the test process to a pod, through a hostPort on 127.0.0.1 only. The bridge
 * network's 10.88.x.x addresses (and any other host) are refused: the project's network rule.
 */
import { get } from "node:http";
import { createServer } from "node:net";

export interface HttpGetOptions {
  /** Per attempt (default 5 s). */
  readonly timeoutMs?: number;
  /** Pause between attempts (default 200 ms). */
  readonly retryDelayMs?: number;
  /**
   * Retry a connection error or timeout (and an answer `until` rejects) until this many
   * milliseconds have passed (default 0: one attempt). HTTP statuses are answers.
   */
  readonly retryForMs?: number;
  /** An answer this rejects is retried like an error; the last one is returned when time is up. */
  readonly until?: (res: HttpResponse) => boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Returns the answer to a GET of `url`, which must be http://127.0.0.1[:port]/…. */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  if (target.protocol !== "http:" || target.hostname !== "127.0.0.1") {
    throw new Error(`httpGet only talks to http://127.0.0.1 (the network rule), not "${url}"`);
  }
  const until = Date.now() + (options.retryForMs ?? 0);
  let lastError: unknown;
  let lastAnswer: HttpResponse | undefined;
  let attempt = 0;
  do {
    if (attempt++ > 0) await Bun.sleep(options.retryDelayMs ?? 200);
    try {
      const res = await getOnce(target, options.timeoutMs ?? 5000);
      if (!options.until || options.until(res)) return res;
      lastAnswer = res;
    } catch (error) {
      lastError = error;
    }
  } while (Date.now() < until);
  if (lastAnswer) return lastAnswer;
  throw new Error(`GET ${url} failed after ${attempt} attempt(s)`, { cause: lastError });
}

/**
 * GETs `url` until it answers `body` (for a server that is starting, or a file a container
 * is about to write), for up to 60 s; returns the last answer, so a mismatch shows what came.
 */
export function httpGetBody(url: string, body: string): Promise<HttpResponse> {
  return httpGet(url, { retryForMs: 60_000, retryDelayMs: 100, until: (r) => r.body === body });
}

// node:http rather than fetch: no proxy variables, no connection pool kept between attempts.
function getOnce(target: URL, timeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = get(target, { agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("error", reject);
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        resolve({ status: res.statusCode ?? 0, body, headers });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not read the port of a listening socket"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
