/**
 * Podman on another machine, through the system `ssh`, as podman-remote's `--ssh native`
 * does: the user's ssh configuration, agent, keys and known_hosts decide how to log in, and
 * kplay never sees a password or a key. One `ssh -N -L LOCAL:REMOTE` per kplay run forwards a
 * private local socket to Podman's socket over there (OpenSSH's stream-local forwarding); the
 * local adapter then speaks HTTP to that socket as to any other. Closing the transport ends
 * the ssh process and removes the folder of the local socket.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Endpoint, type HttpRequest, type Transport, TransportError } from "./types.ts";

type SshEndpoint = Extract<Endpoint, { kind: "ssh" }>;

/** How long ssh may take to log in and open the forward. */
const SSH_READY_MS = 30_000;

/** The ssh command line for a forward from `local` to the endpoint's socket. */
export function sshArgs(endpoint: SshEndpoint, local: string): string[] {
  return [
    "-N",
    "-T",
    // Never prompt: kplay has no terminal dialogue to offer, and a hidden prompt would hang.
    // Keys come from the agent, the config or `identity`; an unknown host key is refused.
    "-o",
    "BatchMode=yes",
    "-o",
    "ExitOnForwardFailure=yes",
    "-o",
    "StreamLocalBindUnlink=yes",
    ...(endpoint.port === undefined ? [] : ["-p", String(endpoint.port)]),
    ...(endpoint.identity === undefined ? [] : ["-i", endpoint.identity]),
    ...(endpoint.user === undefined ? [] : ["-l", endpoint.user]),
    "-L",
    `${local}:${endpoint.path}`,
    "--",
    endpoint.host,
  ];
}

const exists = (path: string) => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

/**
 * Starts the forward and waits until its local socket exists (ssh has logged in and
 * listens) or ssh exits (its last stderr line is the reason: "Permission denied
 * (publickey)", "Host key verification failed.").
 */
async function startForward(
  endpoint: SshEndpoint,
  local: string,
  ssh: string,
): Promise<ChildProcess> {
  // Loaded here: a bundle evaluates every builtin it imports statically at start-up.
  const { spawn } = await import("node:child_process");
  const child = spawn(ssh, sshArgs(endpoint, local), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const exited = new Promise<string>((resolve) => {
    child.once("error", (e) => resolve(`cannot run ${ssh}: ${e.message}`));
    child.once("exit", (code, signal) => {
      const last = stderr.trim().split("\n").pop()?.trim();
      resolve(last || `ssh exited ${signal ?? code}`);
    });
  });
  let failure: string | undefined;
  void exited.then((reason) => {
    failure = reason;
  });
  const deadline = Date.now() + SSH_READY_MS;
  // The socket appears once ssh has authenticated and bound it; ssh says nothing on success.
  while (!exists(local)) {
    if (failure !== undefined) throw new TransportError(endpoint, `ssh: ${failure}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new TransportError(endpoint, `ssh did not log in within ${SSH_READY_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

/** Opens a transport to an ssh:// endpoint over a local forward, with `local` as the adapter. */
export async function openSshTransport(
  endpoint: SshEndpoint,
  local: (endpoint: Endpoint) => Promise<Transport>,
  ssh = "ssh",
): Promise<Transport> {
  const dir = mkdtempSync(join(tmpdir(), "kplay-ssh-"));
  const socket = join(dir, "podman.sock");
  let child: ChildProcess;
  try {
    child = await startForward(endpoint, socket, ssh);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const inner = await local({ kind: "unix", path: socket });
  const gone = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    endpoint,
    async request(req) {
      try {
        return await inner.request(req);
      } catch (e) {
        // Name the ssh address, not the private local socket, in what the user reads.
        if (e instanceof TransportError) throw new TransportError(endpoint, e.reason, { cause: e });
        throw e;
      }
    },
    ...(inner.upgrade
      ? {
          async upgrade(req: HttpRequest) {
            try {
              return await (inner.upgrade as NonNullable<Transport["upgrade"]>)(req);
            } catch (e) {
              if (e instanceof TransportError)
                throw new TransportError(endpoint, e.reason, { cause: e });
              throw e;
            }
          },
        }
      : {}),
    async close() {
      await inner.close();
      child.kill("SIGTERM");
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
