import { planPods } from "../../plan/index.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { localNodeFacts } from "../node-facts.ts";

export interface PlanFlags {
  readonly strict: boolean;
  readonly start: boolean;
  readonly infraImage?: string;
}

/** `kplay plan FILE...`: the exact libpod requests `play` would send, as JSON, offline. */
export function runPlan(io: CliIo, files: readonly string[], flags: PlanFlags): number {
  const loaded = loadForCommand(io, files, flags.strict);
  if (!loaded.ok) return EXIT_USAGE;
  const plan = planPods(loaded.pods, {
    node: localNodeFacts(),
    start: flags.start,
    ...(flags.infraImage ? { infraImage: flags.infraImage } : {}),
  });
  io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
  return EXIT_OK;
}
