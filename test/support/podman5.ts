/**
 * Helpers for the tests against the second Podman of `npm test`, Podman 5.4 from Debian trixie:
 * scripts/podman5-service.sh runs its `podman system service` inside a chroot folder
 * DIR/rootfs, in a private mount and PID namespace, and scripts/test.sh exports its socket
 * URL as KPLAY_TEST_PODMAN5_URL (`unix://DIR/rootfs/kplay/podman.sock`).
 *
 * The podman CLI here is the chroot's own 5.4 CLI, run inside the service's namespaces
 * (nsenter into its init), on the same store and the same /run as the service. (The host's
 * 4.3.1 client with `--remote` also talks to the 5.4 service, measured, but it would go
 * through the very API under test and is a different version: not a reference.)
 *
 * hostPath folders must live under DIR/share: kplay creates and checks them on the host,
 * Podman resolves them in the chroot, and DIR/share is the one folder that is the same
 * path on both sides (the script bind-mounts it at its own path inside the chroot).
 *
 * Independent of the 4.3.1 test service: nothing here reads KPLAY_TEST_URL.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "./env.ts";
import { kplayCommand } from "./kplay.ts";
import { type RunResult, runCommand } from "./process.ts";
import { cliJson, emptyStore, type StoreState, storeSnapshot } from "./store.ts";

export const PODMAN5_ENV = "KPLAY_TEST_PODMAN5_URL";

/** The environment of every process in the chroot (the same as CHROOT_ENV in the script). */
const CHROOT_ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "HOME=/root",
  "LANG=C.UTF-8",
  // Podman 5 warns on every command that cgroup v1 (these hosts' hybrid setup) is deprecated.
  "PODMAN_IGNORE_CGROUPSV1_WARNING=1",
];

/** Returns the Podman 5 service's URL, or undefined when the run has none. */
export function podman5Url(): string | undefined {
  const url = process.env[PODMAN5_ENV];
  return url === undefined || url === "" ? undefined : url;
}

function requiredUrl(): string {
  const url = podman5Url();
  if (url === undefined) {
    throw new Error(
      `${PODMAN5_ENV} is not set: run the tests through \`npm test\` as root (scripts/test.sh starts scripts/podman5-service.sh)`,
    );
  }
  if (!url.startsWith("unix://")) throw new Error(`${PODMAN5_ENV} is not a unix:// URL: "${url}"`);
  return url;
}

/** Returns DIR of podman5-service.sh: the socket is DIR/rootfs/kplay/podman.sock. */
export function podman5Dir(): string {
  const dir = dirname(dirname(dirname(requiredUrl().slice("unix://".length))));
  const kind = join(dir, "kind");
  if (!existsSync(kind) || readFileSync(kind, "utf8").trim() !== "podman5") {
    throw new Error(`${dir} is not a podman5-service.sh folder (no ${kind} saying podman5)`);
  }
  return dir;
}

/**
 * Makes a fresh folder for a test's files under DIR/share, where a hostPath is the same path
 * for kplay and for the chroot's Podman. It goes away with the service (`stop` deletes DIR).
 */
export function podman5WorkDir(prefix: string): string {
  return mkdtempSync(join(podman5Dir(), "share", prefix));
}

/** The host pid of the namespace's init (catatonit), checked to still be it. */
function servicePid(): number {
  const file = join(podman5Dir(), "service.pid");
  const pid = Number(readFileSync(file, "utf8").trim());
  let comm = "";
  try {
    comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    // Gone: reported below.
  }
  if (!Number.isInteger(pid) || comm !== "catatonit") {
    throw new Error(`the Podman 5 service's namespace (pid ${pid} in ${file}) is not running`);
  }
  return pid;
}

/**
 * Runs the chroot's podman CLI (5.4) in the service's mount and PID namespaces, with the
 * chroot as its root: the same store, /run and network configuration as the service.
 * Never throws for a non-zero exit.
 */
export function podman5(args: readonly string[]): Promise<RunResult> {
  const pid = servicePid();
  return runCommand(
    [
      "nsenter",
      "--target",
      String(pid),
      "--mount",
      "--pid",
      "--root",
      "--wd",
      "/usr/bin/env",
      "-i",
      ...CHROOT_ENV,
      "podman",
      ...args,
    ],
    { cwd: "/" },
  );
}

/** Runs the 5.4 CLI and returns its stdout parsed as JSON; throws if it fails. */
export function podman5Json<T = unknown>(args: readonly string[]): Promise<T> {
  return cliJson<T>(podman5, " (5.4)", args);
}

/** Returns the 5.4 store's pods, containers (all states, infra included) and volumes. */
export function podman5Snapshot(): Promise<StoreState> {
  return storeSnapshot(podman5, " (5.4)");
}

/** Removes every pod, container and volume of the 5.4 store, fast (see emptyStore). */
export function podman5Cleanup(): Promise<void> {
  return emptyStore(podman5, " (5.4)", "podman5Cleanup");
}

export interface RunKplay5Options {
  readonly stdin?: string;
  /** Default 120 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs the compiled kplay (dist/kplay) against the Podman 5 service: `--url` goes right after
 * the subcommand, and CONTAINER_HOST / CONTAINER_CONNECTION are removed from its environment
 * so the flag is the only way it can find a Podman. Never throws for a non-zero exit.
 */
export function runKplay5(
  args: readonly string[],
  options: RunKplay5Options = {},
): Promise<RunResult> {
  const [command, ...rest] = args;
  if (command === undefined) throw new Error("runKplay5 needs a subcommand");
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CONTAINER_HOST;
  delete env.CONTAINER_CONNECTION;
  return runCommand([...kplayCommand("bin"), command, "--url", requiredUrl(), ...rest], {
    cwd: repoRoot,
    env,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
