/**
 * A namespace's network: created when a play first needs it (journaled, so a failed play
 * takes it away again), used when kplay made it before, refused when someone else did, and
 * removed by `down` once no pod uses it.
 */
import { LABEL_MANAGED } from "../plan/labels.ts";
import type { EnsureNetworkStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { networkLabels, removeSharedNetwork } from "../podman/objects.ts";
import { PlayError } from "./errors.ts";
import { recordCreate } from "./execute.ts";
import type { Journal } from "./journal.ts";

export async function ensureNetwork(
  client: PodmanClient,
  step: EnsureNetworkStep,
  journal: Journal,
): Promise<"created" | "exists"> {
  const check = async () => {
    const labels = await networkLabels(client, step.name);
    if (labels !== undefined && labels[LABEL_MANAGED] !== "true")
      throw new PlayError(
        `Network "${step.name}" exists and kplay did not create it: kplay puts namespace ${step.namespace}'s pods on a network of its own. Remove or rename that network, or play into another namespace (-n)`,
      );
    return labels !== undefined;
  };
  if (await check()) return "exists";
  try {
    await recordCreate(journal, { kind: "network", name: step.name }, () =>
      client.call(step.request),
    );
    return "created";
  } catch (e) {
    // Another kplay (or this one's other objects) made it meanwhile: use it.
    if (e instanceof PodmanApiError && (await check())) return "exists";
    throw e;
  }
}

/** Removes a network kplay created once no container uses it; true when it did. */
export async function removeKplayNetwork(client: PodmanClient, name: string): Promise<boolean> {
  const labels = await networkLabels(client, name);
  if (labels?.[LABEL_MANAGED] !== "true") return false;
  return (await removeSharedNetwork(client, name)) === "removed";
}
