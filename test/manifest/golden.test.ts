/**
 * Golden files: every fixtures/invalid/NAME.yaml renders exactly NAME.expected (no colour), and
 * every fixtures/valid/*.yaml loads with no error. `UPDATE_GOLDEN=1 bun test` rewrites them.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkSources } from "../../src/cli/load.ts";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";

const root = join(import.meta.dir, "..", "..");
const update = process.env.UPDATE_GOLDEN === "1";

/** Everything `kplay validate` checks, without its I/O. */
function load(folder: string, file: string) {
  const name = `fixtures/${folder}/${file}`;
  const source = {
    name,
    dir: join(root, "fixtures", folder),
    bytes: readFileSync(join(root, name)),
  };
  return checkSources([source], { strict: false }, new Uint8Array(32));
}

describe("fixtures/invalid", () => {
  for (const file of readdirSync(join(root, "fixtures/invalid"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    test(file, () => {
      const result = load("invalid", file);
      expect(result.diagnostics.length).toBeGreaterThan(0);
      for (const d of result.diagnostics) expect(isDiagnosticCode(d.code)).toBe(true);
      const rendered = `${renderDiagnostics(result.diagnostics, result.texts, { color: false })}\n`;
      const expectedPath = join(root, "fixtures/invalid", file.replace(/\.yaml$/, ".expected"));
      if (update) writeFileSync(expectedPath, rendered);
      expect(rendered).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});

describe("fixtures/valid", () => {
  for (const file of readdirSync(join(root, "fixtures/valid"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    test(file, () => {
      const result = load("valid", file);
      expect(result.diagnostics).toEqual([]);
      expect(result.state.objects.length).toBeGreaterThan(0);
    });
  }
});
