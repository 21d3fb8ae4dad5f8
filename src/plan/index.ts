import type { PodDocument } from "../manifest/model.ts";
import { planContainer } from "./container.ts";
import { planImages } from "./images.ts";
import { hashJson, LABEL_GRACE, LABEL_POD_HASH } from "./labels.ts";
import { podCreateBody } from "./pod.ts";
import type { Plan, PlanOptions, PodPlan, Step } from "./types.ts";
import { planVolumes } from "./volumes.ts";

/**
 * Translates validated Pods into a plan of libpod requests. Pure: no I/O, no clock, no
 * randomness; every outside fact arrives in `options`.
 */
export function planPods(docs: readonly PodDocument[], options: PlanOptions = {}): Plan {
  return { kind: "kplay.plan", version: 1, pods: docs.map((d) => planPod(d, options)) };
}

/** Translates one Pod: images first, then host paths and volumes, the pod, its containers, start. */
export function planPod(doc: PodDocument, options: PlanOptions = {}): PodPlan {
  const { pod } = doc;
  const name = pod.metadata.name;
  const inits = pod.spec.initContainers ?? [];
  const volumes = planVolumes(name, pod.spec.volumes ?? [], doc.dir);
  const containers = [
    ...inits.map((c) => planContainer(pod, c, true, volumes.bindings)),
    ...pod.spec.containers.map((c) => planContainer(pod, c, false, volumes.bindings)),
  ];
  const podBody = podCreateBody(pod, options);
  // The pod hash covers what cannot change without recreating the pod: its own settings and
  // its volumes. Containers carry their own hashes and can be replaced one by one.
  const podHash = hashJson({ pod: podBody, volumes: volumes.steps });
  const grace = pod.spec.terminationGracePeriodSeconds;
  const labels = podBody.labels as Record<string, string>;
  labels[LABEL_POD_HASH] = podHash;
  if (grace !== undefined) labels[LABEL_GRACE] = String(grace);
  const steps: Step[] = [
    ...planImages([...inits, ...pod.spec.containers]),
    ...volumes.steps,
    { action: "create-pod", name, request: { method: "POST", path: "/pods/create", body: podBody } },
    ...containers.map(({ hash: _hash, ...step }) => step),
  ];
  if (options.start !== false) {
    steps.push({
      action: "start-pod",
      name,
      request: { method: "POST", path: `/pods/${encodeURIComponent(name)}/start` },
    });
  }
  return {
    name,
    source: { file: doc.file, document: doc.documentIndex },
    podHash,
    containerHashes: Object.fromEntries(containers.map((c) => [c.container, c.hash])),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    steps,
  };
}
