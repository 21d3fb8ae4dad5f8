import { planState } from "../../plan/index.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { localNodeFacts } from "../node-facts.ts";

export interface PlanFlags {
  readonly strict: boolean;
  readonly start: boolean;
  readonly infraImage?: string;
  /** Host address of NodePort and LoadBalancer Services. */
  readonly serviceAddress?: string;
  readonly recursive?: boolean;
  readonly namespace?: string;
}

/** `kplay plan FILE...`: the exact libpod requests `play` would send, as JSON, offline. */
export async function runPlan(
  io: CliIo,
  files: readonly string[],
  flags: PlanFlags,
): Promise<number> {
  const loaded = await loadForCommand(io, files, {
    strict: flags.strict,
    recursive: flags.recursive === true,
    digests: true,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
  if (!loaded.ok) return EXIT_USAGE;
  const plan = planState(loaded.state, {
    node: localNodeFacts(),
    start: flags.start,
    ...(flags.infraImage ? { infraImage: flags.infraImage } : {}),
    ...(flags.serviceAddress ? { serviceAddress: flags.serviceAddress } : {}),
  });
  io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
  return EXIT_OK;
}
