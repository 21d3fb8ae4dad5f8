/** The ustar writer behind subPath folders, read back by GNU tar (which checks checksums). */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directoryTar } from "../../src/podman/tar.ts";

const LONG = `${"segment/".repeat(20)}end`; // 163 bytes: needs ustar's prefix field

test("directories with their modes, owner 0:0, and a path longer than 100 bytes", () => {
  const tar = directoryTar(
    [
      { path: "nested", mode: 0o755 },
      { path: "nested/dir", mode: 0o750 },
      { path: LONG, mode: 0o700 },
    ],
    1_700_000_000,
  );
  expect(tar.length % 512).toBe(0);
  const dir = mkdtempSync(join(tmpdir(), "kplay-tar-"));
  try {
    const extract = Bun.spawnSync(["tar", "-x", "--no-same-owner", "-C", dir], { stdin: tar });
    expect(extract.stderr.toString()).toBe("");
    expect(extract.exitCode).toBe(0);
    expect(statSync(join(dir, "nested")).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, "nested/dir")).mode & 0o777).toBe(0o750);
    expect(statSync(join(dir, LONG)).isDirectory()).toBe(true);
    expect(statSync(join(dir, "nested/dir")).mtimeMs).toBe(1_700_000_000_000);
    const list = Bun.spawnSync(["tar", "-tv", "--numeric-owner"], { stdin: tar });
    expect(list.stdout.toString()).toContain(" 0/0 ");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a path that cannot fit ustar's fields is refused, not truncated", () => {
  expect(() => directoryTar([{ path: "x".repeat(300), mode: 0o755 }], 0)).toThrow(
    "path too long for a tar header",
  );
});
