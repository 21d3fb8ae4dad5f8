/**
 * References between the objects of one input, resolved before anything is created: every
 * ConfigMap and Secret a pod reads (env, envFrom, volumes) must be in the input, in the pod's
 * namespace, with the keys it names, unless the reference is `optional`. (`podman kube play`
 * creates the pod anyway and fails later, podman#16919.) Duplicate objects are refused too:
 * one name per kind and namespace.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { formatPath, quote } from "./context.ts";
import type { Container, FieldPath, PodDocument, PodSpec } from "./model.ts";
import type { KubeObject, ObjectSource } from "./objects.ts";
import { templatePath } from "./workload.ts";

interface PodSpecAt {
  readonly spec: PodSpec;
  readonly namespace: string;
  readonly source: ObjectSource;
  /** Where the pod spec is inside its object (`spec` or `spec.template.spec`). */
  readonly at: FieldPath;
}

type Kind = "ConfigMap" | "Secret";

/** Every reference that does not resolve, and every duplicate object. */
export function checkReferences(
  pods: readonly PodDocument[],
  objects: readonly KubeObject[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keys = new Map<string, ReadonlySet<string>>();
  const namespaces = new Map<string, string[]>();
  const seen = new Map<string, ObjectSource>();
  const note = (kind: string, namespace: string, name: string, source: ObjectSource) => {
    const id = `${kind}/${namespace}/${name}`;
    const first = seen.get(id);
    if (first) {
      const where = first.locate(["metadata", "name"]);
      out.push(
        error(
          source,
          ["metadata", "name"],
          "duplicate-object",
          `metadata.name: ${kind} ${quote(name)} is defined twice in namespace ${quote(namespace)}${where ? ` (first at ${where.file}:${where.line}:${where.column})` : ""}`,
          "One name per kind and namespace, as in a cluster",
        ),
      );
    } else seen.set(id, source);
  };
  for (const p of pods) note("Pod", p.namespace, p.pod.metadata.name, p);
  for (const o of objects) {
    if (o.ref.name !== "" && o.metadata.name !== undefined)
      note(o.kind, o.ref.namespace, o.ref.name, o.source);
    if (o.kind === "ConfigMap" || o.kind === "Secret") {
      const names =
        o.kind === "ConfigMap"
          ? [...Object.keys(o.data), ...Object.keys(o.binaryData)]
          : Object.keys(o.data);
      keys.set(`${o.kind}/${o.ref.namespace}/${o.ref.name}`, new Set(names));
      const list = namespaces.get(`${o.kind}/${o.ref.name}`) ?? [];
      namespaces.set(`${o.kind}/${o.ref.name}`, [...list, o.ref.namespace]);
    }
  }
  const specs: PodSpecAt[] = [
    ...pods.map((p) => ({ spec: p.pod.spec, namespace: p.namespace, source: p, at: ["spec"] })),
    ...objects.flatMap((o) => {
      if (
        o.kind === "ConfigMap" ||
        o.kind === "Secret" ||
        o.kind === "PersistentVolumeClaim" ||
        o.kind === "Service"
      )
        return [];
      const at = [...templatePath(o.kind), "spec"];
      let spec: unknown = o;
      for (const step of at) spec = (spec as Record<string, unknown>)[step as string];
      return spec
        ? [{ spec: spec as PodSpec, namespace: o.ref.namespace, source: o.source, at }]
        : [];
    }),
  ];
  for (const s of specs) {
    const ref = (
      kind: Kind,
      name: string,
      key: string | undefined,
      optional: boolean | undefined,
      path: FieldPath,
      keyPath?: FieldPath,
    ) => {
      if (optional === true) return;
      const found = keys.get(`${kind}/${s.namespace}/${name}`);
      if (found === undefined) {
        const elsewhere = namespaces.get(`${kind}/${name}`);
        const message = elsewhere
          ? `${formatPath([...s.at, ...path])}: ${kind} ${quote(name)} is in namespace ${quote(elsewhere[0] ?? "")}, not in the pod's namespace ${quote(s.namespace)}`
          : `${formatPath([...s.at, ...path])}: ${kind} ${quote(name)} is not in the input`;
        const hint = elsewhere
          ? `A pod reads ${kind}s of its own namespace only`
          : `Give kplay the file that defines it too (or mark the reference optional: true)`;
        out.push(error(s.source, [...s.at, ...path], "missing-reference", message, hint));
      } else if (key !== undefined && !found.has(key)) {
        const at = keyPath ?? path;
        out.push(
          error(
            s.source,
            [...s.at, ...at],
            "missing-reference",
            `${formatPath([...s.at, ...at])}: ${kind} ${quote(name)} has no key ${quote(key)}`,
            found.size > 0
              ? `Its keys: ${[...found].sort().map(quote).join(", ")}`
              : `It has no keys`,
          ),
        );
      }
    };
    const containers: [string, Container[]][] = [
      ["initContainers", s.spec.initContainers ?? []],
      ["containers", s.spec.containers],
    ];
    for (const [list, items] of containers) {
      items.forEach((c, i) => {
        (c.env ?? []).forEach((e, j) => {
          const at: FieldPath = [list, i, "env", j, "valueFrom"];
          const cm = e.valueFrom?.configMapKeyRef;
          if (cm)
            ref(
              "ConfigMap",
              cm.name,
              cm.key,
              cm.optional,
              [...at, "configMapKeyRef", "name"],
              [...at, "configMapKeyRef", "key"],
            );
          const sk = e.valueFrom?.secretKeyRef;
          if (sk)
            ref(
              "Secret",
              sk.name,
              sk.key,
              sk.optional,
              [...at, "secretKeyRef", "name"],
              [...at, "secretKeyRef", "key"],
            );
        });
        (c.envFrom ?? []).forEach((e, j) => {
          const at: FieldPath = [list, i, "envFrom", j];
          if (e.configMapRef)
            ref("ConfigMap", e.configMapRef.name, undefined, e.configMapRef.optional, [
              ...at,
              "configMapRef",
              "name",
            ]);
          if (e.secretRef)
            ref("Secret", e.secretRef.name, undefined, e.secretRef.optional, [
              ...at,
              "secretRef",
              "name",
            ]);
        });
      });
    }
    (s.spec.volumes ?? []).forEach((v, i) => {
      const at: FieldPath = ["volumes", i];
      if (v.configMap) {
        ref("ConfigMap", v.configMap.name, undefined, v.configMap.optional, [
          ...at,
          "configMap",
          "name",
        ]);
        for (const [j, item] of (v.configMap.items ?? []).entries())
          ref(
            "ConfigMap",
            v.configMap?.name ?? "",
            item.key,
            v.configMap?.optional,
            [...at, "configMap", "name"],
            [...at, "configMap", "items", j, "key"],
          );
      }
      if (v.secret) {
        ref("Secret", v.secret.secretName, undefined, v.secret.optional, [
          ...at,
          "secret",
          "secretName",
        ]);
        for (const [j, item] of (v.secret.items ?? []).entries())
          ref(
            "Secret",
            v.secret?.secretName ?? "",
            item.key,
            v.secret?.optional,
            [...at, "secret", "secretName"],
            [...at, "secret", "items", j, "key"],
          );
      }
    });
  }
  // In source order, as every other check reports.
  return dedupe(out).sort((a, b) =>
    a.span?.file === b.span?.file ? (a.span?.offset ?? 0) - (b.span?.offset ?? 0) : 0,
  );
}

function error(
  source: ObjectSource,
  path: FieldPath,
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  const span = source.locate(path);
  return {
    code,
    severity: "error",
    message,
    path: formatPath(path),
    ...(span ? { span } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** A missing ConfigMap named by several items is told once per place. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.span?.file}:${d.span?.offset}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
