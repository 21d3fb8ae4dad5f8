/**
 * The Podman secrets of the input's Secrets: created when absent, left alone when their
 * digest label matches, replaced (Podman 4.3 has no update) when it does not. The value goes
 * from the Secret kplay was given straight into the request body; it is never logged, traced
 * or put anywhere else (the transport's trace prints no bodies of this endpoint).
 */
import type { SecretObject } from "../manifest/objects.ts";
import { LABEL_DIGEST, LABEL_MANAGED } from "../plan/labels.ts";
import type { EnsureSecretStep } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { TransportError } from "../transport/types.ts";
import { PlayError } from "./errors.ts";
import type { Journal } from "./journal.ts";

/** What ensuring one secret did. */
export type SecretAction = "created" | "unchanged" | "updated";

/** Secret values by `namespace/name` and key, for the executor only. */
export type SecretValues = ReadonlyMap<string, Readonly<Record<string, Uint8Array>>>;

/** The values of the input's Secrets, keyed as the plan's steps name them. */
export function secretValues(secrets: readonly SecretObject[]): SecretValues {
  return new Map(secrets.map((s) => [`${s.ref.namespace}/${s.ref.name}`, s.data]));
}

interface SecretInspect {
  readonly ID: string;
  readonly Spec?: { readonly Labels?: Readonly<Record<string, string>> | null };
}

/**
 * Makes one Podman secret hold its key's value. A secret of that name that kplay did not
 * create is refused unless `replace`.
 */
export async function ensureSecret(
  client: PodmanClient,
  step: EnsureSecretStep,
  values: SecretValues,
  journal: Journal,
  replace: boolean,
): Promise<SecretAction> {
  const value = values.get(step.secret)?.[step.key];
  if (value === undefined) throw new PlayError(`Secret ${step.secret} has no key "${step.key}"`);
  const existing = await inspectSecret(client, step.name);
  if (existing) {
    const labels = existing.Spec?.Labels ?? {};
    if (labels[LABEL_MANAGED] !== "true" && !replace) {
      throw new PlayError(
        `Podman secret "${step.name}" exists and was not created by kplay; use --replace to replace it with key "${step.key}" of Secret ${step.secret}`,
      );
    }
    if (labels[LABEL_DIGEST] === step.digest) return "unchanged";
    await client.call({ method: "DELETE", path: `/secrets/${encodeURIComponent(step.name)}` });
  }
  try {
    await client.call({ ...step.request, body: value, contentType: "application/octet-stream" });
    journal.record({ kind: "secret", name: step.name });
  } catch (e) {
    if (e instanceof TransportError)
      journal.record({ kind: "secret", name: step.name, uncertain: true });
    throw e;
  }
  return existing ? "updated" : "created";
}

async function inspectSecret(
  client: PodmanClient,
  name: string,
): Promise<SecretInspect | undefined> {
  try {
    return await client.call<SecretInspect>({
      method: "GET",
      path: `/secrets/${encodeURIComponent(name)}/json`,
    });
  } catch (e) {
    if (e instanceof PodmanApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Removes a Podman secret; already gone counts as removed. */
export async function removeSecret(client: PodmanClient, name: string): Promise<void> {
  try {
    await client.call({ method: "DELETE", path: `/secrets/${encodeURIComponent(name)}` });
  } catch (e) {
    if (!(e instanceof PodmanApiError && e.status === 404)) throw e;
  }
}

/** Removes a Podman secret kplay created; returns whether there was one to remove. */
export async function removeKplaySecret(client: PodmanClient, name: string): Promise<boolean> {
  const existing = await inspectSecret(client, name);
  if (!existing) return false;
  if (existing.Spec?.Labels?.[LABEL_MANAGED] !== "true") {
    throw new PlayError(`Podman secret "${name}" was not created by kplay; kplay leaves it alone`);
  }
  await removeSecret(client, name);
  return true;
}
