/**
 * kplay's own Podman service: when nothing answers where kplay looks and nobody named an
 * address, kplay starts `podman system service` itself, as the user it runs as (rootless as
 * a user, rootful as root, with that user's containers.conf and storage), on a private
 * socket, and leaves it to exit by itself once idle (`--time`). Several kplay processes at
 * once share one: a lock file decides who starts it, the others wait for its socket.
 *
 * Files, in the folder of `ownServicePlace` (mode 0700):
 *   podman.sock  the socket         podman.pid  the service's pid (for doctor and tests)
 *   service.log  its output         start.lock  held (with the holder's pid) while starting
 */
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";
import { alive } from "./endpoint-lock.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Seconds without a request before the service kplay started exits (podman --time). */
export const OWN_SERVICE_IDLE_SECONDS = 10;

/** How long starting (or waiting for another kplay to start) the service may take. */
const START_MS = 30_000;

export interface OwnServicePlace {
  readonly dir: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly lockFile: string;
}

/** Where kplay's own service lives: $XDG_RUNTIME_DIR/kplay, else /run/kplay for root. */
export function ownServicePlace(env: Env, uid: number = process.getuid?.() ?? -1): OwnServicePlace {
  const dir = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, "kplay")
    : uid === 0
      ? "/run/kplay"
      : join(tmpdir(), `kplay-${uid}`);
  return {
    dir,
    socket: join(dir, "podman.sock"),
    pidFile: join(dir, "podman.pid"),
    logFile: join(dir, "service.log"),
    lockFile: join(dir, "start.lock"),
  };
}

/** The `podman` command on PATH, if there is one. */
export function findPodman(env: Env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "podman");
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const readPid = (file: string): number => {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return 0;
  }
};

/** Takes the start lock, or says who holds it. A holder that died leaves a lock taken over. */
function tryLock(place: OwnServicePlace): { held: true } | { held: false; holder: number } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(
        place.lockFile,
        constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
        0o600,
      );
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return { held: true };
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw e;
      const holder = readPid(place.lockFile);
      // A pid not written yet (the holder is between open and write) counts as alive.
      if (holder === 0 || alive(holder)) return { held: false, holder };
      rmSync(place.lockFile, { force: true });
    }
  }
  return { held: false, holder: 0 };
}

const lastLine = (file: string): string => {
  try {
    return readFileSync(file, "utf8").trim().split("\n").pop()?.trim() ?? "";
  } catch {
    return "";
  }
};

export type StartResult =
  | { readonly ok: true; readonly started: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Makes kplay's own service answer at `place.socket`: started here (started: true), or by
 * another kplay that held the lock (started: false). `ping` says whether the socket
 * answers as Podman.
 */
export async function ensureOwnService(
  podman: string,
  place: OwnServicePlace,
  env: Env,
  ping: () => Promise<boolean>,
): Promise<StartResult> {
  mkdirSync(place.dir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + START_MS;
  while (Date.now() < deadline) {
    const lock = tryLock(place);
    if (!lock.held) {
      // Another kplay is starting it: wait for the socket, or for the lock to go.
      if (await ping()) return { ok: true, started: false };
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    try {
      if (await ping()) return { ok: true, started: false };
      return await start(podman, place, env, ping, deadline);
    } finally {
      rmSync(place.lockFile, { force: true });
    }
  }
  return {
    ok: false,
    reason: `no service answered at ${place.socket} within ${START_MS / 1000} s`,
  };
}

async function start(
  podman: string,
  place: OwnServicePlace,
  env: Env,
  ping: () => Promise<boolean>,
  deadline: number,
): Promise<StartResult> {
  rmSync(place.socket, { force: true });
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && k !== "CONTAINER_HOST" && k !== "CONTAINER_CONNECTION") childEnv[k] = v;
  }
  // Loaded here: a bundle evaluates every builtin it imports statically at start-up.
  const { spawn } = await import("node:child_process");
  const log = openSync(place.logFile, "w", 0o600);
  let exited: string | undefined;
  try {
    const child = spawn(
      podman,
      ["system", "service", `--time=${OWN_SERVICE_IDLE_SECONDS}`, `unix://${place.socket}`],
      // Its own session: a Ctrl-C meant for kplay must not stop the service other kplays use.
      { detached: true, stdio: ["ignore", log, log], env: childEnv },
    );
    child.once("error", (e) => {
      exited = e.message;
    });
    child.once("exit", (code, signal) => {
      exited = lastLine(place.logFile) || `podman exited ${signal ?? code}`;
    });
    child.unref();
    if (child.pid !== undefined) writeFileSync(place.pidFile, `${child.pid}\n`, { mode: 0o600 });
  } finally {
    closeSync(log);
  }
  while (Date.now() < deadline) {
    if (await ping()) return { ok: true, started: true };
    if (exited !== undefined)
      return { ok: false, reason: `podman system service failed: ${exited}` };
    await new Promise((r) => setTimeout(r, 25));
  }
  return { ok: false, reason: `podman system service did not answer within ${START_MS / 1000} s` };
}
