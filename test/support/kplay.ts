/** Runs kplay the four ways it ships: compiled executable, Bun, Deno and the Node bundle. */
import { join } from "node:path";
import { repoRoot, testUrl } from "./env.ts";
import { type RunResult, runCommand } from "./process.ts";

export type KplayRuntime = "bin" | "bun" | "deno" | "node";

export interface RunKplayOptions {
  /** Default "bin": dist/kplay, built by `npm test` before the tests run. */
  readonly runtime?: KplayRuntime;
  readonly stdin?: string;
  /** Added to (and overriding) the inherited environment, CONTAINER_HOST included. */
  readonly env?: Record<string, string>;
  /** Default: the repository root. */
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Returns the command line that starts kplay under `runtime`, before kplay's own arguments. */
export function kplayCommand(runtime: KplayRuntime): string[] {
  const main = join(repoRoot, "src/main.ts");
  switch (runtime) {
    case "bin":
      return [join(repoRoot, "dist/kplay")];
    case "bun":
      return [join(repoRoot, "node_modules/.bin/bun"), main];
    case "deno":
      // --no-lock: Deno would otherwise write a deno.lock into the repository.
      return [join(repoRoot, "node_modules/.bin/deno"), "run", "-A", "--no-lock", main];
    case "node":
      return ["node", join(repoRoot, "dist/kplay.mjs")];
  }
}

/**
 * Runs kplay with `args` against the isolated test Podman and returns its output.
 *
 * kplay finds Podman through CONTAINER_HOST, which is set to the test URL; `--url` is never
 * added, so a test can pass its own. Never throws for a non-zero exit.
 */
export function runKplay(
  args: readonly string[],
  options: RunKplayOptions = {},
): Promise<RunResult> {
  const env = { ...process.env, CONTAINER_HOST: testUrl(), ...options.env };
  return runCommand([...kplayCommand(options.runtime ?? "bin"), ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
