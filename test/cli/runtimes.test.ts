/**
 * The failure texts are part of the contract on every runtime kplay ships for: under Deno and
 * the Node bundle, an invalid manifest and an unreachable Podman give byte for byte the
 * compiled executable's stderr and exit code.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { type KplayRuntime, type RunResult, runKplay } from "../support/podman.ts";
import { fixture, makeDeadSocket } from "./helpers.ts";

let work: string;
let dead: string;
let proxy: FaultProxy;
/** The compiled executable's results, the reference for the other runtimes. */
const reference = new Map<string, RunResult>();

/** The runs compared, by name. */
const RUNS: Record<string, () => { args: string[]; env?: Record<string, string> }> = {
  "invalid manifest": () => ({ args: ["play", fixture("invalid.yaml"), "--url", proxy.url] }),
  "planner refusal": () => ({ args: ["down", fixture("refused.yaml"), "--url", proxy.url] }),
  "no socket file": () => ({ args: ["ps", "--url", "unix:///nonexistent.sock"] }),
  "dead socket": () => ({
    args: ["play", fixture("sleeper.yaml")],
    env: { CONTAINER_HOST: `unix://${dead}` },
  }),
};

async function run(name: string, runtime: KplayRuntime): Promise<RunResult> {
  const make = RUNS[name];
  if (!make) throw new Error(`no run named ${name}`);
  const { args, env } = make();
  return runKplay(args, { runtime, ...(env ? { env } : {}) });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-cli-runtimes-"));
  dead = join(work, "dead.sock");
  await makeDeadSocket(dead);
  proxy = await startFaultProxy();
  for (const name of Object.keys(RUNS)) reference.set(name, await run(name, "bin"));
});
afterAll(async () => {
  await proxy.close();
  rmSync(work, { recursive: true, force: true });
});

test("the reference runs fail as documented", () => {
  expect(reference.get("invalid manifest")?.exitCode).toBe(2);
  expect(reference.get("invalid manifest")?.stderr).toContain("error[unknown-field]");
  expect(reference.get("planner refusal")?.exitCode).toBe(2);
  expect(reference.get("planner refusal")?.stderr).toContain("error[unsafe-sub-path]");
  expect(reference.get("no socket file")?.exitCode).toBe(1);
  expect(reference.get("no socket file")?.stderr).toContain("(ENOENT)");
  expect(reference.get("dead socket")?.exitCode).toBe(1);
  expect(reference.get("dead socket")?.stderr).toContain("(ECONNREFUSED)");
});

describe.each([["deno"], ["node"]] as const)("under %s", (runtime) => {
  test.each(Object.keys(RUNS))(
    "%s: same stdout, stderr and exit code as the executable",
    async (name) => {
      proxy.resetLog();
      expect(await run(name, runtime)).toEqual(
        reference.get(name) ?? { stdout: "?", stderr: "?", exitCode: -1 },
      );
      // The invalid manifests were refused before any request, on this runtime too.
      expect(proxy.requests).toEqual([]);
    },
  );
});
