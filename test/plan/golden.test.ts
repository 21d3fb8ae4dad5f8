/**
 * Golden plans: each fixtures/plan/NAME.yaml must plan to exactly fixtures/plan/NAME.plan.json.
 * Run with UPDATE_GOLDEN=1 to rewrite the expected files on purpose (then review the diff).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadManifests } from "../../src/manifest/index.ts";
import { planOf } from "../support/plan.ts";

const dir = join(import.meta.dir, "../../fixtures/plan");
const update = process.env.UPDATE_GOLDEN === "1";
const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
/** Fixed node facts, as the CLI would read them from Podman, so plans do not depend on the machine. */
const node = { name: "node-1", hostIP: "192.0.2.10", cpus: 4, memoryBytes: 8 * 1024 ** 3 };

describe("golden plans", () => {
  test("there are golden cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const file of cases) {
    test(file, () => {
      // A fixed folder makes relative hostPaths resolve the same on every machine.
      const source = {
        name: `fixtures/plan/${file}`,
        dir: "/manifests",
        bytes: readFileSync(join(dir, file)),
      };
      const loaded = loadManifests([source]);
      expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const actual = `${JSON.stringify(planOf(loaded, { node }), null, 2)}\n`;
      const expectedPath = join(dir, file.replace(/\.yaml$/, ".plan.json"));
      if (update) writeFileSync(expectedPath, actual);
      // A case without its golden file fails: run with UPDATE_GOLDEN=1 once, then review it.
      expect(existsSync(expectedPath)).toBe(true);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
