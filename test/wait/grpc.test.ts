/**
 * The gRPC health probe against a real HTTP/2 server on 127.0.0.1 that speaks the
 * grpc.health.v1 protocol (the same bytes a grpc-go health server sends).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import {
  decodeHealthStatus,
  encodeHealthRequest,
  grpcHealthCheck,
} from "../../src/apply/grpc-probe.ts";

/** Service name -> status to answer; a missing name answers grpc-status 5 (NOT_FOUND). */
const statuses: Record<string, number> = { "": 1, ok: 1, down: 2 };
let server: Http2Server;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer();
  server.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      // HealthCheckRequest: field 1 (service), a length-delimited string.
      const service = body.length > 5 ? body.subarray(7, 7 + (body[6] ?? 0)).toString() : "";
      seen.push(`${headers[":path"]} ${headers["content-type"]} ${JSON.stringify(service)}`);
      if (service === "slow") return; // never answers
      const status = statuses[service];
      stream.respond(
        { ":status": 200, "content-type": "application/grpc" },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () =>
        stream.sendTrailers({ "grpc-status": status === undefined ? "5" : "0" }),
      );
      stream.end(status === undefined ? undefined : Buffer.from([0, 0, 0, 0, 2, 0x08, status]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

describe("grpc health probe", () => {
  test("the wire format: request and response messages", () => {
    expect([...encodeHealthRequest("")]).toEqual([0, 0, 0, 0, 0]);
    expect([...encodeHealthRequest("ab")]).toEqual([0, 0, 0, 0, 4, 0x0a, 2, 97, 98]);
    expect(decodeHealthStatus(new Uint8Array([0, 0, 0, 0, 2, 0x08, 1]))).toBe(1);
    expect(decodeHealthStatus(new Uint8Array([0, 0, 0, 0, 0]))).toBe(0);
  });

  test("SERVING passes, for the server and for a named service", async () => {
    expect(await grpcHealthCheck("127.0.0.1", port, "", 2000)).toEqual({ ok: true });
    expect(await grpcHealthCheck("127.0.0.1", port, "ok", 2000)).toEqual({ ok: true });
    expect(seen).toContain('/grpc.health.v1.Health/Check application/grpc "ok"');
  });

  test("NOT_SERVING, an unknown service, a timeout and a closed port fail with the reason", async () => {
    expect(await grpcHealthCheck("127.0.0.1", port, "down", 2000)).toEqual({
      ok: false,
      reason: "gRPC health status NOT_SERVING",
    });
    expect(await grpcHealthCheck("127.0.0.1", port, "nope", 2000)).toEqual({
      ok: false,
      reason: "gRPC probe answered grpc-status 5",
    });
    expect(await grpcHealthCheck("127.0.0.1", port, "slow", 300)).toEqual({
      ok: false,
      reason: "gRPC probe timed out",
    });
    const closed = await grpcHealthCheck("127.0.0.1", 1, "", 2000);
    expect(closed.ok).toBe(false);
  });
});
