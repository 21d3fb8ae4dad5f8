/**
 * What scripts/build.sh embeds in dist/kplay and dist/kplay.mjs (`kplay version`), found the
 * way the build finds it: the same lib.sh functions, so the tests restate no rule of theirs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./env.ts";

/** package.json's version. */
export const VERSION: string = (
  JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }
).version;

function libSh(fn: string): string {
  const run = Bun.spawnSync(["bash", "-c", `. scripts/lib.sh && ${fn}`], {
    cwd: repoRoot,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (run.exitCode !== 0) throw new Error(`lib.sh ${fn} failed: ${run.stderr.toString()}`);
  return run.stdout.toString().trim();
}

/** The commit a build of this tree embeds (with -dirty when tracked files changed). */
export function buildCommit(): string {
  return libSh("kplay_build_commit");
}

/** The release target dist/kplay is built for (linux-x64 here). */
export function hostTarget(): string {
  return libSh("kplay_host_target");
}
