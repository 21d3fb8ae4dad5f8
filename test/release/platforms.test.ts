/**
 * What differs on the platforms the release builds for, checked here on Linux: the executable
 * takes nothing from its working directory, a Windows named pipe gets a clear refusal, and
 * nothing Linux-only is assumed of kplay's own machine or of the paths Podman is given.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unprivilegedPortStart } from "../../src/cli/node-facts.ts";
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
    // No podman on PATH: with nothing answering, kplay would otherwise start root's own
    // Podman service (a system store this test must not touch).
    PATH: "",
  };
  delete env.CONTAINER_HOST;
  delete env.CONTAINER_CONNECTION;
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

test("the rootless port floor is read from /proc on Linux only: elsewhere Podman runs in a VM", () => {
  const info = { hostname: "h", cpus: 1, memTotal: 1, rootless: true };
  const local = { kind: "unix", path: "/x.sock" } as const;
  expect(unprivilegedPortStart(info, local, "darwin")).toBeUndefined();
  expect(unprivilegedPortStart(info, local, "win32")).toBeUndefined();
  const linux = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));
  expect(unprivilegedPortStart(info, local, "linux")).toBe(linux);
});

test("src/plan joins paths as POSIX ones: they are paths on Podman's Linux host, not kplay's", () => {
  // node:path on Windows would turn a mountPath /data into \\data.
  const dir = join(repoRoot, "src/plan");
  const imports = readdirSync(dir).flatMap((f) =>
    [...readFileSync(join(dir, f), "utf8").matchAll(/from "(node:path[^"]*)"/g)].map(
      (m) => `${f}: ${m[1]}`,
    ),
  );
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter((i) => !i.endsWith("node:path/posix"))).toEqual([]);
});
