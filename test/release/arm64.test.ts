/**
 * The linux-arm64 build is run, not just built: under qemu-user-static it prints what the
 * linux-x64 build prints, byte for byte (stdout, stderr and exit code), for a plan of every
 * fixtures/plan manifest and a validate of every fixtures/invalid one. One kplay process per
 * command covers all the fixtures: each start under qemu costs about 2 s here.
 */
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildCommit, VERSION } from "../support/build-info.ts";
import { repoRoot } from "../support/env.ts";
import { runCommand } from "../support/process.ts";
import { ARM64_SYSROOT, describeRelease, QEMU, RELEASE_DIR } from "./helpers.ts";

const x64 = [join(RELEASE_DIR, "kplay-linux-x64")];
const arm64 = [QEMU, "-L", ARM64_SYSROOT, join(RELEASE_DIR, "kplay-linux-arm64")];

/** The manifests of one fixtures folder, as paths relative to the repository root. */
function fixtures(folder: string): string[] {
  return readdirSync(join(repoRoot, "fixtures", folder))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => `fixtures/${folder}/${f}`);
}

function run(kplay: readonly string[], args: readonly string[]) {
  return runCommand([...kplay, ...args], { cwd: repoRoot });
}

describeRelease("linux-arm64 under qemu", { qemu: true }, () => {
  test.each([
    ["plan", fixtures("plan"), 0],
    ["validate", fixtures("invalid"), 2],
  ] as const)(
    "%s of the golden fixtures: the same bytes as linux-x64",
    async (command, files, code) => {
      const [onArm64, onX64] = await Promise.all([
        run(arm64, [command, ...files]),
        run(x64, [command, ...files]),
      ]);
      expect(onX64.exitCode).toBe(code);
      // Something was compared: every file planned, or diagnosed.
      expect(onX64.stdout.length + onX64.stderr.length).toBeGreaterThan(files.length * 100);
      expect(onArm64).toEqual(onX64);
    },
  );

  test("version --client: the version and commit it was built with, and its own build", async () => {
    expect(await run(arm64, ["version", "--client"])).toEqual({
      stdout: `kplay ${VERSION} (commit ${buildCommit()}, linux-arm64, bun)\n`,
      stderr: "",
      exitCode: 0,
    });
  });
});
