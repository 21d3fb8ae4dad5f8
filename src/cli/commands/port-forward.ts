/**
 * `kplay port-forward svc/NAME|pod/NAME|KIND/NAME [LOCAL:]REMOTE...`, as kubectl's: the
 * host's LOCAL port (on 127.0.0.1 unless `--address`) reaches REMOTE of one pod until Ctrl-C.
 *
 * Podman cannot publish a port on a pod that already runs, so kplay starts a helper container
 * beside the pod, on the pod's network, publishing LOCAL and relaying to the pod's address
 * (kplay's proxy, src/proxy, in its `PORT:ADDRESS:TARGET` form). For a Service, REMOTE is the
 * Service's port: the pod's own proxy maps it to the target port, as on a cluster. The helper
 * goes when the command ends; one left by a killed kplay is removed by the next port-forward.
 */
import { hostname } from "node:os";
import { networkName } from "../../graph/services.ts";
import { LABEL_MANAGED, LABEL_NAMESPACE } from "../../plan/labels.ts";
import type { PodmanClient } from "../../podman/client.ts";
import { readHostInfo } from "../../podman/info.ts";
import { inspectPod, listPods, removeContainer } from "../../podman/objects.ts";
import { ensureProxyImage, PROXY_IMAGE } from "../../proxy/image.ts";
import { connect } from "../connect.ts";
import { alive } from "../endpoint-lock.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { unprivilegedPortStart } from "../node-facts.ts";
import { resolveTarget } from "./logs.ts";

export interface PortForwardFlags {
  readonly url?: string;
  /** A Podman connection name (`--connection`). */
  readonly connection?: string;
  readonly namespace?: string;
  /** The host address to listen on (default 127.0.0.1). */
  readonly address?: string;
  readonly debug: boolean;
}

/** A helper container's label: the pid and host of the kplay that runs it. */
const LABEL_FORWARD = "io.kplay.port-forward";

/** `LOCAL:REMOTE`, `REMOTE` (LOCAL = REMOTE) or `:REMOTE` (any free LOCAL, shown). */
export function parsePorts(arg: string): { local: number; remote: number } | undefined {
  const m = /^(\d*):(\d+)$/.exec(arg) ?? /^()(\d+)$/.exec(arg);
  if (!m) return undefined;
  const remote = Number(m[2]);
  const local = m[1] === "" ? (arg.startsWith(":") ? 0 : remote) : Number(m[1]);
  if (remote < 1 || remote > 65535 || local < 0 || local > 65535) return undefined;
  return { local, remote };
}

interface InfraNetworks {
  NetworkSettings?: {
    Networks?: Record<string, { IPAddress?: string; Aliases?: string[] | null }> | null;
  };
}

export async function runPortForward(
  io: CliIo,
  target: string,
  portArgs: readonly string[],
  flags: PortForwardFlags,
): Promise<number> {
  const ports = portArgs.map((a) => ({ arg: a, parsed: parsePorts(a) }));
  const bad = ports.find((p) => p.parsed === undefined);
  if (ports.length === 0 || bad) {
    io.stderr(
      `kplay: ${bad ? `"${bad.arg}" is not a port: write LOCAL:REMOTE, REMOTE or :REMOTE` : "give at least one port: LOCAL:REMOTE, REMOTE or :REMOTE"}\n`,
    );
    return EXIT_USAGE;
  }
  const wanted = ports.map((p) => p.parsed as { local: number; remote: number });
  const namespace = flags.namespace ?? "default";
  const address = flags.address ?? "127.0.0.1";
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  let helper: string | undefined;
  try {
    const pod = await podOf(client, target, namespace);
    if ("error" in pod) {
      io.stderr(`kplay: ${pod.error}\n`);
      return pod.code;
    }
    if (pod.note) io.stderr(`${pod.note}\n`);
    const info = await readHostInfo(client);
    const floor = unprivilegedPortStart(info, client.transport.endpoint);
    const low = wanted.find((p) => floor !== undefined && p.local > 0 && p.local < floor);
    if (low && floor !== undefined) {
      io.stderr(
        `kplay: local port ${low.local} is below ${floor}, which rootless Podman cannot bind; use ${low.remote >= floor ? low.remote : floor + low.remote} or another port of ${floor} or more (LOCAL:REMOTE)\n`,
      );
      return EXIT_USAGE;
    }
    await removeStale(client);
    await ensureProxyImage(client, PROXY_IMAGE, io.signal);
    helper = `kplay-port-forward-${process.pid}-${Date.now().toString(36)}`;
    await client.call({
      method: "POST",
      path: "/containers/create",
      body: {
        name: helper,
        image: PROXY_IMAGE,
        command: wanted.map((p, i) => `${10000 + i}:${pod.ip}:${p.remote}`),
        netns: { nsmode: "bridge" },
        Networks: { [pod.network]: {} },
        portmappings: wanted.map((p, i) => ({
          host_ip: address,
          host_port: p.local,
          container_port: 10000 + i,
          protocol: "tcp",
        })),
        unsetenvall: true,
        user: "0:0",
        read_only_filesystem: true,
        no_new_privileges: true,
        cap_drop: ["ALL"],
        stop_signal: 9,
        labels: {
          [LABEL_MANAGED]: "true",
          [LABEL_NAMESPACE]: namespace,
          [LABEL_FORWARD]: `${process.pid}@${hostname()}`,
        },
      },
    });
    await client.call({ method: "POST", path: `/containers/${encodeURIComponent(helper)}/start` });
    // Podman chose the LOCAL ports given as 0: read them back.
    const bound = await client.call<{
      NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> };
    }>({ method: "GET", path: `/containers/${encodeURIComponent(helper)}/json` });
    wanted.forEach((p, i) => {
      const host =
        bound?.NetworkSettings?.Ports?.[`${10000 + i}/tcp`]?.[0]?.HostPort ?? String(p.local);
      const shown = address.includes(":") ? `[${address}]` : address;
      io.stdout(`Forwarding from ${shown}:${host} -> ${p.remote}\n`);
    });
    // Until Ctrl-C (or SIGTERM): the helper does the work.
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      io.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return EXIT_OK;
  } finally {
    if (helper) await removeContainer(client, helper).catch(() => undefined);
    await client.transport.close();
  }
}

