import { describe, expect, test } from "bun:test";
import type * as v from "valibot";
import { K8S_FIELDS_SOURCE, K8S_TYPES } from "../../src/manifest/k8s-fields.generated.ts";
import { PodSchema } from "../../src/manifest/schema.ts";
import { SUPPORT, supportOf } from "../../src/manifest/support.ts";
import { SUPPORT_KINDS } from "../../src/manifest/support-table.ts";

const KINDS = [
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "PersistentVolumeClaim",
];

/** The object type a field's generated type refers to (`[]Container` -> `Container`). */
const target = (t: string) => t.replace(/^(\[\]|\{\})+/, "");

describe("the support table", () => {
  test("names only real Kubernetes fields", () => {
    expect(K8S_FIELDS_SOURCE).toMatch(/^@kubernetes\/client-node \d+\.\d+\.\d+$/);
    for (const key of [...Object.keys(SUPPORT), ...Object.keys(SUPPORT_KINDS)]) {
      const [type = "", field = ""] = key.split(".");
      expect(`${key}: ${K8S_TYPES[type]?.fields[field] !== undefined}`).toBe(`${key}: true`);
    }
  });

  test("lists every field of every type reached through a supported field", () => {
    const missing: string[] = [];
    const seen = new Set<string>();
    // Every kind kplay plays, and everything reached through their supported fields.
    const queue = ["Pod", "ConfigMap", "Secret", ...KINDS];
    while (queue.length > 0) {
      const type = queue.shift() ?? "";
      if (seen.has(type)) continue;
      seen.add(type);
      for (const [field, fieldType] of Object.entries(K8S_TYPES[type]?.fields ?? {})) {
        const entry = supportOf(type, field);
        if (entry === undefined) missing.push(`${type}.${field}`);
        else if (entry.status === "supported" || entry.status === "partial") {
          if (K8S_TYPES[target(fieldType)] !== undefined) queue.push(target(fieldType));
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test("agrees with the typed model: what model.ts carries is supported, or marked why not", () => {
    const disagreements = new Set<string>();
    const visit = (schema: v.GenericSchema, type: string) => {
      const entries = (schema as unknown as { entries?: Record<string, v.GenericSchema> }).entries;
      if (entries === undefined) return;
      for (const [field, child] of Object.entries(entries)) {
        const entry = supportOf(type, field);
        const fieldType = K8S_TYPES[type]?.fields[field];
        if (entry === undefined || fieldType === undefined) {
          disagreements.add(`${type}.${field} is not in the table`);
          continue;
        }
        const allowed = entry.status === "supported" || entry.status === "partial";
        if (!allowed) disagreements.add(`${type}.${field}: ${entry.status}`);
        visit(unwrap(child), target(fieldType));
      }
    };
    visit(PodSchema, "Pod");
    // The brief's ignored and unsupported fields that model.ts also types.
    expect([...disagreements].sort()).toEqual([
      "Container.stdinOnce: ignored",
      "Container.terminationMessagePath: ignored",
      "Container.terminationMessagePolicy: ignored",
      "EmptyDirVolumeSource.sizeLimit: ignored",
      "Probe.terminationGracePeriodSeconds: ignored",
    ]);
  });

  test("volume sources other than the known ones are unsupported", () => {
    expect(supportOf("Volume", "nfs")?.status).toBe("unsupported");
    expect(supportOf("Volume", "csi")?.status).toBe("unsupported");
    expect(supportOf("Volume", "hostPath")?.status).toBe("supported");
  });
});

/** Steps through valibot wrappers (optional, array, record) to the object schema below. */
function unwrap(schema: v.GenericSchema): v.GenericSchema {
  const s = schema as unknown as {
    wrapped?: v.GenericSchema;
    item?: v.GenericSchema;
    value?: v.GenericSchema;
    type: string;
  };
  if (s.wrapped !== undefined) return unwrap(s.wrapped);
  if (s.type === "array" && s.item !== undefined) return unwrap(s.item);
  if (s.type === "record" && s.value !== undefined) return unwrap(s.value);
  return schema;
}
