import {
  type HttpRequest,
  type HttpResponse,
  type Transport,
  TransportError,
  type Upgraded,
} from "../transport/types.ts";
import { PodmanApiError, podmanErrorDetail } from "./errors.ts";

/** The libpod API path prefix kplay speaks. 4.0.0 is the oldest libpod API it supports. */
export const API_PREFIX = "/v4.0.0/libpod";

/** A libpod request as a plan records it: method, path (without prefix), query, body. */
export interface ApiRequest {
  readonly method: HttpRequest["method"];
  /** Path below the libpod prefix, e.g. `/pods/create`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** The content type of a bytes body (default `application/x-tar`). */
  readonly contentType?: string;
  /** More request headers; added by the executor (credentials), never part of a plan. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thin typed access to libpod over a transport: JSON in, JSON out, errors as PodmanApiError. */
export class PodmanClient {
  constructor(readonly transport: Transport) {}

  /** Sends a request and returns the parsed JSON (or undefined for an empty body). */
  async call<T = unknown>(
    req: ApiRequest,
    options: { signal?: AbortSignal; ok?: number[] } = {},
  ): Promise<T> {
    const text = await this.callText(req, options);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as T;
    }
  }

  /** Sends a request and returns the raw body text, throwing PodmanApiError on a bad status. */
  async callText(
    req: ApiRequest,
    options: { signal?: AbortSignal; ok?: number[] } = {},
  ): Promise<string> {
    const res = await this.send(req, options.signal);
    const text = await res.text();
    const ok = options.ok ?? [];
    if ((res.status >= 200 && res.status < 300) || ok.includes(res.status)) return text;
    throw new PodmanApiError(req.method, req.path, res.status, podmanErrorDetail(text));
  }

  /** Sends a request whose answer is a stream (logs, pulls); the caller reads the body. */
  async stream(req: ApiRequest, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const res = await this.send(req, signal);
    if (res.status < 200 || res.status >= 300 || !res.body) {
      throw new PodmanApiError(
        req.method,
        req.path,
        res.status,
        podmanErrorDetail(await res.text()),
      );
    }
    return res.body;
  }

  /**
   * The stat libpod gives for a path in a container's filesystem (volumes included), from
   * `HEAD …/archive`; undefined when there is nothing at that path.
   */
  async statPath(
    container: string,
    path: string,
  ): Promise<{ mode: number; linkTarget?: string } | undefined> {
    const target = `/containers/${encodeURIComponent(container)}/archive`;
    const res = await this.send({ method: "HEAD", path: target, query: { path } });
    await res.text();
    if (res.status === 404) return undefined;
    if (res.status < 200 || res.status >= 300) {
      throw new PodmanApiError("HEAD", target, res.status, `cannot stat ${path}`);
    }
    const header = res.headers.get("x-docker-container-path-stat");
    const stat = header ? (JSON.parse(atob(header)) as { mode?: number; linkTarget?: string }) : {};
    return {
      mode: stat.mode ?? 0o755,
      ...(stat.linkTarget ? { linkTarget: stat.linkTarget } : {}),
    };
  }

  /**
   * Sends a request whose connection Podman then takes over (exec start): the upgraded
   * connection, or PodmanApiError when Podman answers with an error instead.
   */
  async upgrade(req: ApiRequest, signal?: AbortSignal): Promise<Upgraded> {
    const transport = this.transport;
    if (!transport.upgrade)
      throw new TransportError(transport.endpoint, "this connection cannot carry an exec session");
    const res = await transport.upgrade({
      method: req.method,
      path: API_PREFIX + req.path,
      ...(req.query ? { query: req.query } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(signal ? { signal } : {}),
    });
    if (res.status === 101 || (res.status >= 200 && res.status < 300)) return res;
    // An error answer keeps the connection open after its body: read just that much.
    const length = Number(res.headers["content-length"] ?? Number.NaN);
    const text = await readUpTo(res.body, Number.isFinite(length) ? length : 64 * 1024);
    res.close();
    throw new PodmanApiError(req.method, req.path, res.status, podmanErrorDetail(text));
  }

  /** Sends a libpod request (path below the API prefix) as it is. */
  private send(req: ApiRequest, signal?: AbortSignal): Promise<HttpResponse> {
    return this.transport.request({
      method: req.method,
      path: API_PREFIX + req.path,
      ...(req.query ? { query: req.query } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.contentType !== undefined ? { contentType: req.contentType } : {}),
      ...(req.headers !== undefined ? { headers: req.headers } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /** Answers whether an `…/exists` endpoint says the object exists (204) or not (404). */
  async exists(path: string): Promise<boolean> {
    const res = await this.send({ method: "GET", path });
    const text = await res.text();
    if (res.status === 204 || res.status === 200) return true;
    if (res.status === 404) return false;
    throw new PodmanApiError("GET", path, res.status, podmanErrorDetail(text));
  }
}

/** Reads `max` bytes of a stream (or less, if it ends first) as text. */
async function readUpTo(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  while (read < max) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.length;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text + decoder.decode();
}
