/**
 * Runs one readiness or startup probe the way the kubelet would, but from kplay itself:
 * httpGet and tcpSocket go to the port Podman published for it on the host (kplay publishes
 * every probed port on 127.0.0.1), so the image needs no curl or nc; exec runs through
 * libpod's exec API.
 */
import { probePort } from "../plan/probes.ts";
import type { PlannedProbe } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { decodeLogStream } from "../podman/logs.ts";
import type { PodInspect } from "../podman/objects.ts";
import { grpcHealthCheck } from "./grpc-probe.ts";

/** Pass, or fail with the reason the user will read on timeout. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** The host address and port where Podman published a container port, if it did. */
export function publishedPort(
  pod: PodInspect,
  port: number,
): { host: string; port: number } | undefined {
  const binds = pod.InfraConfig?.PortBindings?.[`${port}/tcp`];
  const b = binds?.[0];
  if (!b) return undefined;
  const host =
    !b.HostIp || b.HostIp === "0.0.0.0" ? "127.0.0.1" : b.HostIp === "::" ? "::1" : b.HostIp;
  return { host, port: Number(b.HostPort) };
}

/** Runs one probe attempt, bounded by the probe's timeoutSeconds. */
export async function runProbe(
  client: PodmanClient,
  pod: PodInspect,
  container: string,
  probe: PlannedProbe,
): Promise<ProbeResult> {
  const h = probe.handler;
  const timeoutMs = probe.timeoutSeconds * 1000;
  try {
    if ("exec" in h) return await execProbe(client, container, h.exec.command, timeoutMs);
    const port = probePort(h);
    // A name the container does not declare: the kubelet's probe errors, and so does this one.
    if (typeof port === "string")
      return { ok: false, reason: `port "${port}" is not a container port` };
    const target = port === undefined ? undefined : publishedPort(pod, port);
    if (!target)
      return {
        ok: false,
        reason: `port ${port} is not published on the host, so kplay cannot reach it`,
      };
    if ("grpc" in h)
      return await grpcHealthCheck(target.host, target.port, h.grpc.service, timeoutMs);
    if ("tcpSocket" in h) return await tcpProbe(target.host, target.port, timeoutMs);
    const g = h.httpGet;
    const host = target.host.includes(":") ? `[${target.host}]` : target.host;
    const url = `${g.scheme.toLowerCase()}://${host}:${target.port}${g.path.startsWith("/") ? "" : "/"}${g.path}`;
    const headers = Object.fromEntries(g.headers.map((x) => [x.name, x.value]));
    return await httpProbe(url, headers, timeoutMs);
  } catch (e) {
    return { ok: false, reason: describe(e) };
  }
}

function describe(e: unknown): string {
  if (e instanceof Error && e.name === "TimeoutError") return "probe timed out";
  const code =
    (e as { code?: string; cause?: { code?: string } }).cause?.code ??
    (e as { code?: string }).code;
  return code
    ? `probe failed: ${code}`
    : `probe failed: ${e instanceof Error ? e.message : String(e)}`;
}

/**
 * One GET through node:http(s) rather than fetch: Bun's and Deno's fetch send it to
 * HTTP_PROXY when that is set, and a proxy cannot reach the host's 127.0.0.1. As the kubelet
 * does, an HTTPS probe does not verify the certificate, and a redirect is an answer.
 */
async function httpProbe(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ProbeResult> {
  // Loaded on first use: node:http and node:https cost every command's start-up otherwise
  // (a bundle loads every static import of a builtin at once; docs/benchmarks.md).
  const send = url.startsWith("https:")
    ? (await import("node:https")).request
    : (await import("node:http")).request;
  return new Promise((resolve) => {
    const req = send(url, { headers, agent: false, rejectUnauthorized: false }, (res) => {
      const status = res.statusCode ?? 0;
      // The kubelet counts 200-399 as success.
      finish(
        status >= 200 && status < 400
          ? { ok: true }
          : { ok: false, reason: `HTTP probe answered ${status}` },
      );
    });
    const timer = setTimeout(() => finish({ ok: false, reason: "probe timed out" }), timeoutMs);
    function finish(r: ProbeResult): void {
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    }
    req.on("error", (e) => finish({ ok: false, reason: describe(e) }));
    req.end();
  });
}

async function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (r: ProbeResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: "TCP probe timed out" }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (e: NodeJS.ErrnoException) =>
      done({ ok: false, reason: `TCP probe failed: ${e.code ?? e.message}` }),
    );
  });
}

async function execProbe(
  client: PodmanClient,
  container: string,
  cmd: readonly string[],
  timeoutMs: number,
): Promise<ProbeResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  const created = await client.call<{ Id: string }>({
    method: "POST",
    path: `/containers/${encodeURIComponent(container)}/exec`,
    body: { Cmd: cmd, AttachStdout: true, AttachStderr: true },
  });
  const stream = await client.stream(
    { method: "POST", path: `/exec/${created.Id}/start`, body: { Detach: false } },
    signal,
  );
  let output = "";
  const decoder = new TextDecoder();
  for await (const frame of decodeLogStream(stream))
    output += decoder.decode(frame.data, { stream: true });
  const info = await client.call<{ ExitCode?: number }>({
    method: "GET",
    path: `/exec/${created.Id}/json`,
  });
  if (info.ExitCode === 0) return { ok: true };
  const tail = output.trim().split("\n").slice(-1)[0] ?? "";
  return {
    ok: false,
    reason: `exec probe exited ${info.ExitCode}${tail ? `: ${tail.slice(0, 200)}` : ""}`,
  };
}
