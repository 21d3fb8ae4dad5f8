/**
 * What the three Podman services of `npm test` (4.3.1 rootful, rootless, 5.4) have in
 * common: a podman CLI bound to the service's store, JSON from it, a snapshot of what a play
 * can leave behind, and a fast way to empty the store. Each support module binds these to
 * its own CLI.
 */
import type { HttpGetOptions } from "./http.ts";
import { pollUntil } from "./poll.ts";
import type { RunResult } from "./process.ts";

/** A podman CLI bound to one store; never throws for a non-zero exit. */
export type PodmanCli = (args: readonly string[]) => Promise<RunResult>;

/** One Podman service as a scenario written for all of them sees it. */
export interface PodmanTarget {
  /** The podman CLI on the service's store, and its name in messages (`" (5.4)"`). */
  readonly cli: PodmanCli;
  readonly which: string;
  /** kplay, talking to this service. */
  readonly kplay: (args: readonly string[]) => Promise<RunResult>;
  /** How to retry the first HTTP request while a server starts (default: 10 s x 50). */
  readonly http?: HttpGetOptions;
}

/** The names of everything in a store that a play can leave behind, each list sorted. */
export interface StoreState {
  readonly pods: string[];
  readonly containers: string[];
  readonly volumes: string[];
}

/**
 * Runs `cli` and returns its stdout parsed as JSON; throws if it fails. `which` names the
 * store in the message (`""`, `" (rootless)"`, `" (5.4)"`).
 */
export async function cliJson<T>(
  cli: PodmanCli,
  which: string,
  args: readonly string[],
): Promise<T> {
  const result = await cli(args);
  if (result.exitCode !== 0) {
    throw new Error(
      `podman ${args.join(" ")}${which} exited ${result.exitCode}: ${result.stderr.trim()}`,
    );
  }
  return JSON.parse(result.stdout) as T;
}

/** The store's pods, containers (all states, infra included) and volumes. */
export async function storeSnapshot(cli: PodmanCli, which: string): Promise<StoreState> {
  const [pods, containers, volumes] = await Promise.all([
    cliJson<{ Name: string }[] | null>(cli, which, ["pod", "ps", "--format", "json"]),
    cliJson<{ Names: string[] }[] | null>(cli, which, ["ps", "--all", "--format", "json"]),
    cliJson<{ Name: string }[] | null>(cli, which, ["volume", "ls", "--format", "json"]),
  ]);
  return {
    pods: (pods ?? []).map((p) => p.Name).sort(),
    containers: (containers ?? []).flatMap((c) => c.Names).sort(),
    volumes: (volumes ?? []).map((v) => v.Name).sort(),
  };
}

/**
 * Removes every pod, container and volume of the store and throws (naming `caller`) if
 * anything is left. Containers are SIGKILLed first: a forced removal would wait the 10 s stop
 * timeout for every PID 1 that ignores SIGTERM (busybox sh, httpd). `settle` runs between the
 * kill and the removals. Images stay.
 */
export async function emptyStore(
  cli: PodmanCli,
  which: string,
  caller: string,
  settle: () => Promise<void> = async () => {},
): Promise<void> {
  await cli(["kill", "--all", "--signal", "KILL"]);
  await settle();
  // A removal can lose a race with a container's own clean-up on a busy machine: try again
  // for a while before calling what is left a leak.
  const isEmpty = (s: StoreState) => s.pods.length + s.containers.length + s.volumes.length === 0;
  const left = await pollUntil(
    async () => {
      await cli(["pod", "rm", "--all", "--force"]);
      await cli(["rm", "--all", "--force", "--time", "0"]);
      await cli(["volume", "rm", "--all", "--force"]);
      return storeSnapshot(cli, which);
    },
    isEmpty,
    30_000,
    500,
  );
  if (!isEmpty(left)) throw new Error(`${caller} left ${JSON.stringify(left)}`);
}

/** Every ID that matters for a pod: its own, its infra container's and each container's by name. */
export interface PodIds {
  readonly pod: string;
  readonly infra: string;
  readonly containers: Record<string, string>;
}

/** The IDs of pod `name` as the store's CLI reports them. */
export async function podIdsWith(cli: PodmanCli, which: string, name: string): Promise<PodIds> {
  const out = await cliJson<unknown>(cli, which, ["pod", "inspect", name]);
  const pod = (Array.isArray(out) ? out[0] : out) as {
    Id: string;
    InfraContainerID: string;
    Containers: { Id: string; Name: string }[];
  };
  const containers: Record<string, string> = {};
  for (const c of pod.Containers) if (c.Id !== pod.InfraContainerID) containers[c.Name] = c.Id;
  return { pod: pod.Id, infra: pod.InfraContainerID, containers };
}
