/**
 * kplay's port proxy as shipped: the generated binaries are those of the C source in the
 * tree (scripts/build-proxy.sh writes both), each is a static ELF executable for its
 * architecture, and the image tar kplay imports holds exactly that one executable file.
 * What the proxy does is shown against real Podman in test/e2e/services-scenario.ts.
 */
import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tarOf } from "../../src/podman/tar.ts";
import { PROXY_BINARIES, PROXY_SOURCE_SHA256 } from "../../src/proxy/binary.generated.ts";
import { PROXY_IMAGE } from "../../src/proxy/image.ts";

const root = join(import.meta.dir, "../..");

test("the generated binaries are built from the C source in the tree", () => {
  const source = readFileSync(join(root, "src/proxy/kplay-proxy.c"));
  // On failure: run scripts/build-proxy.sh and commit src/proxy/binary.generated.ts.
  expect(createHash("sha256").update(source).digest("hex")).toBe(PROXY_SOURCE_SHA256);
  expect(PROXY_IMAGE).toBe(`localhost/kplay-proxy:${PROXY_SOURCE_SHA256.slice(0, 12)}`);
});

test("one static ELF executable per architecture Podman names", () => {
  const machines: Record<string, number> = { amd64: 62, arm64: 183 };
  expect(Object.keys(PROXY_BINARIES).sort()).toEqual(["amd64", "arm64"]);
  for (const [arch, b64] of Object.entries(PROXY_BINARIES)) {
    const elf = Buffer.from(b64, "base64");
    expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(elf[4]).toBe(2); // 64-bit
    expect(elf.readUInt16LE(16)).toBe(2); // ET_EXEC: static, no interpreter
    expect(elf.readUInt16LE(18)).toBe(machines[arch] ?? -1);
    // No program header asks for an interpreter (PT_INTERP = 3): nothing to load but itself.
    const phoff = Number(elf.readBigUInt64LE(32));
    const phentsize = elf.readUInt16LE(54);
    const phnum = elf.readUInt16LE(56);
    for (let i = 0; i < phnum; i++) expect(elf.readUInt32LE(phoff + i * phentsize)).not.toBe(3);
    expect(elf.length).toBeLessThan(64 * 1024);
  }
});

test("the image's tar holds the one executable, as tar reads it", async () => {
  const data = Buffer.from(PROXY_BINARIES.amd64 ?? "", "base64");
  const dir = mkdtempSync(join(tmpdir(), "kplay-proxy-tar-"));
  try {
    writeFileSync(
      join(dir, "image.tar"),
      tarOf([{ type: "file", path: "kplay-proxy", mode: 0o755, data }], 0),
    );
    const list = Bun.spawnSync(["tar", "-tvf", join(dir, "image.tar")]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout.toString()).toMatch(
      new RegExp(`^-rwxr-xr-x 0/0\\s+${data.length} .* kplay-proxy\\n$`),
    );
    const out = Bun.spawnSync(["tar", "-xOf", join(dir, "image.tar"), "kplay-proxy"]);
    expect(Buffer.compare(Buffer.from(out.stdout), data)).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
