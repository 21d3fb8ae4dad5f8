/**
 * kplay's proxy binary run on this host (it is a plain static Linux executable), with real
 * sockets on loopback: a TCP stream of 1 MiB goes through whole and a half-close passes on;
 * UDP answers come back to the client that asked, for several clients at once; a malformed
 * argument is refused. Inside pods it is exercised by test/e2e/services-scenario.ts.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROXY_BINARIES } from "../../src/proxy/binary.generated.ts";
import { freePort } from "../support/http.ts";
import { pollUntil } from "../support/poll.ts";

const arch = process.arch === "x64" ? "amd64" : process.arch;
const runnable = process.platform === "linux" && Object.hasOwn(PROXY_BINARIES, arch);
let dir = "";
let bin = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kplay-relay-"));
  bin = join(dir, "kplay-proxy");
  writeFileSync(bin, Buffer.from(PROXY_BINARIES[arch] ?? "", "base64"));
  chmodSync(bin, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the proxy and waits (bounded) until its TCP port `probe` accepts. */
async function start(args: string[], probe?: number) {
  const proc = Bun.spawn([bin, ...args], { stdout: "pipe", stderr: "pipe" });
  if (probe !== undefined) {
    const up = await pollUntil(
      () =>
        new Promise<boolean>((resolve) => {
          const s = connect(probe, "127.0.0.1", () => {
            s.destroy();
            resolve(true);
          });
          s.on("error", () => resolve(false));
        }),
      (ok) => ok,
      10_000,
      50,
    );
    expect(up).toBe(true);
  }
  return proc;
}

test.skipIf(!runnable)("TCP: 1 MiB both ways through the relay, and the half-close", async () => {
  const echo: Server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  const target = (echo.address() as { port: number }).port;
  const port = await freePort();
  const proc = await start([`${port}:127.0.0.1:${target}`], port);
  try {
    const data = randomBytes(1024 * 1024);
    const back = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const c = connect(port, "127.0.0.1", () => c.end(data));
      c.on("data", (d) => chunks.push(d));
      c.on("end", () => resolve(Buffer.concat(chunks)));
      c.on("error", reject);
    });
    expect(back.length).toBe(data.length);
    expect(back.equals(data)).toBe(true);
  } finally {
    proc.kill("SIGKILL");
    echo.close();
  }
});

test.skipIf(!runnable)("UDP: each client gets its own answers", async () => {
  const server = createSocket("udp4");
  server.on("message", (m, from) =>
    server.send(Buffer.concat([Buffer.from("echo:"), m]), from.port, from.address),
  );
  await new Promise<void>((r) => server.bind(0, "127.0.0.1", r));
  const target = server.address().port;
  const port = await freePort();
  const proc = await start([`${port}:${target}/udp`]);
  const clients = [createSocket("udp4"), createSocket("udp4"), createSocket("udp4")];
  try {
    const ask = (c: (typeof clients)[number], text: string) =>
      pollUntil(
        () =>
          new Promise<string>((resolve) => {
            const timer = setTimeout(() => resolve(""), 500);
            c.once("message", (m) => {
              clearTimeout(timer);
              resolve(m.toString());
            });
            c.send(text, port, "127.0.0.1");
          }),
        (answer) => answer !== "",
        10_000,
        0,
      );
    const answers = await Promise.all(clients.map((c, i) => ask(c, `client-${i}`)));
    expect(answers).toEqual(["echo:client-0", "echo:client-1", "echo:client-2"]);
    expect(await ask(clients[0] ?? server, "again")).toBe("echo:again");
  } finally {
    proc.kill("SIGKILL");
    for (const c of clients) c.close();
    server.close();
  }
});

test.skipIf(!runnable)("a malformed mapping is refused: exit 1 and why", async () => {
  for (const bad of ["80", "80:0", "80:1.2.3:4", "80:256.1.1.1:5", "80:81/tcp", "x:1"]) {
    const proc = Bun.spawn([bin, bad], { stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toBe(
      `kplay-proxy: not PORT:[ADDRESS:]TARGET[/udp]: ${bad}\n`,
    );
  }
});
