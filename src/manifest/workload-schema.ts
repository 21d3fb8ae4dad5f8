/**
 * The valibot schemas of the workload kinds' own fields (everything but the pod template's
 * spec, which is PodSpecSchema's): the shapes and enums kplay reads. As for Pods, every
 * other field was walked by fields.ts against the Kubernetes field tables.
 */
import * as v from "valibot";
import type { WorkloadKind } from "./kinds.ts";
import { PodSpecSchema, StringMapSchema, TemplateMetaSchema } from "./schema.ts";

const int = v.pipe(v.number(), v.integer());
const str = v.string();
const opt = v.exactOptional;
const intOrString = v.union([int, str]);

/** `selector` of the apps/v1 kinds, Jobs and label-selector fields. */
export const LabelSelectorSchema = v.object({
  matchLabels: opt(StringMapSchema),
  matchExpressions: opt(
    v.array(
      v.object({
        key: str,
        operator: v.picklist(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: opt(v.array(str)),
      }),
    ),
  ),
});

// A template without metadata has empty metadata, so every pod maker can read its labels.
const template = v.object({ metadata: v.optional(TemplateMetaSchema, {}), spec: PodSpecSchema });
const rollingUpdate = v.object({
  maxSurge: opt(intOrString),
  maxUnavailable: opt(intOrString),
  partition: opt(int),
});

const claimTemplate = v.object({
  metadata: v.object({
    name: str,
    labels: opt(StringMapSchema),
    annotations: opt(StringMapSchema),
  }),
  spec: v.object({
    accessModes: opt(v.array(str)),
    resources: opt(
      v.object({
        requests: opt(v.record(str, v.union([str, v.number()]))),
        limits: opt(v.record(str, v.union([str, v.number()]))),
      }),
    ),
    storageClassName: opt(str),
    volumeMode: opt(str),
  }),
});

const jobSpec = v.object({
  parallelism: opt(int),
  completions: opt(int),
  backoffLimit: opt(int),
  activeDeadlineSeconds: opt(int),
  ttlSecondsAfterFinished: opt(int),
  completionMode: opt(v.picklist(["NonIndexed", "Indexed"])),
  suspend: opt(v.boolean()),
  template,
});

const updateStrategy = v.object({
  type: opt(v.picklist(["RollingUpdate", "OnDelete"])),
  rollingUpdate: opt(rollingUpdate),
});

/** Each workload kind's `spec`. */
export const WORKLOAD_SPEC_SCHEMAS: { readonly [K in WorkloadKind]: v.GenericSchema } = {
  Deployment: v.object({
    replicas: opt(int),
    selector: LabelSelectorSchema,
    template,
    strategy: opt(
      v.object({
        type: opt(v.picklist(["Recreate", "RollingUpdate"])),
        rollingUpdate: opt(rollingUpdate),
      }),
    ),
    minReadySeconds: opt(int),
    progressDeadlineSeconds: opt(int),
    paused: opt(v.boolean()),
  }),
  ReplicaSet: v.object({
    replicas: opt(int),
    selector: LabelSelectorSchema,
    template,
    minReadySeconds: opt(int),
  }),
  // A ReplicationController's selector is a plain map (and may be left out).
  ReplicationController: v.object({
    replicas: opt(int),
    selector: opt(StringMapSchema),
    template,
    minReadySeconds: opt(int),
  }),
  StatefulSet: v.object({
    replicas: opt(int),
    selector: LabelSelectorSchema,
    serviceName: opt(str),
    template,
    volumeClaimTemplates: opt(v.array(claimTemplate)),
    podManagementPolicy: opt(v.picklist(["OrderedReady", "Parallel"])),
    updateStrategy: opt(updateStrategy),
    minReadySeconds: opt(int),
    ordinals: opt(v.object({ start: opt(int) })),
  }),
  DaemonSet: v.object({
    selector: LabelSelectorSchema,
    template,
    updateStrategy: opt(updateStrategy),
    minReadySeconds: opt(int),
  }),
  Job: jobSpec,
  CronJob: v.object({
    schedule: str,
    timeZone: opt(str),
    concurrencyPolicy: opt(v.picklist(["Allow", "Forbid", "Replace"])),
    startingDeadlineSeconds: opt(int),
    successfulJobsHistoryLimit: opt(int),
    failedJobsHistoryLimit: opt(int),
    suspend: opt(v.boolean()),
    jobTemplate: v.object({
      metadata: opt(v.object({ labels: opt(StringMapSchema) })),
      spec: jobSpec,
    }),
  }),
};
