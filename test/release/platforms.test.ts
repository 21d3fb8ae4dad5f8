/**
 * What differs on the platforms the release builds for, checked here on Linux: the executable
 * takes nothing from its working directory, and a Windows named pipe gets a clear refusal.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/env.ts";
import { runCommand } from "../support/process.ts";

const kplay = join(repoRoot, "dist/kplay");
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kplay-platforms-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test("dist/kplay reads no .env and runs no bunfig.toml preload from its working directory", async () => {
  // A Bun executable does both by default; a project's .env with CONTAINER_HOST would then
  // point kplay elsewhere, and a bunfig.toml there would run its code inside kplay.
  writeFileSync(join(work, ".env"), "CONTAINER_HOST=unix:///from-dotenv.sock\n");
  writeFileSync(join(work, "preload.ts"), `require("node:fs").writeFileSync("preloaded", "");\n`);
  writeFileSync(join(work, "bunfig.toml"), 'preload = ["./preload.ts"]\n');
  mkdirSync(join(work, "xdg"));
  const env: Record<string, string | undefined> = {
    ...process.env,
    XDG_RUNTIME_DIR: join(work, "xdg"),
  };
  delete env.CONTAINER_HOST;
  const run = await runCommand([kplay, "version"], { cwd: work, env });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).not.toContain("from-dotenv");
  expect(run.stdout).not.toContain("(CONTAINER_HOST)");
  expect(existsSync(join(work, "preloaded"))).toBe(false);
});

test.each([
  [["--url", "npipe:////./pipe/podman-machine-default"], {}, "--url"],
  [[], { CONTAINER_HOST: "npipe:////./pipe/podman-machine-default" }, "CONTAINER_HOST"],
] as const)(
  "a Windows named pipe (%j %j) is refused with what to do instead",
  async (args, extra, source) => {
    const run = await runCommand([kplay, "ps", ...args], { env: { ...process.env, ...extra } });
    expect(run).toEqual({
      stdout: "",
      stderr: `kplay: ${source} "npipe:////./pipe/podman-machine-default" is a Windows named pipe, which kplay cannot open yet: run kplay inside the Podman machine (podman machine ssh), or give a tcp://host:port address that reaches its API\n`,
      exitCode: 2,
    });
  },
);
