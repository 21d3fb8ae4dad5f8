/**
 * The transport contract: one list of checks that every adapter (Bun, Deno, Node) must pass
 * against a real Podman socket and a loopback TCP echo server. Runtime-neutral on purpose:
 * it is run in-process by bun test and as a subprocess under Deno and Node.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseEndpoint } from "../../src/transport/endpoint.ts";
import { openTransport, type Runtime } from "../../src/transport/index.ts";
import { type Endpoint, TransportError } from "../../src/transport/types.ts";

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

type Check = [name: string, run: () => Promise<string | undefined>];

/** Runs every check with the adapter of `runtime`; a check returns an error text or nothing. */
export async function runContract(runtime: Runtime, podmanUrl: string): Promise<CheckResult[]> {
  const podman = parseEndpoint(podmanUrl);
  if (!podman) throw new Error(`bad podman URL ${podmanUrl}`);
  const echo = await startEcho();
  const volume = `kplay-contract-${runtime}`;
  const open = (e: Endpoint) => openTransport(e, runtime);
  const checks: Check[] = [
    [
      "ping over the unix socket",
      async () => {
        const t = await open(podman);
        const res = await t.request({ method: "GET", path: "/v4.0.0/libpod/_ping" });
        const body = await res.text();
        await t.close();
        if (res.status !== 200 || body !== "OK") return `status ${res.status} body ${body}`;
        if (!res.headers.get("libpod-api-version")) return "no Libpod-API-Version header";
      },
    ],
    [
      "JSON body and query string reach Podman",
      async () => {
        const t = await open(podman);
        const created = await t.request({
          method: "POST",
          path: "/v4.0.0/libpod/volumes/create",
          body: { Name: volume },
        });
        const createdBody = await created.text();
        const listed = await t.request({
          method: "GET",
          path: "/v4.0.0/libpod/volumes/json",
          query: { filters: JSON.stringify({ name: [volume] }) },
        });
        const names = (JSON.parse(await listed.text()) as { Name: string }[]).map((v) => v.Name);
        const removed = await t.request({
          method: "DELETE",
          path: `/v4.0.0/libpod/volumes/${volume}`,
        });
        await removed.text();
        await t.close();
        if (created.status !== 201) return `create answered ${created.status}: ${createdBody}`;
        if (names.join() !== volume) return `filtered list gave ${JSON.stringify(names)}`;
        if (removed.status !== 204) return `delete answered ${removed.status}`;
      },
    ],
    [
      "a streamed body can be read chunk by chunk",
      async () => {
        const t = await open(podman);
        const res = await t.request({ method: "GET", path: "/v4.0.0/libpod/info" });
        if (!res.body) return "no body stream";
        let bytes = 0;
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.length;
        }
        await t.close();
        if (bytes < 100) return `only ${bytes} bytes`;
      },
    ],
    [
      "a missing socket is a TransportError naming ENOENT",
      async () => {
        const t = await open({ kind: "unix", path: "/nonexistent/kplay.sock" });
        try {
          await t.request({ method: "GET", path: "/_ping" });
          return "no error";
        } catch (e) {
          if (!(e instanceof TransportError)) return `wrong error ${String(e)}`;
          if (!e.reason.includes("ENOENT")) return `reason ${e.reason}`;
        } finally {
          await t.close();
        }
      },
    ],
    [
      "tcp:// endpoints carry method, path, query and body",
      async () => {
        const t = await open({ kind: "tcp", host: "127.0.0.1", port: echo.port });
        const res = await t.request({
          method: "POST",
          path: "/x/y",
          query: { a: "1 2" },
          body: { k: "v" },
        });
        const got = JSON.parse(await res.text()) as {
          method: string;
          url: string;
          body: string;
          type: string;
        };
        await t.close();
        const want = {
          method: "POST",
          url: "/x/y?a=1+2",
          body: '{"k":"v"}',
          type: "application/json",
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) return `got ${JSON.stringify(got)}`;
      },
    ],
  ];
  const results: CheckResult[] = [];
  for (const [name, run] of checks) {
    try {
      const problem = await run();
      results.push({ name, ok: problem === undefined, detail: problem ?? "" });
    } catch (e) {
      results.push({
        name,
        ok: false,
        detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
    }
  }
  echo.close();
  return results;
}

/** A loopback HTTP server that answers with what it received. */
async function startEcho(): Promise<{ port: number; close: () => void }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body,
          type: req.headers["content-type"] ?? "",
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
