/**
 * kplay installs and runs by name as an npm package: the packed tarball holds the Node bundle
 * and the bin shim (not the 100 MB host executable), needs nothing from the registry (its
 * dependencies are inside the bundle), and runs under `npm install -g` and `npx` on Node 20.
 * In a checkout that built dist/kplay the shim runs that executable instead, passing on
 * arguments and the exit code. Offline: npm reads only its cache and this tarball.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { repoRoot } from "../support/env.ts";
import { runCommand } from "../support/process.ts";

let work: string;
let tarball: string;
const line = (build: string, runtime: string) =>
  new RegExp(
    `^kplay ${pkg.version.replace(/\./g, "\\.")} \\(commit [0-9a-f]{12}(-dirty)?, ${build}, ${runtime}\\)\n$`,
  );

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-install-"));
  // dist/ is built by scripts/test.sh before the suite; prepack would rebuild it here.
  const packed = await runCommand(
    ["npm", "pack", "--ignore-scripts", "--json", "--pack-destination", work],
    {
      cwd: repoRoot,
    },
  );
  expect(packed.exitCode).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error("npm pack printed nothing");
  tarball = join(work, info.filename);
  expect(info.files.map((f) => f.path).sort()).toContain("dist/kplay.mjs");
  expect(info.files.map((f) => f.path)).toContain("scripts/kplay.mjs");
  expect(info.files.map((f) => f.path)).not.toContain("dist/kplay");
}, 60_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test("npm install -g puts a working `kplay` on PATH, with nothing fetched", async () => {
  const prefix = join(work, "prefix");
  const install = await runCommand(
    ["npm", "install", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball],
    { cwd: work, timeoutMs: 120_000 },
  );
  expect(install.stderr).not.toContain("ERR");
  expect(install.exitCode).toBe(0);
  expect(readdirSync(join(prefix, "lib/node_modules"))).toEqual(["kplay"]);
  const run = await runCommand([join(prefix, "bin/kplay"), "version", "--client"], { cwd: work });
  expect(run.stderr).toBe("");
  expect(run.stdout).toMatch(line("node-bundle", "node"));
  const bad = await runCommand(
    [join(prefix, "bin/kplay"), "validate", join(work, "missing.yaml")],
    { cwd: work },
  );
  expect(bad.exitCode).toBe(2);
}, 180_000);

test("npx runs it from the tarball", async () => {
  const run = await runCommand(
    ["npx", "--offline", "--yes", "--package", tarball, "--", "kplay", "version", "--client"],
    { cwd: work, timeoutMs: 120_000 },
  );
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(line("node-bundle", "node"));
}, 180_000);

test("in a checkout that built dist/kplay, the bin runs the executable and passes on the exit code", async () => {
  const shim = join(repoRoot, "scripts/kplay.mjs");
  const exe = await runCommand(["node", shim, "version", "--client"], { cwd: work });
  expect(exe.stdout).toMatch(line("linux-(x64|arm64)", "bun"));
  const node = await runCommand(["node", shim, "version", "--client"], {
    cwd: work,
    env: { ...process.env, KPLAY_BIN_NODE: "1" },
  });
  expect(node.stdout).toMatch(line("node-bundle", "node"));
  const usage = await runCommand(["node", shim, "completion", "tcsh"], { cwd: work });
  expect(usage).toEqual({
    stdout: "",
    stderr: 'kplay: kplay completion takes bash, zsh or fish, not "tcsh"\n',
    exitCode: 2,
  });
});
