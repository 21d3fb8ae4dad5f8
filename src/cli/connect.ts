import process from "node:process";
import { PodmanClient } from "../podman/client.ts";
import { checkPodman } from "../podman/version.ts";
import {
  describeUnusableEndpoint,
  type EndpointCandidate,
  parseEndpoint,
} from "../transport/endpoint.ts";
import { openTransport } from "../transport/index.ts";
import { traceTransport } from "../transport/trace.ts";
import { describeEndpoint, type Transport, TransportError } from "../transport/types.ts";
import {
  ensureOwnService,
  findPodman,
  OWN_SERVICE_IDLE_SECONDS,
  type OwnServicePlace,
  ownServicePlace,
} from "./autostart.ts";
import { type Connections, readConnections } from "./connections.ts";
import { UsageError } from "./io.ts";

/** Podman could not be reached anywhere kplay looked. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where the user pointed kplay, if anywhere. */
export interface Where {
  readonly url?: string | undefined;
  /** A connection name (`--connection`), as `podman --connection`. */
  readonly connection?: string | undefined;
  /** No notice that kplay started a service (`-q`). */
  readonly quiet?: boolean | undefined;
}

export interface Candidate extends EndpointCandidate {
  /** The ssh key of an ssh:// address. */
  readonly identity?: string;
}

export interface CandidateList {
  readonly list: readonly Candidate[];
  /**
   * Whether the user named the place (--url, --connection, CONTAINER_HOST,
   * CONTAINER_CONNECTION): then it is the only one, and kplay starts no service of its own.
   */
  readonly named: boolean;
  /** kplay's own service, tried last when nothing was named. */
  readonly own?: OwnServicePlace;
}

const isRoot = () => process.getuid?.() === 0;

function byName(name: string, source: string, connections: Connections): Candidate {
  const found = connections.byName.get(name);
  if (!found) {
    const known = [...connections.byName.keys()].sort();
    throw new UsageError(
      `${source} "${name}": Podman has no connection of that name (${
        known.length === 0 ? "it has none" : `it has ${known.join(", ")}`
      }; see \`podman system connection list\`)`,
    );
  }
  return {
    url: found.uri,
    source: `${source} "${name}" from ${found.from}`,
    ...(found.identity ? { identity: found.identity } : {}),
  };
}

/**
 * Where to look for Podman, in Podman's own order: --url or --connection, CONTAINER_HOST,
 * CONTAINER_CONNECTION; else the default connection, $XDG_RUNTIME_DIR/podman/podman.sock,
 * /run/podman/podman.sock and kplay's own service.
 */
export function endpointCandidates(
  where: Where,
  env: Env,
  connections: () => Connections = () => readConnections(env, isRoot()),
): CandidateList {
  const sshKey = env.CONTAINER_SSHKEY ? { identity: env.CONTAINER_SSHKEY } : {};
  if (where.url && where.connection)
    throw new UsageError("--url and --connection name two places: give one of them");
  if (where.url) return { list: [{ url: where.url, source: "--url", ...sshKey }], named: true };
  if (where.connection)
    return { list: [byName(where.connection, "--connection", connections())], named: true };
  if (env.CONTAINER_HOST)
    return {
      list: [{ url: env.CONTAINER_HOST, source: "CONTAINER_HOST", ...sshKey }],
      named: true,
    };
  if (env.CONTAINER_CONNECTION)
    return {
      list: [byName(env.CONTAINER_CONNECTION, "CONTAINER_CONNECTION", connections())],
      named: true,
    };
  const list: Candidate[] = [];
  const known = connections();
  const def = known.defaultName === undefined ? undefined : known.byName.get(known.defaultName);
  if (def) {
    list.push({
      url: def.uri,
      source: `the default connection "${def.name}" from ${known.defaultFrom}`,
      ...(def.identity ? { identity: def.identity } : {}),
    });
  }
  if (env.XDG_RUNTIME_DIR) {
    list.push({
      url: `unix://${env.XDG_RUNTIME_DIR}/podman/podman.sock`,
      source: "$XDG_RUNTIME_DIR/podman/podman.sock",
    });
  }
  list.push({ url: "unix:///run/podman/podman.sock", source: "the rootful default" });
  const own = ownServicePlace(env);
  list.push({ url: `unix://${own.socket}`, source: "kplay's own service" });
  return { list, named: false, own };
}

