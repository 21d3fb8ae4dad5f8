/** The same transport contract on Bun (in process), Deno and Node (subprocesses). */
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runContract } from "./contract.ts";

const root = join(import.meta.dir, "../..");
const url = process.env.KPLAY_TEST_URL ?? "";

async function runIn(cmd: string[]): Promise<unknown> {
  const proc = Bun.spawn(cmd, { cwd: root, stdout: "pipe", stderr: "pipe", env: process.env });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${err}`);
  return JSON.parse(out);
}

describe("transport contract", () => {
  const expected = (results: { name: string; ok: boolean; detail: string }[]) => {
    expect(results.length).toBe(5);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  };

  test("bun adapter", async () => {
    expected(await runContract("bun", url));
  });

  test("deno adapter", async () => {
    expected(
      (await runIn([
        join(root, "node_modules/.bin/deno"),
        "run",
        "-A",
        "test/transport/contract-runner.ts",
      ])) as never,
    );
  });

  test("node adapter (undici 7)", async () => {
    mkdirSync(join(root, ".tmp"), { recursive: true });
    const bundle = join(root, ".tmp/contract-runner.mjs");
    const built = Bun.spawnSync(
      [
        process.execPath,
        "build",
        "--target=node",
        "test/transport/contract-runner.ts",
        "--outfile",
        bundle,
      ],
      { cwd: root },
    );
    expect(built.exitCode).toBe(0);
    expected((await runIn(["node", bundle])) as never);
  });
});
