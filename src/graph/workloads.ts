/**
 * Workloads to pods, as their controllers make them on a cluster: a Deployment's replicas
 * `<name>-<template hash>-<suffix>`, a ReplicaSet's and a DaemonSet's `<name>-<suffix>`, a
 * StatefulSet's `<name>-<ordinal>` with its own hostname and claims, a Job's `<name>-<suffix>`
 * per completion and attempt. Each pod carries its template's labels plus the labels its
 * controller adds, and the same name on every play of the same manifest.
 */
import type { Pod, PodSpec } from "../manifest/model.ts";
import type {
  ClaimObject,
  CronJobSpec,
  DaemonSetSpec,
  DeploymentSpec,
  JobSpec,
  ObjectRef,
  PodTemplate,
  WorkloadObject,
} from "../manifest/objects.ts";
import { templateOf, templatePath } from "../manifest/workload.ts";
import { amount } from "../manifest/workload-rules.ts";
import { stableStringify } from "./hash.ts";
import { stableUid } from "./identity.ts";
import { podmanName, safeSuffix, templateHash } from "./names.ts";
import type { DesiredObject, PodInstance, Rollout } from "./types.ts";

/** The pods (or, for Jobs, the pod maker) of one workload. */
export function expandWorkload(w: WorkloadObject, name: string): DesiredObject {
  const template = templateOf(w);
  const hash = templateHash(stableStringify(template));
  const ref: ObjectRef = { ...w.ref, name };
  const make = (
    podName: string,
    slot: number,
    labels: Record<string, string>,
    spec = template.spec,
  ) =>
    instance(w, ref, podName, slot, hash, { ...(template.metadata.labels ?? {}), ...labels }, spec);
  switch (w.kind) {
    case "Deployment": {
      const spec = w.spec as DeploymentSpec;
      const replicas = spec.replicas ?? 1;
      const pods = range(replicas).map((slot) =>
        make(`${name}-${hash}-${safeSuffix(5, ref.namespace, name, hash, slot)}`, slot, {
          "pod-template-hash": hash,
        }),
      );
      return { ref, source: w.source, rollout: replicaRollout(spec, replicas, template), pods };
    }
    case "ReplicaSet":
    case "ReplicationController":
    case "DaemonSet": {
      const count = w.kind === "DaemonSet" ? 1 : ((w.spec as { replicas?: number }).replicas ?? 1);
      const pods = range(count).map((slot) =>
        make(`${name}-${safeSuffix(5, ref.namespace, name, hash, slot)}`, slot, {
          ...(w.kind === "DaemonSet"
            ? { "controller-revision-hash": hash, "pod-template-generation": "1" }
            : {}),
        }),
      );
      const strategy =
        w.kind === "DaemonSet" ? (w.spec as DaemonSetSpec).updateStrategy : undefined;
      const rollout: Rollout = {
        kind: "replicas",
        strategy: strategy?.type === "OnDelete" ? "OnDelete" : "RollingUpdate",
        // One at a time, as a DaemonSet's default and RC rolling-update did; no surge on one host.
        maxSurge: 0,
        maxUnavailable: 1,
        minReadySeconds: (w.spec as { minReadySeconds?: number }).minReadySeconds ?? 0,
        progressDeadlineSeconds: 600,
        paused: false,
      };
      return { ref, source: w.source, rollout, pods };
    }
    case "StatefulSet":
      return expandStatefulSet(w as WorkloadObject<"StatefulSet">, ref, hash, make);
    case "Job": {
      const spec = w.spec as JobSpec;
      return expandJob(ref, w.source, spec, (slot, attempt) =>
        jobPod(w, ref, hash, spec, slot, attempt),
      );
    }
    case "CronJob": {
      const spec = w.spec as CronJobSpec;
      return {
        ref,
        source: w.source,
        rollout: {
          kind: "cron",
          schedule: spec.schedule,
          ...(spec.timeZone !== undefined ? { timeZone: spec.timeZone } : {}),
          concurrencyPolicy: spec.concurrencyPolicy ?? "Allow",
          ...(spec.startingDeadlineSeconds !== undefined
            ? { startingDeadlineSeconds: spec.startingDeadlineSeconds }
            : {}),
          successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3,
          failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
          suspend: spec.suspend === true,
        },
        pods: [],
        // The CronJob controller's Job: the jobTemplate's metadata and spec, its own name.
        job: (jobName: string) =>
          expandWorkload(
            {
              kind: "Job",
              ref: { ...w.ref, kind: "Job", name: jobName },
              metadata: {
                ...(spec.jobTemplate.metadata ?? {}),
                name: jobName,
                namespace: w.ref.namespace,
              },
              spec: spec.jobTemplate.spec,
              source: w.source,
            } as WorkloadObject<"Job">,
            jobName,
          ),
      };
    }
  }
}

