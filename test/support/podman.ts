/**
 * bun test helpers around the isolated Podman of `npm test` (scripts/test.sh): the podman
 * CLI bound to the same store as the service, store snapshots and a fast cleanup. Also
 * re-exports the other helpers, so tests import everything from here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { containersConf, podmanDir, testSocketPath } from "./env.ts";
import { pollUntil } from "./poll.ts";
import { type RunResult, runCommand } from "./process.ts";
import { cliJson, emptyStore, type StoreState, storeSnapshot } from "./store.ts";

export { containersConf, podmanDir, repoRoot, testSocketPath, testUrl } from "./env.ts";
export {
  freePort,
  type HttpGetOptions,
  type HttpResponse,
  httpGet,
  httpGetBody,
} from "./http.ts";
export { type KplayRuntime, kplayCommand, type RunKplayOptions, runKplay } from "./kplay.ts";
export type { RunResult } from "./process.ts";
export { FINISHED_STATES } from "./states.ts";
export type { StoreState } from "./store.ts";

/**
 * Runs the podman CLI on the test store (same CONTAINERS_CONF, --root, --runroot and
 * --tmpdir as the service). Never throws for a non-zero exit.
 */
export function podman(args: readonly string[]): Promise<RunResult> {
  const dir = podmanDir();
  const env: Record<string, string | undefined> = {
    ...process.env,
    CONTAINERS_CONF: containersConf(),
  };
  // With either of these set, podman turns into the remote client and rejects --root.
  delete env.CONTAINER_HOST;
  delete env.CONTAINER_CONNECTION;
  return runCommand(
    [
      "podman",
      "--root",
      join(dir, "root"),
      "--runroot",
      join(dir, "run"),
      "--tmpdir",
      join(dir, "tmp"),
      ...args,
    ],
    // The store's folder as cwd: `podman kube play` resolves a relative hostPath against its
    // working directory, and must not create folders in the checkout.
    { env, cwd: dir },
  );
}

/** Runs podman with `args` and returns its stdout parsed as JSON; throws if podman fails. */
export function podmanJson<T = unknown>(args: readonly string[]): Promise<T> {
  return cliJson<T>(podman, "", args);
}

/** Returns the current pods, containers (all states, infra included) and volumes. */
export function snapshotState(): Promise<StoreState> {
  return storeSnapshot(podman, "");
}

/** Removes every pod, container and volume of the test store, fast (see emptyStore). */
export function cleanupStore(): Promise<void> {
  return emptyStore(podman, "", "cleanupStore", async () => {
    // A `pod rm` issued while conmon and its cleanup processes are still in the pod's cgroup
    // takes ~3.5 s instead of ~0.1 s (measured): let them finish first.
    await pollUntil(storeHelperPids, (pids) => pids.length === 0, 5000, 20);
  });
}

/**
 * Returns the pids of conmon and `podman … container cleanup` processes of the test store
 * (their command lines name the store's folder). The service itself is not among them.
 */
export function storeHelperPids(): number[] {
  const marker = `${podmanDir()}/`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (comm !== "conmon" && comm !== "podman") continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (!argv.some((arg) => arg.includes(marker))) continue;
      if (comm === "podman" && !argv.includes("cleanup")) continue;
      pids.push(Number(entry));
    } catch {
      // The process ended while we looked: not a helper any more.
    }
  }
  return pids;
}

/** Returns the body of GET /_ping on the test service's socket ("OK" when healthy). */
export async function pingService(): Promise<string> {
  // Bun's own fetch option: the `undici` import is shimmed by Bun and ignores socketPath.
  const res = await fetch("http://d/_ping", {
    unix: testSocketPath(),
    signal: AbortSignal.timeout(5000),
  });
  return await res.text();
}
