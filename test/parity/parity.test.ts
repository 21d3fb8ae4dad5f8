/**
 * The differential suite: every manifest of fixtures/parity/ (written for it) and every Pod
 * of the shared corpus that Podman accepts is played with `podman kube play --start=false`
 * and with `kplay play --start=false` on the same isolated Podman; both results are
 * inspected, normalized and compared. Each intentional difference is one row of
 * differences.ts; anything else must be equal.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testSocketPath } from "../support/podman.ts";
import { fixtureCases, type ParityCase } from "./cases.ts";
import { corpusCases } from "./corpus.ts";
import { DIFFERENCES } from "./differences.ts";
import { KUBERNETES_FORM } from "./kubernetes-form.ts";
import { playWithKplay, playWithPodman } from "./play.ts";

const work = mkdtempSync(join(tmpdir(), "kplay-parity-"));
const fixtures = fixtureCases(work, testSocketPath());
const corpus = corpusCases(work);
const used = new Set<string>();
const skipped: string[] = [];
let compared = 0;
const started = Date.now();

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `parity: ${compared} cases compared, ${skipped.length} corpus files Podman refuses (kplay played each or refused it before creating anything), ${seconds} s`,
  );
});

const podNames = (c: ParityCase) =>
  c.pods.map((p) => String((p.metadata as { name?: unknown }).name));

async function compare(c: ParityCase, fromCorpus: boolean): Promise<void> {
  const names = podNames(c);
  const podman = await playWithPodman(c.file, names);
  const kplay = await playWithKplay(c.file, names);
  if (fromCorpus && !podman.ok) {
    // Nothing to compare with, but kplay must still play the file, or refuse it with a
    // diagnostic at a line (exit 2), or fail on this host's state (a hostPath that is not
    // there) before creating anything: never half-way.
    skipped.push(c.id);
    if (!kplay.ok) {
      expect(kplay.error).toMatch(
        /^\S+:\d+:\d+: error\[[a-z-]+\]: |\n {2}nothing had been created$/m,
      );
    }
    return;
  }
  compared += 1;
  if (podman.ok && kplay.ok) {
    for (const name of names) {
      const manifest = c.pods.find((p) => (p.metadata as { name?: unknown }).name === name) ?? {};
      const expected = structuredClone(podman.pods[name]);
      const actual = kplay.pods[name];
      if (!expected || !actual) throw new Error(`pod ${name} missing from a view`);
      for (const d of DIFFERENCES)
        if (d.apply?.({ manifest, podman: expected, kplay: actual })) used.add(d.id);
      expect(actual).toEqual(expected);
    }
    KUBERNETES_FORM[c.id]?.(kplay.pods);
    return;
  }
  const context = {
    pods: c.pods,
    ...(podman.ok ? {} : { podmanError: podman.error }),
    ...(kplay.ok ? { kplay: kplay.pods } : { kplayError: kplay.error }),
  };
  const row = DIFFERENCES.find((d) => d.explains?.(context));
  if (!row) {
    throw new Error(
      `Unexplained refusal\n  podman: ${podman.ok ? "played" : podman.error}\n  kplay: ${kplay.ok ? "played" : kplay.error}`,
    );
  }
  used.add(row.id);
  if (kplay.ok) KUBERNETES_FORM[c.id]?.(kplay.pods);
}

describe("kplay play and podman kube play agree, but for the intentional differences", () => {
  test("there are enough cases", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });
  for (const c of fixtures) test(c.id, () => compare(c, false));
  for (const c of corpus) test(c.id, () => compare(c, true));
  test("every intentional difference was needed by some case", () => {
    expect(DIFFERENCES.map((d) => d.id).filter((id) => !used.has(id))).toEqual([]);
  });
});
