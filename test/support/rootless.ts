/**
 * Helpers for the tests against the ROOTLESS Podman of `npm test`: scripts/rootless-service.sh
 * runs `podman system service` as the user kplay-rootless, with everything in one folder DIR
 * (HOME=DIR/home, XDG_RUNTIME_DIR=DIR/run), and scripts/test.sh exports its socket URL as
 * KPLAY_TEST_ROOTLESS_URL. The tests run as root; the podman CLI here runs as that user, with
 * the same environment as the service, so both see the same store.
 *
 * Independent of the rootful test service: nothing here reads KPLAY_TEST_URL.
 */
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { repoRoot } from "./env.ts";
import { type RunResult, runCommand } from "./process.ts";
import { cliJson, emptyStore, type StoreState, storeSnapshot } from "./store.ts";

export const ROOTLESS_ENV = "KPLAY_TEST_ROOTLESS_URL";

/** Returns the rootless service's URL (`unix:///…/run/podman/podman.sock`), or undefined. */
export function rootlessUrl(): string | undefined {
  const url = process.env[ROOTLESS_ENV];
  return url === undefined || url === "" ? undefined : url;
}

function requiredUrl(): string {
  const url = rootlessUrl();
  if (url === undefined) {
    throw new Error(
      `${ROOTLESS_ENV} is not set: run the tests through \`npm test\` (scripts/test.sh starts scripts/rootless-service.sh)`,
    );
  }
  if (!url.startsWith("unix://")) throw new Error(`${ROOTLESS_ENV} is not a unix:// URL: "${url}"`);
  return url;
}

/** Returns the path of the rootless service's socket. */
export function rootlessSocketPath(): string {
  return requiredUrl().slice("unix://".length);
}

/** Returns DIR of rootless-service.sh: the socket is DIR/run/podman/podman.sock. */
export function rootlessDir(): string {
  const dir = dirname(dirname(dirname(rootlessSocketPath())));
  if (!existsSync(`${dir}/user`)) {
    throw new Error(`${dir} is not a rootless-service.sh folder (no ${dir}/user file)`);
  }
  return dir;
}

export interface RootlessUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Returns the user the rootless service runs as (named in DIR/user, ids from /etc/passwd). */
export function rootlessUser(): RootlessUser {
  const name = readFileSync(`${rootlessDir()}/user`, "utf8").trim();
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const f = line.split(":");
    if (f[0] === name) return { name, uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error(`user ${name} is not in /etc/passwd`);
}

/**
 * Creates `path` (and missing parents) owned by the rootless user: a hostPath folder its
 * containers can write. In a rootless container, root is the user itself on the host (uid 0
 * inside = the user's uid outside) and host root is unmapped (nobody, 65534, inside), so a
 * folder made by root, mode 0755, is read-only to the container.
 */
export function mkdirForRootless(path: string): void {
  const { uid, gid } = rootlessUser();
  mkdirSync(path, { recursive: true, mode: 0o755 });
  chownSync(path, uid, gid);
}

/**
 * Wraps a command so it runs as the rootless user with the service's environment (the same
 * as `as_user` in scripts/rootless-service.sh): its HOME and XDG_RUNTIME_DIR, nothing else.
 */
export function asRootlessUser(cmd: readonly string[]): string[] {
  const dir = rootlessDir();
  const user = rootlessUser().name;
  return [
    "setpriv",
    "--reuid",
    user,
    "--regid",
    user,
    "--init-groups",
    "env",
    "-i",
    `HOME=${dir}/home`,
    `XDG_RUNTIME_DIR=${dir}/run`,
    `USER=${user}`,
    `LOGNAME=${user}`,
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG=C.UTF-8",
    ...cmd,
  ];
}

/**
 * Runs the podman CLI as the rootless user, with the service's environment (the same as
 * `as_user` in scripts/rootless-service.sh). Never throws for a non-zero exit.
 */
export function rootlessPodman(args: readonly string[]): Promise<RunResult> {
  return runCommand(
    asRootlessUser(["podman", ...args]),
    // Its cwd must be readable by the user: the repository may not be.
    { cwd: "/" },
  );
}

/** Runs the rootless podman CLI and returns its stdout parsed as JSON; throws if it fails. */
export function rootlessPodmanJson<T = unknown>(args: readonly string[]): Promise<T> {
  return cliJson<T>(rootlessPodman, " (rootless)", args);
}

/** Returns the rootless store's pods, containers (all states, infra included) and volumes. */
export function rootlessSnapshot(): Promise<StoreState> {
  return storeSnapshot(rootlessPodman, " (rootless)");
}

/** Removes every pod, container and volume of the rootless store, fast (see emptyStore). */
export function rootlessCleanup(): Promise<void> {
  return emptyStore(rootlessPodman, " (rootless)", "rootlessCleanup");
}

/** Returns Podman's cgroup version as the rootless service reports it ("v1" or "v2"). */
export async function rootlessCgroupVersion(): Promise<string> {
  const r = await rootlessPodman(["info", "--format", "{{.Host.CgroupsVersion}}"]);
  if (r.exitCode !== 0) throw new Error(`podman info (rootless) failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

export interface RunRootlessOptions {
  /** Default 120 s. */
  readonly timeoutMs?: number;
}

/**
 * A copy of the compiled kplay the rootless user can run: the checkout (and dist/) may not
 * be traversable by that user, DIR is (0711).
 */
export function kplayForUser(): string {
  const bin = `${rootlessDir()}/kplay`;
  if (!existsSync(bin)) {
    copyFileSync(`${repoRoot}/dist/kplay`, bin);
    chmodSync(bin, 0o755);
  }
  return bin;
}

/**
 * Runs kplay as a rootless user does: as the user kplay-rootless, with its HOME and
 * XDG_RUNTIME_DIR and no CONTAINER_HOST, so kplay finds the socket where it looks by default
 * ($XDG_RUNTIME_DIR/podman/podman.sock) and creates hostPaths as that user. Never throws
 * for a non-zero exit.
 */
export function runKplayRootless(
  args: readonly string[],
  options: RunRootlessOptions = {},
): Promise<RunResult> {
  requiredUrl();
  return runCommand(asRootlessUser([kplayForUser(), ...args]), {
    cwd: "/",
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
