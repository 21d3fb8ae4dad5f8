/**
 * An HTTP request whose connection Podman takes over (`Connection: Upgrade`, answered
 * `101 UPGRADED`), as exec and attach use it: after the answer's head the socket carries the
 * process's output one way and its stdin the other. fetch cannot write after the response
 * has begun, so this speaks HTTP/1.1 on a plain node:net socket (Bun, Deno and Node all have
 * it), loaded only when an upgrade is asked for.
 */
import type { Socket } from "node:net";
import { causeText } from "./fetch-transport.ts";
import {
  type Endpoint,
  type HttpRequest,
  requestTarget,
  TransportError,
  type Upgraded,
} from "./types.ts";

const HEAD_END = new Uint8Array([13, 10, 13, 10]);
/** A head longer than this is not Podman's. */
const MAX_HEAD = 64 * 1024;

/** Sends `req` on a new connection to a unix or TCP endpoint and hands the connection over. */
export async function openUpgraded(
  endpoint: Extract<Endpoint, { kind: "unix" | "tcp" }>,
  req: HttpRequest,
): Promise<Upgraded> {
  const { connect } = await import("node:net");
  const socket =
    endpoint.kind === "unix"
      ? connect({ path: endpoint.path })
      : connect({ host: endpoint.host, port: endpoint.port });
  const body =
    req.body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(req.body));
  const head = [
    `${req.method} ${requestTarget(req)} HTTP/1.1`,
    "Host: d",
    "Content-Type: application/json",
    `Content-Length: ${body.length}`,
    "Connection: Upgrade",
    "Upgrade: tcp",
    ...Object.entries(req.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ].join("\r\n");
  const chunks = socketChunks(socket, endpoint);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", (e) => reject(new TransportError(endpoint, causeText(e), { cause: e })));
  });
  socket.write(head);
  socket.write(body);
  const { status, headers, rest } = await readHead(chunks, endpoint);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length > 0) controller.enqueue(rest);
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      socket.destroy();
    },
  });
  const abort = () => socket.destroy();
  req.signal?.addEventListener("abort", abort, { once: true });
  socket.once("close", () => req.signal?.removeEventListener("abort", abort));
  return {
    status,
    headers,
    body: stream,
    write: (bytes) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed || !socket.writable) return resolve();
        socket.write(bytes, () => resolve());
      }),
    closeWrite: () => {
      if (!socket.destroyed) socket.end();
    },
    close: () => socket.destroy(),
  };
}

/** The socket's data as an iterator; an error before the end becomes a TransportError. */
function socketChunks(socket: Socket, endpoint: Endpoint): AsyncIterator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  socket.on("data", (d: Uint8Array) => {
    queue.push(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    // Back-pressure: hold the socket while the reader has not taken what came.
    if (queue.length > 16) socket.pause();
    notify();
  });
  socket.on("end", () => {
    ended = true;
    notify();
  });
  socket.on("close", () => {
    ended = true;
    notify();
  });
  socket.on("error", (e: Error) => {
    // A reset after Podman has sent everything (the process ended) is an end like another.
    if (!ended) failure = new TransportError(endpoint, causeText(e), { cause: e });
    ended = true;
    notify();
  });
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      for (;;) {
        const value = queue.shift();
        if (value) {
          if (queue.length <= 16) socket.resume();
          return { done: false, value };
        }
        if (failure) throw failure;
        if (ended) return { done: true, value: undefined };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** Reads the answer's status line and headers; `rest` is what came after them. */
async function readHead(
  chunks: AsyncIterator<Uint8Array>,
  endpoint: Endpoint,
): Promise<{ status: number; headers: Record<string, string>; rest: Uint8Array }> {
  let buf = new Uint8Array(0);
  for (;;) {
    const end = indexOf(buf, HEAD_END);
    if (end >= 0) {
      const lines = new TextDecoder().decode(buf.subarray(0, end)).split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
      if (!Number.isInteger(status)) break;
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0)
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      return { status, headers, rest: buf.slice(end + HEAD_END.length) };
    }
    if (buf.length > MAX_HEAD) break;
    const next = await chunks.next();
    if (next.done) break;
    const joined = new Uint8Array(buf.length + next.value.length);
    joined.set(buf, 0);
    joined.set(next.value, buf.length);
    buf = joined;
  }
  throw new TransportError(endpoint, "the answer to an upgraded request is not HTTP");
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
