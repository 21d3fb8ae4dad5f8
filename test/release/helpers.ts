/** Where the release build lives (scripts/release.sh, run by `npm test`) and how to run it. */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/env.ts";

export const RELEASE_DIR = join(repoRoot, "dist/release");

/** The release files, in SHA256SUMS order (scripts/release.sh). */
export const RELEASE_FILES = [
  "kplay-linux-x64",
  "kplay-linux-arm64",
  "kplay-darwin-x64",
  "kplay-darwin-arm64",
  "kplay-windows-x64.exe",
] as const;

/** qemu-user-static's emulator and the arm64 glibc it loads from (scripts/setup.sh). */
export const QEMU = "/usr/bin/qemu-aarch64-static";
export const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

/** Why the release tests cannot run here, or undefined when everything they need is present. */
export function releaseMissing(needs: { qemu?: boolean } = {}): string | undefined {
  const absent = RELEASE_FILES.filter((f) => !existsSync(join(RELEASE_DIR, f)));
  if (absent.length > 0) {
    return `${absent.join(", ")} not in dist/release (npm test builds them with scripts/release.sh)`;
  }
  if (needs.qemu && !existsSync(QEMU)) {
    return `${QEMU} is missing (scripts/setup.sh installs qemu-user-static as root)`;
  }
  if (needs.qemu && !existsSync(join(ARM64_SYSROOT, "lib/ld-linux-aarch64.so.1"))) {
    return `${ARM64_SYSROOT} has no arm64 loader (scripts/setup.sh installs libc6-arm64-cross as root)`;
  }
  return undefined;
}

/**
 * Runs `suite` under `name` when what it needs is here; otherwise one visible skip with the
 * reason, which in CI (CI=true, where `npm test` built and installed everything) is a failure.
 */
export function describeRelease(name: string, needs: { qemu?: boolean }, suite: () => void): void {
  const missing = releaseMissing(needs);
  if (missing === undefined) {
    describe(name, suite);
  } else if (process.env.CI === "true") {
    test(`${name}: what it needs is present in CI`, () => {
      expect(missing).toBeUndefined();
    });
  } else {
    test.skip(`${name}: ${missing}`, () => {});
  }
}
