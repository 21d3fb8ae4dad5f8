import { isLocalImage } from "../plan/images.ts";
import type { EnsureImageStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { PlayError } from "./errors.ts";

export type ImageEvent = { type: "pulling"; image: string } | { type: "pulled"; image: string };

/** What containers take from their image: its environment (`KEY=value`) and user. */
export interface ImageFacts {
  readonly env: readonly string[];
  readonly user: string;
}

interface ImageInspect {
  readonly Config?: { readonly Env?: readonly string[] | null; readonly User?: string } | null;
}

/**
 * Makes one image present as its step says, before anything of the pod is created, and
 * returns what its containers take from it. One inspect when the image is there; a pull and
 * an inspect when it must be pulled.
 */
export async function ensureImage(
  client: PodmanClient,
  step: EnsureImageStep,
  onEvent: (e: ImageEvent) => void,
  signal?: AbortSignal,
): Promise<ImageFacts> {
  const who = `container${step.containers.length > 1 ? "s" : ""} ${step.containers.join(", ")}`;
  if (step.policy !== "Always") {
    const found = await inspectImage(client, step);
    if (found) return found;
    if (!step.pull) {
      const why = isLocalImage(step.image)
        ? "images under localhost/ are never pulled"
        : "imagePullPolicy is Never";
      throw new PlayError(`Image "${step.image}" for ${who} is not present, and ${why}`);
    }
  }
  if (step.pull) {
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
  const pulled = await inspectImage(client, step);
  if (!pulled)
    throw new PlayError(`Image "${step.image}" for ${who} is not present after its pull`);
  return pulled;
}

function inspectImage(client: PodmanClient, step: EnsureImageStep) {
  return readImageFacts(client, step.image);
}

/** An image's facts, or undefined when Podman has no such image (404). */
export async function readImageFacts(
  client: PodmanClient,
  image: string,
): Promise<ImageFacts | undefined> {
  try {
    const inspected = await client.call<ImageInspect>({
      method: "GET",
      path: `/images/${encodeURIComponent(image)}/json`,
    });
    return { env: inspected?.Config?.Env ?? [], user: inspected?.Config?.User ?? "" };
  } catch (e) {
    if (e instanceof PodmanApiError && e.status === 404) return undefined;
    throw e;
  }
}

/**
 * The environment a container gets: its image's, then its own (`planned`, which wins), as
 * the kubelet merges them.
 */
export function withImageEnv(
  facts: ImageFacts | undefined,
  planned: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const entry of facts?.env ?? []) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  for (const [k, v] of Object.entries(planned ?? {})) env[k] = v;
  return env;
}
