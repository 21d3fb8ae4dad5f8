/**
 * One changing command (play, down) at a time per Podman endpoint: two plays of one file at
 * once would both see the pod missing and both create it. The lock is a file in kplay's
 * state folder, created exclusively, holding the owner's pid; a second command waits for it
 * (saying so once) until the first ends, then converges against what the first made. A lock
 * whose process is gone (killed with SIGKILL) is stale and taken over. Waiting ends with the
 * command's signal (Ctrl-C).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../graph/digest.ts";
import { stateDir } from "./digest-key.ts";
import { interrupted } from "./io.ts";

/** How often a waiting command looks at the lock again. */
const POLL_MS = 100;

export interface EndpointLock {
  release(): void;
}

/** The lock file of one endpoint. */
export function lockPath(
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string,
): string {
  const id = sha256().update(endpoint).digest("hex").slice(0, 16);
  return join(stateDir(env), "locks", `${id}.lock`);
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function alive(pid: number): boolean {
  // 0 and negative pids name process groups, never one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in a lock file; undefined when it cannot be read (gone, or being written). */
function holder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the endpoint's lock, waiting while another live kplay holds it. `onWait` is told once
 * who holds it. Rejects with an InterruptedError if `signal` aborts while waiting.
 */
export async function lockEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string,
  command: string,
  signal: AbortSignal,
  onWait: (pid: number) => void,
): Promise<EndpointLock> {
  const path = lockPath(env, endpoint);
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  let told = false;
  let unreadable = 0;
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n${command}\n${endpoint}\n`, { flag: "wx", mode: 0o600 });
      return { release: () => releaseIfOurs(path) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const pid = holder(path);
    if (pid === undefined) {
      // Just created and not written yet, or left empty by a crash: give a writer a moment.
      if (++unreadable > 20) rmSync(path, { force: true });
    } else if (pid === process.pid || !alive(pid)) {
      rmSync(path, { force: true });
      continue;
    } else if (!told) {
      told = true;
      onWait(pid);
    }
    if (signal.aborted) throw interrupted(signal, "waiting for another kplay");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
    if (signal.aborted) throw interrupted(signal, "waiting for another kplay");
  }
}

function releaseIfOurs(path: string): void {
  if (holder(path) === process.pid) rmSync(path, { force: true });
}

/** Takes the lock for a changing command, telling the user once if it has to wait. */
export function lockForCommand(
  io: {
    env: Readonly<Record<string, string | undefined>>;
    signal: AbortSignal;
    stderr: (s: string) => void;
  },
  endpoint: string,
  command: string,
  quiet: boolean,
): Promise<EndpointLock> {
  return lockEndpoint(io.env, endpoint, command, io.signal, (pid) => {
    if (!quiet)
      io.stderr(`kplay: waiting for another kplay (pid ${pid}) changing this Podman...\n`);
  });
}