/**
 * The pod a target means and its address on its network. `svc/NAME` is a pod answering to
 * the Service's name on the namespace network (a running one, lowest name first).
 */
async function podOf(
  client: PodmanClient,
  target: string,
  namespace: string,
): Promise<
  { pod: string; ip: string; network: string; note?: string } | { error: string; code: number }
> {
  const slash = target.indexOf("/");
  const kind = slash < 0 ? "" : target.slice(0, slash).toLowerCase();
  if (kind === "svc" || kind === "service" || kind === "services") {
    const name = target.slice(slash + 1);
    const network = networkName(namespace);
    const pods = (
      await listPods(client, `${LABEL_MANAGED}=true`, `${LABEL_NAMESPACE}=${namespace}`)
    ).sort(
      (a, b) =>
        (a.Status === "Running" ? 0 : 1) - (b.Status === "Running" ? 0 : 1) ||
        (a.Name < b.Name ? -1 : 1),
    );
    for (const p of pods) {
      const at = await address(client, p.Name, network);
      if (at && "ip" in at && at.aliases.includes(name)) return { pod: p.Name, ip: at.ip, network };
    }
    const where = namespace === "default" ? "" : ` in namespace "${namespace}"`;
    return {
      error: `No pod of service/${name}${where} (kplay played no pod it selects)`,
      code: EXIT_FAILURE,
    };
  }
  const resolved = await resolveTarget(client, target, namespace);
  if ("error" in resolved) return resolved;
  const at = await address(client, resolved.pod);
  if (!at) return { error: `Pod "${resolved.pod}" not found`, code: EXIT_FAILURE };
  if ("error" in at) return at;
  return {
    pod: resolved.pod,
    ip: at.ip,
    network: at.network,
    ...(resolved.note ? { note: resolved.note } : {}),
  };
}

/** A pod's address on `network` (or its first bridge network), from its infra container. */
async function address(
  client: PodmanClient,
  pod: string,
  network?: string,
): Promise<
  { ip: string; network: string; aliases: string[] } | { error: string; code: number } | undefined
> {
  const inspected = await inspectPod(client, pod);
  if (!inspected?.InfraContainerID) return undefined;
  const infra = await client.call<InfraNetworks>({
    method: "GET",
    path: `/containers/${inspected.InfraContainerID}/json`,
  });
  const networks = Object.entries(infra?.NetworkSettings?.Networks ?? {}).filter(
    ([n, v]) => (network === undefined || n === network) && v.IPAddress,
  );
  const first = networks[0];
  if (!first)
    return {
      error: `Pod "${pod}" has no address on a Podman network (a host-network pod, or rootless Podman's slirp4netns): reach it through a hostPort, or give its namespace a Service so it joins a network`,
      code: EXIT_FAILURE,
    };
  return { ip: first[1].IPAddress ?? "", network: first[0], aliases: first[1].Aliases ?? [] };
}

/** Helpers left by a kplay on this host that is gone (killed before it could remove them). */
async function removeStale(client: PodmanClient): Promise<void> {
  const listed = await client.call<{ Id: string; Labels?: Record<string, string> | null }[] | null>(
    {
      method: "GET",
      path: "/containers/json",
      query: { all: "true", filters: JSON.stringify({ label: [LABEL_FORWARD] }) },
    },
  );
  for (const c of listed ?? []) {
    const [pid, host] = (c.Labels?.[LABEL_FORWARD] ?? "").split("@");
    if (host !== hostname() || alive(Number(pid))) continue;
    await removeContainer(client, c.Id).catch(() => undefined);
  }
}
