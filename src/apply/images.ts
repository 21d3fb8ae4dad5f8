import { isLocalImage } from "../plan/images.ts";
import type { EnsureImageStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PlayError } from "./errors.ts";

export type ImageEvent = { type: "pulling"; image: string } | { type: "pulled"; image: string };

/** Makes one image present as its step says, before anything of the pod is created. */
export async function ensureImage(
  client: PodmanClient,
  step: EnsureImageStep,
  onEvent: (e: ImageEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const who = `container${step.containers.length > 1 ? "s" : ""} ${step.containers.map((c) => `"${c}"`).join(", ")}`;
  if (step.exists) {
    if (await client.exists(step.exists.path)) return;
    if (!step.pull) {
      const why = isLocalImage(step.image)
        ? "images under localhost/ are never pulled"
        : "imagePullPolicy is Never";
      throw new PlayError(`Image "${step.image}" for ${who} is not present, and ${why}`);
    }
  }
  if (!step.pull) return;
  onEvent({ type: "pulling", image: step.image });
  // A pull can take minutes: the first Ctrl-C must end it (nothing is created yet).
  const text = await client.callText(step.pull, signal ? { signal } : {});
  // The pull answers 200 and reports failure inside its stream of JSON lines.
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let msg: { error?: string };
    try {
      msg = JSON.parse(line) as { error?: string };
    } catch {
      continue;
    }
    if (msg.error)
      throw new PlayError(`Cannot pull image "${step.image}" for ${who}: ${msg.error.trim()}`);
  }
  onEvent({ type: "pulled", image: step.image });
}
