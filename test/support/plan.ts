/** Planning in tests: the desired state of loaded manifests, with a fixed key and nonce. */
import { buildDesiredState } from "../../src/graph/index.ts";
import type { DesiredState } from "../../src/graph/types.ts";
import type { LoadResult } from "../../src/manifest/index.ts";
import { planState } from "../../src/plan/index.ts";
import type { Plan, PlanOptions } from "../../src/plan/types.ts";

/** A fixed digest key, so Secrets' digests in golden plans are the same on every machine. */
export const TEST_DIGEST_KEY = new Uint8Array(32).fill(7);

/** The desired state of what `loaded` holds (valid parts only). */
export function stateOf(loaded: Pick<LoadResult, "validPods" | "validObjects">): DesiredState {
  return buildDesiredState(loaded.validPods, loaded.validObjects, {
    digestKey: TEST_DIGEST_KEY,
    nonce: "test",
  });
}

/** The plan of what `loaded` holds. */
export function planOf(
  loaded: Pick<LoadResult, "validPods" | "validObjects">,
  options: PlanOptions = {},
): Plan {
  return planState(stateOf(loaded), options);
}
