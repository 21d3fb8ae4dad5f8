/**
 * What `npm run release` (scripts/release.sh) leaves in dist/release: the five executables and
 * a SHA256SUMS that matches them; each embeds package.json's version and the commit; the
 * linux-x64 one is dist/kplay itself (what every e2e test runs); the macOS ones carry a code
 * signature that verifies and the Windows one is an x64 PE. Those three cannot run here.
 */
import { expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adhocSign, checkSignature } from "../../scripts/macho-sign.ts";
import { buildCommit, VERSION } from "../support/build-info.ts";
import { repoRoot } from "../support/env.ts";
import { runCommand } from "../support/process.ts";
import { describeRelease, RELEASE_DIR, RELEASE_FILES } from "./helpers.ts";

const release = (file: string) => join(RELEASE_DIR, file);
const targetOf = (file: string) => file.replace(/^kplay-/, "").replace(/\.exe$/, "");

describeRelease("dist/release", {}, () => {
  test("SHA256SUMS lists the five files, and each sum is that file's", () => {
    const lines = readFileSync(release("SHA256SUMS"), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => l.split("  ")[1])).toEqual([...RELEASE_FILES]);
    for (const line of lines) {
      const [sum = "", file = ""] = line.split("  ");
      expect(
        createHash("sha256")
          .update(readFileSync(release(file)))
          .digest("hex"),
      ).toBe(sum);
    }
    expect(readdirSync(RELEASE_DIR).sort()).toEqual([...RELEASE_FILES, "SHA256SUMS"].sort());
  });

  test("dist/kplay, which the e2e tests run, is the release's linux-x64 file byte for byte", () => {
    const same = readFileSync(join(repoRoot, "dist/kplay")).equals(
      readFileSync(release("kplay-linux-x64")),
    );
    // If not: dist/ was rebuilt after the release (npm test builds both, in that order).
    expect(same).toBe(true);
  });

  test("each file embeds package.json's version, the commit and its own target", () => {
    const commit = buildCommit();
    for (const file of RELEASE_FILES) {
      const bytes = readFileSync(release(file));
      expect([file, bytes.includes(`name:"kplay",version:"${VERSION}"`)]).toEqual([file, true]);
      const build = `KPLAY_COMMIT="${commit}",KPLAY_BUILD="${targetOf(file)}"`;
      expect([file, bytes.includes(build)]).toEqual([file, true]);
    }
  });

  test("linux-x64 says so: version --client -o json", async () => {
    const run = await runCommand([release("kplay-linux-x64"), "version", "--client", "-o", "json"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      kplay: VERSION,
      commit: buildCommit(),
      build: "linux-x64",
      runtime: "bun",
    });
  });

  test("both macOS files carry an ad-hoc signature whose every page hash matches", () => {
    for (const file of ["kplay-darwin-x64", "kplay-darwin-arm64"]) {
      const check = checkSignature(readFileSync(release(file)));
      expect({ file, ...check, codeLimit: check.codeLimit === check.dataoff }).toEqual({
        file,
        identifier: "a.out",
        flags: 0x20002, // adhoc | linker-signed, as bun signs darwin-arm64
        codeLimit: true, // covers everything before the signature
        dataoff: check.dataoff,
        pages: Math.ceil(check.dataoff / 4096),
        badPages: 0,
      });
    }
  });

  test("macho-sign.ts re-signs bun's own darwin-arm64 output to the very same bytes", async () => {
    // The oracle for the signer: bun's darwin-arm64 signature, which upstream checked with
    // Apple's codesign. The runtime for the target is cached by the release build.
    const work = mkdtempSync(join(tmpdir(), "kplay-macho-"));
    try {
      writeFileSync(join(work, "hello.ts"), 'console.log("hello");\n');
      const build = await runCommand(
        [
          join(repoRoot, "node_modules/.bin/bun"),
          "build",
          "--compile",
          "--target=bun-darwin-arm64",
          join(work, "hello.ts"),
          "--outfile",
          join(work, "hello"),
        ],
        { cwd: work },
      );
      expect(build.exitCode).toBe(0);
      const bytes = readFileSync(join(work, "hello"));
      expect(checkSignature(bytes).badPages).toBe(0);
      expect(adhocSign(bytes).equals(bytes)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("the Windows file is a PE32+ x64 executable with kplay's bundle in its .bun section", () => {
    const exe = readFileSync(release("kplay-windows-x64.exe"));
    const pe = exe.readUInt32LE(0x3c);
    expect(exe.toString("latin1", 0, 2)).toBe("MZ");
    expect(exe.toString("latin1", pe, pe + 4)).toBe("PE\0\0");
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
    expect(exe.readUInt16LE(pe + 24)).toBe(0x20b); // PE32+
    const sections = exe.readUInt16LE(pe + 6);
    const table = pe + 24 + exe.readUInt16LE(pe + 20);
    const names = Array.from({ length: sections }, (_, i) =>
      exe.toString("latin1", table + 40 * i, table + 40 * i + 8).replace(/\0+$/, ""),
    );
    expect(names).toContain(".bun");
  });
});

describeRelease("the bytecode build against the source", {}, () => {
  const bin = release("kplay-linux-x64");
  const invalid = readdirSync(join(repoRoot, "fixtures/invalid"))
    .filter((f) => f.endsWith(".yaml"))
    .sort();

  test("validate prints each fixtures/invalid file's golden diagnostics", async () => {
    const runs = await Promise.all(
      invalid.map((file) =>
        runCommand([bin, "validate", `fixtures/invalid/${file}`], { cwd: repoRoot }),
      ),
    );
    invalid.forEach((file, i) => {
      const expected = readFileSync(
        join(repoRoot, "fixtures/invalid", file.replace(/\.yaml$/, ".expected")),
        "utf8",
      );
      expect({ file, stderr: runs[i]?.stderr, stdout: runs[i]?.stdout }).toEqual({
        file,
        stderr: expected,
        stdout: "",
      });
    });
  });

  test("plan of every fixtures/plan file: the same bytes as `bun src/main.ts plan`", async () => {
    const files = readdirSync(join(repoRoot, "fixtures/plan"))
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => `fixtures/plan/${f}`);
    const source = [join(repoRoot, "node_modules/.bin/bun"), join(repoRoot, "src/main.ts")];
    const [built, unbuilt] = await Promise.all([
      runCommand([bin, "plan", ...files], { cwd: repoRoot }),
      runCommand([...source, "plan", ...files], { cwd: repoRoot }),
    ]);
    expect(built.exitCode).toBe(0);
    expect(built).toEqual(unbuilt);
  });
});