function expandStatefulSet(
  w: WorkloadObject<"StatefulSet">,
  ref: ObjectRef,
  hash: string,
  make: (
    podName: string,
    slot: number,
    labels: Record<string, string>,
    spec?: PodSpec,
  ) => PodInstance,
): DesiredObject {
  const spec = w.spec;
  const start = spec.ordinals?.start ?? 0;
  const claims = spec.volumeClaimTemplates ?? [];
  const pods = range(spec.replicas ?? 1).map((i) => {
    const ordinal = start + i;
    const podName = `${ref.name}-${ordinal}`;
    const template = templateOf(w);
    // Each pod mounts its own claims, named as Kubernetes names the PVCs; a template volume
    // of a claim template's name is replaced by it, as the StatefulSet controller does.
    const claimNames = new Set(claims.map((c) => c.metadata.name));
    const volumes = [
      ...(template.spec.volumes ?? []).filter((v) => !claimNames.has(v.name)),
      ...claims.map((c) => ({
        name: c.metadata.name,
        persistentVolumeClaim: { claimName: `${c.metadata.name}-${ref.name}-${ordinal}` },
      })),
    ];
    const podSpec: PodSpec = {
      ...template.spec,
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: template.spec.hostname ?? podName,
      ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
    };
    return make(
      podName,
      ordinal,
      {
        "controller-revision-hash": `${ref.name}-${hash}`,
        "statefulset.kubernetes.io/pod-name": podName,
        "apps.kubernetes.io/pod-index": String(ordinal),
      },
      podSpec,
    );
  });
  // The PVCs the controller makes: the template's metadata and spec, the selector's labels.
  const selected = spec.selector?.matchLabels ?? {};
  const claimObjects: ClaimObject[] = range(spec.replicas ?? 1).flatMap((i) =>
    claims.map((c) => {
      const name = `${c.metadata.name}-${ref.name}-${start + i}`;
      return {
        kind: "PersistentVolumeClaim" as const,
        ref: { kind: "PersistentVolumeClaim", namespace: ref.namespace, name },
        metadata: { ...c.metadata, name, labels: { ...(c.metadata.labels ?? {}), ...selected } },
        spec: c.spec ?? {},
        source: w.source,
      };
    }),
  );
  const ru = spec.updateStrategy?.rollingUpdate;
  const rollout: Rollout = {
    kind: "ordered",
    parallel: spec.podManagementPolicy === "Parallel",
    strategy: spec.updateStrategy?.type === "OnDelete" ? "OnDelete" : "RollingUpdate",
    partition: ru?.partition ?? 0,
    minReadySeconds: spec.minReadySeconds ?? 0,
  };
  return {
    ref,
    source: w.source,
    rollout,
    pods,
    ...(claimObjects.length > 0 ? { claims: claimObjects } : {}),
  };
}

function expandJob(
  ref: ObjectRef,
  source: WorkloadObject["source"],
  spec: JobSpec,
  template: (slot: number, attempt: number) => PodInstance,
): DesiredObject {
  const completions = spec.completions ?? 1;
  const parallelism = spec.parallelism ?? 1;
  const restartPolicy = spec.template.spec.restartPolicy === "OnFailure" ? "OnFailure" : "Never";
  const rollout: Rollout = {
    kind: "job",
    completions,
    parallelism,
    backoffLimit: spec.backoffLimit ?? 6,
    ...(spec.activeDeadlineSeconds !== undefined
      ? { activeDeadlineSeconds: spec.activeDeadlineSeconds }
      : {}),
    ...(spec.ttlSecondsAfterFinished !== undefined
      ? { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished }
      : {}),
    indexed: spec.completionMode === "Indexed",
    restartPolicy,
  };
  // A suspended Job makes no pods until it is resumed.
  const wave = spec.suspend ? 0 : Math.min(parallelism, completions);
  return { ref, source, rollout, pods: range(wave).map((i) => template(i, 0)), template };
}

