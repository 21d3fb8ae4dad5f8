/**
 * The gRPC health check the kubelet makes for a `grpc` probe: one unary call of
 * grpc.health.v1.Health/Check over plaintext HTTP/2, passing when the answer is SERVING.
 * Hand-rolled (one protobuf string field each way) so kplay needs no gRPC library.
 */

/** Pass, or fail with the reason the user reads. */
export type GrpcResult = { ok: true } | { ok: false; reason: string };

const SERVING = 1;
const STATUS_NAMES = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** Encodes HealthCheckRequest{service} as one length-prefixed, uncompressed gRPC message. */
export function encodeHealthRequest(service: string): Uint8Array {
  const name = new TextEncoder().encode(service);
  if (name.length > 127) throw new Error("service name too long for a one-byte length");
  const proto =
    name.length === 0 ? new Uint8Array(0) : new Uint8Array([0x0a, name.length, ...name]);
  const out = new Uint8Array(5 + proto.length);
  new DataView(out.buffer).setUint32(1, proto.length);
  out.set(proto, 5);
  return out;
}

/** Reads HealthCheckResponse.status (field 1, varint) from a gRPC message; 0 when absent. */
export function decodeHealthStatus(message: Uint8Array): number | undefined {
  if (message.length < 5) return undefined;
  const length = new DataView(message.buffer, message.byteOffset).getUint32(1);
  const proto = message.subarray(5, 5 + length);
  for (let i = 0; i < proto.length; ) {
    const tag = proto[i++] ?? 0;
    if (tag === 0x08) return proto[i] ?? 0; // field 1, varint: the status enum (< 128)
    if ((tag & 7) === 0) while ((proto[i++] ?? 0) & 0x80);
    else if ((tag & 7) === 2) i += 1 + (proto[i] ?? 0);
    else return undefined;
  }
  return 0;
}

/** Calls Health/Check on host:port within timeoutMs. */
export async function grpcHealthCheck(
  host: string,
  port: number,
  service: string,
  timeoutMs: number,
): Promise<GrpcResult> {
  // Loaded on first use, as probe.ts loads node:http: node:http2 costs start-up otherwise.
  const { connect } = await import("node:http2");
  return new Promise((resolve) => {
    const authority = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const session = connect(authority);
    const chunks: Uint8Array[] = [];
    let grpcStatus: string | undefined;
    const finish = (r: GrpcResult) => {
      clearTimeout(timer);
      session.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: "gRPC probe timed out" }),
      timeoutMs,
    );
    session.on("error", (e: NodeJS.ErrnoException) =>
      finish({ ok: false, reason: `gRPC probe failed: ${e.code ?? e.message}` }),
    );
    const stream = session.request({
      ":method": "POST",
      ":path": "/grpc.health.v1.Health/Check",
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.on("response", (headers) => {
      if (headers["grpc-status"] !== undefined) grpcStatus = String(headers["grpc-status"]);
    });
    stream.on("trailers", (trailers) => {
      grpcStatus = String(trailers["grpc-status"] ?? grpcStatus ?? "");
    });
    stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    stream.on("error", (e: NodeJS.ErrnoException) =>
      finish({ ok: false, reason: `gRPC probe failed: ${e.code ?? e.message}` }),
    );
    stream.on("end", () => {
      if (grpcStatus !== "0")
        return finish({
          ok: false,
          reason: `gRPC probe answered grpc-status ${grpcStatus ?? "(none)"}`,
        });
      const status = decodeHealthStatus(Buffer.concat(chunks));
      if (status === SERVING) return finish({ ok: true });
      finish({ ok: false, reason: `gRPC health status ${STATUS_NAMES[status ?? 0] ?? status}` });
    });
    stream.end(encodeHealthRequest(service));
  });
}