export interface Connected {
  readonly client: PodmanClient;
  readonly apiVersion: string;
  /** Why this place: "--url", "CONTAINER_HOST", "kplay's own service (started now)"… */
  readonly source: string;
}

async function tryCandidate(
  candidate: Candidate,
  trace: ((line: string) => void) | undefined,
): Promise<{ transport: Transport; apiVersion: string } | { reason: string }> {
  const endpoint = parseEndpoint(candidate.url, candidate.identity);
  if (!endpoint) throw new UsageError(describeUnusableEndpoint(candidate));
  let opened: Transport;
  try {
    opened = await openTransport(endpoint);
  } catch (e) {
    if (e instanceof TransportError) return { reason: e.reason };
    throw e;
  }
  const transport = trace ? traceTransport(opened, trace) : opened;
  try {
    return { transport, apiVersion: await checkPodman(transport) };
  } catch (e) {
    await transport.close();
    if (!(e instanceof TransportError)) throw e;
    return { reason: e.reason };
  }
}

/** Whether a unix socket answers as Podman (for kplay's own service). */
async function answers(socket: string): Promise<boolean> {
  const transport = await openTransport({ kind: "unix", path: socket });
  try {
    await checkPodman(transport);
    return true;
  } catch {
    return false;
  } finally {
    await transport.close();
  }
}

/**
 * Finds a Podman that answers, checks its API version, and returns a client for it. When
 * nothing answers and no place was named, starts kplay's own service (one stderr line
 * says so unless quiet). The message lists every place looked at.
 */
export async function connect(
  where: Where,
  env: Env,
  trace?: (line: string) => void,
  notice?: (line: string) => void,
): Promise<Connected> {
  const { list, named, own } = endpointCandidates(where, env);
  const tried: string[] = [];
  const place = (c: Candidate) => {
    const endpoint = parseEndpoint(c.url, c.identity);
    return endpoint ? describeEndpoint(endpoint) : c.url;
  };
  for (const candidate of list) {
    const result = await tryCandidate(candidate, trace);
    if ("transport" in result) {
      return {
        client: new PodmanClient(result.transport),
        apiVersion: result.apiVersion,
        source: candidate.source,
      };
    }
    tried.push(`  ${place(candidate)} (${candidate.source}): ${result.reason}`);
  }
  const advice = [
    "Start the Podman API service (`podman system service --time=0 &`, or",
    "`systemctl --user start podman.socket`), or point kplay at it with --url or CONTAINER_HOST",
  ];
  if (!named && own) {
    const podman = findPodman(env);
    if (podman === undefined) {
      tried.push(
        "  (kplay starts Podman's service itself when the podman command is on PATH; it is not)",
      );
    } else {
      const started = await ensureOwnService(podman, own, env, () => answers(own.socket));
      if (started.ok) {
        const result = await tryCandidate(
          { url: `unix://${own.socket}`, source: "kplay's own service" },
          trace,
        );
        if ("transport" in result) {
          if (started.started && !where.quiet) {
            notice?.(
              `kplay: no Podman service answered; started \`podman system service\` at unix://${own.socket} (it exits after ${OWN_SERVICE_IDLE_SECONDS} s unused)\n`,
            );
          }
          return {
            client: new PodmanClient(result.transport),
            apiVersion: result.apiVersion,
            source: started.started ? "kplay's own service (started now)" : "kplay's own service",
          };
        }
        tried.push(`  unix://${own.socket} (kplay's own service, just started): ${result.reason}`);
      } else {
        tried.push(`  ${podman} system service (started by kplay): ${started.reason}`);
      }
    }
  }
  throw new UnreachableError(
    ["Cannot reach Podman. kplay looked at:", ...tried, ...advice].join("\n"),
  );
}
