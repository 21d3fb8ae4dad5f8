/**
 * Carries a plan out: every image first (nothing is created unless all are there), then the
 * Podman secrets of Secrets and the volumes of claims, then each object's rollout, several at
 * once. Each object is its own transaction (its pods roll back on failure); a secret or claim
 * this play created that no object which succeeded uses is removed again.
 */

import { LABEL_MANAGED, LABEL_NAMESPACE, LABEL_OWNER } from "../plan/labels.ts";
import type { ObjectPlan, Plan } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { listPods, type PodListEntry } from "../podman/objects.ts";
import { ensureProxyImage } from "../proxy/image.ts";
import { mapSettled } from "./concurrency.ts";
import { PlayAborted } from "./errors.ts";
import { checkHostPorts, type ExecuteOptions, runStep } from "./execute.ts";
import { Journal } from "./journal.ts";
import { ensureNetwork } from "./networks.ts";
import { type ObjectResult, rollOut } from "./rollout.ts";
import { ensureSecret, type SecretAction, type SecretValues } from "./secrets.ts";

/** What a play did, object by object. */
export interface PlayReport {
  readonly objects: readonly ObjectResult[];
  /** The objects that failed, with why (PodPlayFailed and the like). */
  readonly failures: readonly { readonly object: string; readonly error: unknown }[];
  readonly secrets: readonly { readonly name: string; readonly action: SecretAction }[];
  readonly claims: readonly { readonly name: string; readonly action: "created" | "exists" }[];
  readonly networks: readonly { readonly name: string; readonly action: "created" | "exists" }[];
  /** What was removed again because nothing that succeeded used it. */
  readonly rolledBack: readonly string[];
}

/** How many objects (and pods of one object) are played at once. */
export interface PlayConcurrency {
  readonly objects: number;
  readonly pods: number;
}

/** Plays a plan; throws only when nothing could be played (an image, a secret, a claim). */
export async function executePlan(
  client: PodmanClient,
  plan: Plan,
  values: SecretValues,
  options: ExecuteOptions,
  concurrency: PlayConcurrency,
): Promise<PlayReport> {
  // Images: all present before anything is created, each inspected once.
  const images = await mapSettled(plan.images, concurrency.pods, async (step) => {
    const withCredentials = { ...options, secretValues: values };
    await runStep(
      client,
      step,
      new Journal(),
      { id: "", containers: [], warnings: [] },
      withCredentials,
    );
  });
  for (const r of images) if (r.status === "rejected") throw new PlayAborted(r.reason, [], []);
  // A Service port rootless Podman cannot publish fails the play before its network exists.
  const servicePorts = plan.objects.flatMap((o) =>
    o.pods.flatMap((p) =>
      p.steps.flatMap((s) =>
        s.action === "check-host-ports" ? s.ports.filter((x) => x.service !== undefined) : [],
      ),
    ),
  );
  try {
    checkHostPorts(servicePorts, options.unprivilegedPortStart);
  } catch (e) {
    throw new PlayAborted(e, [], []);
  }
  if (plan.proxyImage) {
    try {
      await ensureProxyImage(client, plan.proxyImage.image, options.signal);
    } catch (e) {
      throw new PlayAborted(e, [], []);
    }
  }

  const shared = new Journal();
  const secrets: { name: string; action: SecretAction }[] = [];
  const claims: { name: string; action: "created" | "exists" }[] = [];
  const networks: { name: string; action: "created" | "exists" }[] = [];
  try {
    for (const step of plan.networks ?? [])
      networks.push({ name: step.name, action: await ensureNetwork(client, step, shared) });
    for (const step of plan.secrets) {
      secrets.push({
        name: step.name,
        action: await ensureSecret(client, step, values, shared, options.replace ?? false),
      });
    }
    for (const step of plan.claims) {
      const before = shared.entries.length;
      await runStep(client, step, shared, { id: "", containers: [], warnings: [] }, options);
      claims.push({
        name: step.name,
        action: shared.entries.length > before ? "created" : "exists",
      });
    }
  } catch (cause) {
    const { removed, leftovers } = await shared.rollback(client, options.hostFs);
    throw new PlayAborted(cause, removed, leftovers);
  }

  // Every kplay pod, listed once: each object's rollout finds its own among them.
  const all = plan.objects.length > 0 ? await listPods(client, `${LABEL_MANAGED}=true`) : [];
  const results = await mapSettled(plan.objects, concurrency.objects, (o) =>
    rollOut(client, o, ownedBy(all, o), { ...options, concurrency: concurrency.pods }),
  );
  const objects: ObjectResult[] = [];
  const failures: { object: string; error: unknown }[] = [];
  results.forEach((r, i) => {
    const object = plan.objects[i]?.object ?? "";
    if (r.status === "fulfilled") objects.push(r.value);
    else failures.push({ object, error: r.reason });
  });
  // What this play made for objects that then failed goes again, unless an object that
  // succeeded uses it too (or a Secret's secret nobody uses: it stays, as kubectl leaves it).
  let rolledBack: string[] = [];
  if (failures.length > 0) {
    const ok = new Set(objects.map((o) => o.object));
    const used = new Set(plan.objects.filter((o) => ok.has(o.object)).flatMap(usedNames));
    const failed = new Set(plan.objects.filter((o) => !ok.has(o.object)).flatMap(usedNames));
    const undo = new Journal();
    for (const e of shared.entries)
      if (e.kind !== "host-path" && failed.has(e.name) && !used.has(e.name)) undo.record(e);
    rolledBack = (await undo.rollback(client, options.hostFs)).removed;
  }
  return { objects, failures, secrets, claims, networks, rolledBack };
}

/** The Podman secrets and volumes an object's pods use, by name. */
function usedNames(o: ObjectPlan): string[] {
  return o.pods.flatMap((p) =>
    p.steps.flatMap((s) => {
      // A pod of a namespace with Services is on its network.
      if (s.action === "create-pod")
        return Object.keys((s.request.body as { Networks?: object }).Networks ?? {});
      if (s.action !== "create-container") return [];
      const body = s.request.body as {
        secret_env?: Record<string, string>;
        secrets?: { Source: string }[];
        volumes?: { Name: string }[];
      };
      return [
        ...Object.values(body.secret_env ?? {}),
        ...(body.secrets ?? []).map((x) => x.Source),
        ...(body.volumes ?? []).map((x) => x.Name),
      ];
    }),
  );
}

/** The existing pods an object owns: the owner label and namespace are its own. */
export function ownedBy(all: readonly PodListEntry[], o: ObjectPlan): PodListEntry[] {
  const [kind = "", namespace = "", ...rest] = o.object.split("/");
  const owner = `${kind}/${rest.join("/")}`;
  return all.filter(
    (p) =>
      p.Labels?.[LABEL_OWNER] === owner && (p.Labels?.[LABEL_NAMESPACE] ?? "default") === namespace,
  );
}
