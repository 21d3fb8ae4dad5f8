/** The kill sweep of issue 14: kplay SIGKILLed right after each of its requests in turn. */
import { expect } from "bun:test";
import type { FaultProxy } from "../support/fault-proxy.ts";
import { pollUntil } from "../support/poll.ts";
import { startKplay } from "./helpers.ts";

/**
 * Runs kplay through the proxy and SIGKILLs it right after its nth request reaches Podman,
 * then waits until Podman has answered every request kplay had sent. False when kplay sent
 * fewer than n requests (it finished first).
 */
async function killAfter(proxy: FaultProxy, args: readonly string[], n: number): Promise<boolean> {
  proxy.clearFaults();
  proxy.resetLog();
  const hit = proxy.inject({ path: /./, nth: n, action: { kind: "drop", when: "after" } });
  const run = startKplay(["--url", proxy.url, ...args]);
  const first = await Promise.race([hit.then(() => "hit"), run.done.then(() => "done")]);
  if (first === "hit") run.kill("SIGKILL");
  await run.done;
  const settled = await pollUntil(
    () => proxy.requests.every((r) => r.settled),
    (all) => all,
    30_000,
    20,
  );
  expect(settled).toBe(true);
  proxy.clearFaults();
  return first === "hit";
}

/**
 * For n = 1, 2, …: `prepare`, then `killed` killed after its nth request, then `after`
 * (which asserts the recovery), until kplay finishes before its nth request. Prints and
 * returns the number of kill points covered.
 */
export async function sweep(
  proxy: FaultProxy,
  what: string,
  prepare: () => Promise<void>,
  killed: readonly string[],
  after: () => Promise<void>,
): Promise<number> {
  let n = 1;
  for (; n < 500; n++) {
    await prepare();
    const hit = await killAfter(proxy, killed, n);
    await after();
    if (!hit) break;
  }
  console.log(`crash sweep, ${what}: ${n - 1} kill points covered`);
  return n - 1;
}
