import { isLocalImage } from "../plan/images.ts";
import type { EnsureImageStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { PlayError } from "./errors.ts";
import type { SecretValues } from "./secrets.ts";

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
  secrets?: SecretValues,
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
    const auth = secrets ? registryAuth(step, secrets) : undefined;
    const pull = auth ? { ...step.pull, headers: { "X-Registry-Auth": auth } } : step.pull;
    const text = await client.callText(pull, signal ? { signal } : {});
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

interface DockerAuth {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
}

/**
 * libpod's X-Registry-Auth in its map form (server -> credentials), from the
 * `.dockerconfigjson` (or legacy `.dockercfg`) of the step's imagePullSecrets: Podman writes
 * them to a temporary auth file for this pull and picks the entry of the image's registry,
 * as the kubelet does with a pod's pull secrets. Base64url with padding (Go's URLEncoding).
 * Undefined when the Secrets hold no credentials.
 */
export function registryAuth(step: EnsureImageStep, secrets: SecretValues): string | undefined {
  const out: Record<string, DockerAuth> = Object.create(null);
  for (const id of step.pullSecrets ?? []) {
    const data = secrets.get(id);
    if (!data) continue;
    const entries = dockerAuths(data);
    for (const [server, entry] of Object.entries(entries)) {
      if (Object.hasOwn(out, server)) continue; // the first Secret naming a server wins
      let { username, password } = entry;
      if (username === undefined && typeof entry.auth === "string") {
        const plain = Buffer.from(entry.auth, "base64").toString("utf8");
        const colon = plain.indexOf(":");
        if (colon > 0) {
          username = plain.slice(0, colon);
          password = plain.slice(colon + 1);
        }
      }
      out[server] = {
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(entry.identitytoken ? { identitytoken: entry.identitytoken } : {}),
      };
    }
  }
  if (Object.keys(out).length === 0) return undefined;
  return Buffer.from(JSON.stringify(out))
    .toString("base64")
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

/** The server -> credentials map of a dockerconfigjson or dockercfg Secret's data. */
function dockerAuths(data: Readonly<Record<string, Uint8Array>>): Record<string, DockerAuth> {
  const parse = (bytes: Uint8Array | undefined): unknown => {
    if (!bytes) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return undefined; // validation refused bad JSON already
    }
  };
  const config = parse(data[".dockerconfigjson"]) as { auths?: unknown } | undefined;
  const map = config?.auths ?? parse(data[".dockercfg"]);
  if (!map || typeof map !== "object") return {};
  const out: Record<string, DockerAuth> = Object.create(null);
  for (const [server, entry] of Object.entries(map as Record<string, unknown>)) {
    if (entry && typeof entry === "object") out[server] = entry as DockerAuth;
  }
  return out;
}
