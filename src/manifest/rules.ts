/**
 * Kubernetes' validation rules that span more than one value's type: name syntaxes, uniqueness
 * of names, ports and mount paths, references from mounts to volumes, label syntax and sizes.
 * Works on the plain value (typed checks may have failed elsewhere) and skips reported paths.
 */
import { formatPath, list, mapping, type ObjectContext, quote, report } from "./context.ts";
import { K8S_TYPES } from "./k8s-fields.generated.ts";
import { MAX_ANNOTATIONS_BYTES } from "./limits.ts";
import type { FieldPath } from "./model.ts";
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
} from "./names.ts";
import { checkContainers } from "./rules-containers.ts";
import { isUnderReported } from "./validate.ts";

/** Checks a name with a syntax check; reports `bad-name` if it fails. */
export function checkName(
  ctx: ObjectContext,
  path: FieldPath,
  value: unknown,
  kind: string,
  check: (s: string) => string | undefined,
  reported: ReadonlySet<string>,
): void {
  if (typeof value !== "string" || isUnderReported(path, reported)) return;
  const problem = check(value);
  if (problem === undefined) return;
  report(
    ctx,
    "bad-name",
    "error",
    path,
    `${formatPath(path)}: ${quote(value)} is not a valid ${kind}: ${problem}`,
  );
}

/** Checks every rule of the Pod object that the field and model checks cannot. */
export function checkRules(
  ctx: ObjectContext,
  pod: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const metadata = mapping(pod.metadata);
  if (metadata !== undefined) checkMetadata(ctx, metadata, reported);
  const spec = mapping(pod.spec);
  if (spec === undefined) return;
  if (Array.isArray(spec.containers) && spec.containers.length === 0) {
    const message = "spec.containers must list at least one container";
    report(ctx, "missing-field", "error", ["spec", "containers"], message);
  }
  const volumes = checkVolumes(ctx, spec, reported);
  checkContainers(ctx, spec, volumes, reported);
  checkName(
    ctx,
    ["spec", "hostname"],
    spec.hostname,
    "hostname (a DNS-1123 label)",
    checkDns1123Label,
    reported,
  );
}

/**
 * The rules of any object's metadata: its name (`kind` says which name: "pod name"), its
 * namespace, and the syntax and size of its labels and annotations.
 */
export function checkMetadata(
  ctx: ObjectContext,
  metadata: Record<string, unknown>,
  reported: ReadonlySet<string>,
  kind = "pod",
  nameCheck: (s: string) => string | undefined = checkDns1123Subdomain,
): void {
  checkName(
    ctx,
    ["metadata", "name"],
    metadata.name,
    `${kind} name (a ${nameCheck === checkDns1123Subdomain ? "DNS-1123 subdomain" : "DNS-1123 label"})`,
    nameCheck,
    reported,
  );
  checkName(
    ctx,
    ["metadata", "namespace"],
    metadata.namespace,
    "namespace (a DNS-1123 label)",
    checkDns1123Label,
    reported,
  );
  for (const [key, value] of Object.entries(mapping(metadata.labels) ?? {})) {
    const path = ["metadata", "labels", key];
    const keyProblem = checkQualifiedName(key);
    if (keyProblem !== undefined)
      report(
        ctx,
        "bad-label",
        "error",
        path,
        `${formatPath(path)}: label key ${quote(key)} is not valid: ${keyProblem}`,
        undefined,
        "key",
      );
    const valueProblem = typeof value === "string" ? checkLabelValue(value) : undefined;
    if (valueProblem !== undefined)
      report(
        ctx,
        "bad-label",
        "error",
        path,
        `${formatPath(path)}: label value ${quote(String(value))} is not valid: ${valueProblem}`,
      );
  }
  const annotations = mapping(metadata.annotations);
  if (annotations === undefined) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const problem = checkQualifiedName(key);
    const path = ["metadata", "annotations", key];
    if (problem !== undefined)
      report(
        ctx,
        "bad-label",
        "error",
        path,
        `${formatPath(path)}: annotation key ${quote(key)} is not valid: ${problem}`,
        undefined,
        "key",
      );
    size += utf8Length(key) + (typeof value === "string" ? utf8Length(value) : 0);
  }
  if (size > MAX_ANNOTATIONS_BYTES) {
    const message = `metadata.annotations: total size ${size} bytes is over the limit of ${MAX_ANNOTATIONS_BYTES}`;
    report(
      ctx,
      "annotations-too-large",
      "error",
      ["metadata", "annotations"],
      message,
      undefined,
      "key",
    );
  }
}

/** Every field of a Kubernetes Volume but its name is a volume source. */
const VOLUME_SOURCES: ReadonlySet<string> = new Set(
  Object.keys(K8S_TYPES.Volume?.fields ?? {}).filter((f) => f !== "name"),
);

/**
 * Checks volume names and that each volume has exactly one source, as the API server does;
 * claim names must be names a PersistentVolumeClaim can have. Returns the declared names for
 * the mounts to refer to.
 */
function checkVolumes(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): Set<string> {
  const names = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    const volume = mapping(v);
    const name = volume?.name;
    const path = ["spec", "volumes", i, "name"];
    checkName(ctx, path, name, "volume name (a DNS-1123 label)", checkDns1123Label, reported);
    if (typeof name === "string") {
      if (names.has(name))
        report(
          ctx,
          "duplicate-name",
          "error",
          path,
          `${formatPath(path)}: volume name ${quote(name)} is used twice`,
        );
      names.add(name);
    }
    if (!volume) return;
    const sources = Object.keys(volume).filter((k) => VOLUME_SOURCES.has(k));
    const at = ["spec", "volumes", i];
    if (sources.length === 0 && !isUnderReported(at, reported)) {
      const message = `${formatPath(at)}: must specify a volume type`;
      report(ctx, "volume-source", "error", at, message, VOLUME_SOURCE_HINT, "key");
    }
    for (const extra of sources.slice(1)) {
      const path = [...at, extra];
      const message = `${formatPath(path)}: may not specify more than 1 volume type (${sources[0]} is already given)`;
      report(ctx, "volume-source", "error", path, message, undefined, "key");
    }
    checkName(
      ctx,
      [...at, "persistentVolumeClaim", "claimName"],
      mapping(volume.persistentVolumeClaim)?.claimName,
      "claim name (a DNS-1123 subdomain, as every PersistentVolumeClaim is named)",
      checkDns1123Subdomain,
      reported,
    );
  });
  return names;
}

const VOLUME_SOURCE_HINT =
  "add one source, e.g. `emptyDir: {}` for scratch space shared by the pod's containers";

const UTF8 = new TextEncoder();

function utf8Length(s: string): number {
  return UTF8.encode(s).length;
}
