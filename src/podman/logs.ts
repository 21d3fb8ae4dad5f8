/**
 * Decodes the libpod logs stream. Without a TTY Podman multiplexes stdout and stderr in
 * frames: one byte stream id (1 stdout, 2 stderr), three zero bytes, a big-endian u32
 * length, then the payload.
 */
export interface LogFrame {
  readonly stream: "stdout" | "stderr";
  readonly data: Uint8Array;
}

/** Yields frames from a multiplexed stream; a stream that is not framed is passed as stdout. */
export async function* decodeLogStream(body: ReadableStream<Uint8Array>): AsyncGenerator<LogFrame> {
  let buf: Uint8Array = new Uint8Array(0);
  let framed: boolean | undefined;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf = concat(buf, value);
      if (framed === undefined && buf.length >= 4) {
        framed = (buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
      }
      if (framed === false) {
        yield { stream: "stdout", data: buf };
        buf = new Uint8Array(0);
        continue;
      }
      while (framed && buf.length >= 8) {
        const size = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(4);
        if (buf.length < 8 + size) break;
        yield { stream: buf[0] === 2 ? "stderr" : "stdout", data: buf.slice(8, 8 + size) };
        buf = buf.slice(8 + size);
      }
    }
    if (buf.length > 0 && !framed) yield { stream: "stdout", data: buf };
  } finally {
    reader.releaseLock();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
