/**
 * The desired-state graph: every Kubernetes object of the input expanded into the Podman
 * resources it needs (pods with their containers, the Podman secrets of Secrets, the volumes
 * of claims), each with its owner. Pure: no I/O, no clock, no randomness; a generateName's
 * fresh name comes from `nonce`, a Secret's digest from `digestKey`, both given by the caller.
 */
import type { PodDocument } from "../manifest/model.ts";
import type {
  ConfigMapObject,
  KubeObject,
  SecretObject,
  ServiceObject,
  WorkloadObject,
} from "../manifest/objects.ts";
import { claimResources, secretResources } from "./data.ts";
import { podmanName, safeSuffix } from "./names.ts";
import { applyServices } from "./services.ts";
import type {
  DataIndex,
  DesiredObject,
  DesiredState,
  PodInstance,
  SecretResource,
} from "./types.ts";
import { expandWorkload } from "./workloads.ts";

export type * from "./types.ts";

/** What the graph needs from outside. */
export interface GraphOptions {
  /** The key of Secret digests (see data.ts). */
  readonly digestKey: Uint8Array;
  /** Makes the names of generateName objects: a fresh value per play. */
  readonly nonce: string;
}

/** Expands the input's pods and objects into the desired state, in input order. */
export function buildDesiredState(
  pods: readonly PodDocument[],
  objects: readonly KubeObject[],
  options: GraphOptions,
): DesiredState {
  const desired: { at: number; object: DesiredObject }[] = [];
  for (const doc of pods) {
    const ref = { kind: "Pod", namespace: doc.namespace, name: doc.pod.metadata.name };
    const instance = {
      doc: { ...doc, name: podmanName(doc.namespace, ref.name) },
      owner: ref,
      slot: 0,
    };
    desired.push({
      at: doc.position ?? 0,
      object: { ref, source: doc, rollout: { kind: "pod" }, pods: [instance] },
    });
  }
  objects.forEach((o, i) => {
    if (!isWorkload(o)) return;
    const name =
      o.metadata.name ??
      `${o.metadata.generateName ?? ""}${safeSuffix(5, options.nonce, o.ref.namespace, o.kind, o.metadata.generateName ?? "", i)}`;
    const expanded = expandWorkload(o, name);
    const generated = o.metadata.name === undefined ? o.metadata.generateName : undefined;
    desired.push({
      at: o.source.position ?? 0,
      object: generated === undefined ? expanded : withGenerateName(expanded, generated),
    });
  });
  // Input order: file, then document, then List item.
  const sorted = desired.sort((a, b) => a.at - b.at).map((d) => d.object);
  const services = objects.filter((o): o is ServiceObject => o.kind === "Service");
  const networked = applyServices(sorted, services);
  const ordered = networked.objects;
  const secrets = objects.filter((o): o is SecretObject => o.kind === "Secret");
  const claims = objects.filter((o) => o.kind === "PersistentVolumeClaim");
  const allPods = ordered.flatMap((o) => o.pods);
  const podmanSecrets = secretResources(secrets, options.digestKey);
  return {
    objects: ordered,
    // An empty value becomes no Podman secret (see SecretResource.empty).
    secrets: podmanSecrets.filter((s) => !s.empty),
    claims: claimResources([...claims, ...ordered.flatMap((o) => o.claims ?? [])], allPods),
    networks: networked.networks,
    services: networked.services,
    data: dataIndex(objects, podmanSecrets),
  };
}

function isWorkload(o: KubeObject): o is WorkloadObject {
  return (
    o.kind !== "ConfigMap" &&
    o.kind !== "Secret" &&
    o.kind !== "PersistentVolumeClaim" &&
    o.kind !== "Service"
  );
}

/** `namespace/name`, the key of the data index. */
export function dataKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function dataIndex(
  objects: readonly KubeObject[],
  podmanSecrets: readonly SecretResource[],
): DataIndex {
  const configMaps = new Map<string, ConfigMapObject>();
  for (const o of objects)
    if (o.kind === "ConfigMap") configMaps.set(dataKey(o.ref.namespace, o.ref.name), o);
  const secrets = new Map<
    string,
    { keys: Map<string, { name: string; digest: string; empty?: true }> }
  >();
  for (const s of podmanSecrets) {
    const id = dataKey(s.secret.namespace, s.secret.name);
    const entry = secrets.get(id) ?? { keys: new Map() };
    entry.keys.set(s.key, {
      name: s.name,
      digest: s.digest,
      ...(s.empty ? { empty: s.empty } : {}),
    });
    secrets.set(id, entry);
  }
  return { configMaps, secrets };
}

/** Marks every pod of an object named from `generateName`, now and later (a Job's retries). */
function withGenerateName(o: DesiredObject, generateName: string): DesiredObject {
  const mark = (p: PodInstance): PodInstance => ({ ...p, generateName });
  const template = o.template;
  return {
    ...o,
    pods: o.pods.map(mark),
    ...(template
      ? { template: (slot: number, attempt: number) => mark(template(slot, attempt)) }
      : {}),
  };
}
