/** A reader that stops early (`kplay plan … | head`) gets no stack trace, on any runtime. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kplayCommand } from "../support/podman.ts";

const dir = mkdtempSync(join(tmpdir(), "kplay-pipe-"));
const file = join(dir, "many.yaml");
// Enough pods that the plan is far bigger than a pipe buffer (64 KiB).
writeFileSync(
  file,
  Array.from(
    { length: 150 },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers: [{name: c, image: "localhost/busybox:test"}]\n`,
  ).join("---\n"),
);

describe.each([["bin"], ["deno"], ["node"]] as const)("closed pipe under %s", (runtime) => {
  test("exits 0 quietly", () => {
    const quoted = [...kplayCommand(runtime), "plan", file].map((a) => `'${a}'`).join(" ");
    // `exit ${PIPESTATUS[0]}` reports kplay's own exit code, not head's.
    const r = Bun.spawnSync(["bash", "-c", `${quoted} | head -c 5; exit \${PIPESTATUS[0]}`]);
    expect(r.stdout.toString()).toBe('{\n  "');
    expect(r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });
});
