/**
 * Kubernetes' validation rules that span more than one value's type, as the API server's
 * ValidatePodCreate runs them: metadata (names, labels, annotations), volumes, containers,
 * security, name resolution and scheduling (one file each). Works on the plain value (typed
 * checks may have failed elsewhere), with paths relative to the object, and skips reported
 * paths. Ignored fields are validated too: ignored is not unchecked.
 */
import { checkName, checkUnique, fail, isSet } from "./check.ts";
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
import { parseQuantity } from "./quantity.ts";
import { checkContainers } from "./rules-containers.ts";
import { checkNameResolution } from "./rules-dns.ts";
import { checkScheduling } from "./rules-scheduling.ts";
import { checkPodSecurity } from "./rules-security.ts";

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
  for (const field of ["hostname", "subdomain"] as const) {
    if (spec[field] === "") continue;
    const kind = `${field} (a DNS-1123 label)`;
    checkName(ctx, ["spec", field], spec[field], kind, checkDns1123Label, reported);
  }
  checkPodSecurity(ctx, spec, reported);
  checkNameResolution(ctx, spec, reported);
  checkScheduling(ctx, spec, reported);
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
 * Checks volume names and sources as the API server does: a volume names at most one source
 * (none is an emptyDir: the API server defaults it), a hostPath has no `..` element, and a
 * claim is named. Returns the declared names for the mounts to refer to.
 */
function checkVolumes(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): Set<string> {
  const names = new Map<string, FieldPath>();
  list(spec.volumes).forEach((v, i) => {
    const volume = mapping(v);
    const name = volume?.name;
    const path = ["spec", "volumes", i, "name"];
    checkName(ctx, path, name, "volume name (a DNS-1123 label)", checkDns1123Label, reported);
    if (typeof name === "string")
      checkUnique(ctx, names, name, path, `volume name ${quote(name)}`, reported);
    if (!volume) return;
    const at = ["spec", "volumes", i];
    const sources = Object.keys(volume).filter((k) => VOLUME_SOURCES.has(k) && isSet(volume[k]));
    for (const extra of sources.slice(1)) {
      const detail = `may not specify more than 1 volume type (${sources[0]} is already given)`;
      fail(ctx, "volume-source", [...at, extra], detail, reported, { anchor: "key" });
    }
    checkVolumeSource(ctx, volume, at, reported);
  });
  return new Set(names.keys());
}

function checkVolumeSource(
  ctx: ObjectContext,
  volume: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  const hostPath = mapping(volume.hostPath)?.path;
  if (hostPath === "")
    fail(ctx, "missing-field", [...at, "hostPath", "path"], "must not be empty", reported);
  else if (typeof hostPath === "string" && hostPath.split("/").includes(".."))
    fail(
      ctx,
      "bad-path",
      [...at, "hostPath", "path"],
      `${quote(hostPath)} must not contain '..'`,
      reported,
      {
        hint: "Write the path without '..' steps: the API server refuses them in a hostPath",
      },
    );
  if (mapping(volume.persistentVolumeClaim)?.claimName === "")
    fail(
      ctx,
      "missing-field",
      [...at, "persistentVolumeClaim", "claimName"],
      "must not be empty",
      reported,
    );
  const sizeLimit = mapping(volume.emptyDir)?.sizeLimit;
  const size =
    typeof sizeLimit === "string" || typeof sizeLimit === "number"
      ? parseQuantity(sizeLimit)
      : undefined;
  if (size?.ok && size.value.numerator < 0n)
    fail(
      ctx,
      "number-range",
      [...at, "emptyDir", "sizeLimit"],
      `${quote(String(sizeLimit))} must not be negative`,
      reported,
    );
}

const UTF8 = new TextEncoder();

function utf8Length(s: string): number {
  return UTF8.encode(s).length;
}
