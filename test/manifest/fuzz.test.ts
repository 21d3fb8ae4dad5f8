/**
 * Fuzzing loadManifests with the inputs of test/support/fuzz-inputs.ts: mutations of the
 * valid fixtures and the shared corpus from seeded PRNGs. Every input must come back without
 * throwing, in bounded time, with well-formed diagnostics. `FUZZ_SEED=n` replays a run;
 * `FUZZ_ITERATIONS=n` sizes it (inputs per source).
 */
import { expect, test } from "bun:test";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { loadManifests } from "../../src/manifest/index.ts";
import { DEFAULT_COUNT, DEFAULT_SEED, fuzzInputs } from "../support/fuzz-inputs.ts";

const SEED = DEFAULT_SEED;
/**
 * Per-input bound: a hang detector, not a benchmark. Typical inputs take a few ms and the
 * slowest (1 MiB deep nesting) ~250 ms alone, but CI shares 2 cores with Podman, so the
 * bound leaves room for that; an unbounded blow-up (backtracking, alias expansion) takes
 * far longer. The real timings are printed below and by the hostile-input test.
 */
const MAX_MS = 15_000;

test(`fuzz: mutated inputs from seed ${SEED}`, () => {
  const inputs = fuzzInputs({
    seed: SEED,
    count: DEFAULT_COUNT,
    edges: true,
  });
  let slowest = 0;
  const started = performance.now();
  for (const { name, applied, bytes } of inputs) {
    const text = Buffer.from(bytes).toString("latin1");
    const t0 = performance.now();
    try {
      const result = loadManifests([{ name: "fuzz.yaml", dir: "/", bytes }]);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > MAX_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
      renderDiagnostics(result.diagnostics, result.texts, { color: false });
      for (const d of result.diagnostics) {
        if (!isDiagnosticCode(d.code) || d.message === "")
          throw new Error(`bad diagnostic ${JSON.stringify(d)}`);
        if (d.span && (d.span.line < 1 || d.span.column < 1 || d.span.offset > text.length))
          throw new Error(`bad span ${JSON.stringify(d)}`);
      }
      if (result.diagnostics.some((d) => d.severity === "error") && result.pods.length > 0)
        throw new Error("pods despite errors");
    } catch (error) {
      const shown = text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} chars)` : text;
      throw new Error(
        `FUZZ_SEED=${SEED} ${name} [${applied.join(", ")}]: ${String(error)}\n--- input ---\n${shown}`,
      );
    }
  }
  const total = performance.now() - started;
  console.log(
    `fuzz: ${inputs.length} inputs in ${total.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms (seed ${SEED})`,
  );
  expect(slowest).toBeLessThan(MAX_MS);
}, 240_000);