/** One attempt at one completion of a Job, with the labels (and index env) Kubernetes adds. */
function jobPod(
  w: WorkloadObject,
  ref: ObjectRef,
  hash: string,
  spec: JobSpec,
  index: number,
  attempt: number,
): PodInstance {
  const indexed = spec.completionMode === "Indexed";
  const suffix = safeSuffix(5, ref.namespace, ref.name, hash, index, attempt);
  const podName = indexed ? `${ref.name}-${index}-${suffix}` : `${ref.name}-${suffix}`;
  const uid = stableUid("Job", ref.namespace, ref.name);
  const labels: Record<string, string> = {
    ...(spec.template.metadata.labels ?? {}),
    "batch.kubernetes.io/controller-uid": uid,
    "batch.kubernetes.io/job-name": ref.name,
    "controller-uid": uid,
    "job-name": ref.name,
    ...(indexed ? { "batch.kubernetes.io/job-completion-index": String(index) } : {}),
  };
  let podSpec = spec.template.spec;
  if (indexed) {
    // The kubelet gives an Indexed Job's containers their index.
    const add = (c: PodSpec["containers"][number]) => ({
      ...c,
      env: [{ name: "JOB_COMPLETION_INDEX", value: String(index) }, ...(c.env ?? [])],
    });
    podSpec = {
      ...podSpec,
      containers: podSpec.containers.map(add),
      ...(podSpec.initContainers ? { initContainers: podSpec.initContainers.map(add) } : {}),
    };
  }
  const pod = instance(w, ref, podName, index, hash, labels, podSpec, attempt);
  const onFailure = spec.template.spec.restartPolicy === "OnFailure";
  return onFailure ? { ...pod, restartTries: spec.backoffLimit ?? 6 } : pod;
}

function instance(
  w: WorkloadObject,
  owner: ObjectRef,
  podName: string,
  slot: number,
  hash: string,
  labels: Record<string, string>,
  spec: PodSpec,
  attempt?: number,
): PodInstance {
  const template: PodTemplate = templateOf(w);
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: podName,
      namespace: owner.namespace,
      labels,
      ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
    },
    spec,
  };
  const at = templatePath(w.kind);
  // Problems of a template's pod are told at the template, in the workload's document.
  const locate = (path: readonly (string | number)[]) => w.source.locate([...at, ...path]);
  return {
    doc: {
      pod,
      namespace: owner.namespace,
      name: podmanName(owner.namespace, podName),
      file: w.source.file,
      dir: w.source.dir,
      documentIndex: w.source.documentIndex,
      locate,
    },
    owner,
    slot,
    templateHash: hash,
    ...(attempt !== undefined ? { attempt } : {}),
  };
}

/** maxSurge and maxUnavailable as numbers of pods, rounded as Kubernetes rounds them. */
function replicaRollout(spec: DeploymentSpec, replicas: number, template: PodTemplate): Rollout {
  const type = spec.strategy?.type ?? "RollingUpdate";
  const ru = spec.strategy?.rollingUpdate;
  const resolve = (v: number | string | undefined, fallback: string, up: boolean) => {
    const value = v ?? fallback;
    const n = amount(value) ?? 0;
    if (typeof value === "number") return n;
    const exact = (n * replicas) / 100;
    return up ? Math.ceil(exact) : Math.floor(exact);
  };
  let maxSurge = resolve(ru?.maxSurge, "25%", true);
  let maxUnavailable = resolve(ru?.maxUnavailable, "25%", false);
  // Two pods cannot publish one host port: with hostPorts, replace instead of surging.
  if (usesHostPorts(template)) {
    maxSurge = 0;
    maxUnavailable = Math.max(maxUnavailable, 1);
  }
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return {
    kind: "replicas",
    strategy: type,
    maxSurge,
    maxUnavailable,
    minReadySeconds: spec.minReadySeconds ?? 0,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
    paused: spec.paused === true,
  };
}

function usesHostPorts(template: PodTemplate): boolean {
  const all = [...(template.spec.initContainers ?? []), ...template.spec.containers];
  return (
    all.some((c) => (c.ports ?? []).some((p) => (p.hostPort ?? 0) > 0)) ||
    template.spec.hostNetwork === true
  );
}

function range(n: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, i) => i);
}
