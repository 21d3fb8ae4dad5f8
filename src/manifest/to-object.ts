import type { Found } from "./object.ts";
import type { KubeObject, ObjectSource } from "./objects.ts";

/** A checked non-Pod object with its identity: `(kind, namespace, name)`. */
export function toObject(
  found: Exclude<Found, { kind: "Pod" }>,
  defaultNamespace: string,
  source: ObjectSource,
): KubeObject {
  const meta = found.metadata as { name?: string; generateName?: string; namespace?: string };
  const ref = {
    kind: found.kind,
    namespace: meta.namespace ?? defaultNamespace,
    // A generateName object gets its name when it is played (graph/); until then its prefix.
    name: meta.name ?? meta.generateName ?? "",
  };
  switch (found.kind) {
    case "ConfigMap":
      return {
        kind: found.kind,
        ref,
        metadata: found.metadata,
        data: found.data,
        binaryData: found.binaryData,
        source,
      };
    case "Secret":
      return {
        kind: found.kind,
        ref,
        metadata: found.metadata,
        type: found.type,
        data: found.data,
        source,
      };
    case "PersistentVolumeClaim":
      return { kind: found.kind, ref, metadata: found.metadata, spec: found.spec, source };
    default:
      return {
        kind: found.kind,
        ref,
        metadata: found.metadata,
        spec: found.spec,
        source,
      } as KubeObject;
  }
}
