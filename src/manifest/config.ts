/**
 * The checks of the data kinds: ConfigMap, Secret and PersistentVolumeClaim. Keys follow the
 * API server's ConfigMap-key rule, base64 is decoded as Go decodes `[]byte` from JSON (padding
 * required, line breaks skipped), sizes are bounded as the API server bounds them, and each
 * Secret type has the keys it requires. No message ever quotes a Secret's value.
 */
import * as v from "valibot";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { formatPath, mapping, type ObjectContext, quote, report } from "./context.ts";
import { checkFields } from "./fields.ts";
import type { DataKind } from "./kinds.ts";
import { MAX_OBJECT_DATA_BYTES } from "./limits.ts";
import type { FieldPath } from "./model.ts";
import type { ClaimSpec, ObjectMeta } from "./objects.ts";
import { ownMap } from "./own.ts";
import { checkMetadata } from "./rules.ts";
import { ObjectMetaFields, StringMapSchema } from "./schema.ts";
import { validateShape } from "./validate.ts";
import { decodeBase64 } from "./yaml/go-strings.ts";

/** What a data object yields once checked. */
export type CheckedData =
  | {
      kind: "ConfigMap";
      metadata: ObjectMeta;
      data: Record<string, string>;
      binaryData: Record<string, Uint8Array>;
    }
  | { kind: "Secret"; metadata: ObjectMeta; type: string; data: Record<string, Uint8Array> }
  | { kind: "PersistentVolumeClaim"; metadata: ObjectMeta; spec: ClaimSpec };

const opt = v.exactOptional;
const str = v.string();
const quantityMap = v.record(str, v.union([str, v.number()]));

const SCHEMAS: { readonly [K in DataKind]: v.GenericSchema } = {
  ConfigMap: v.object({
    metadata: v.object(ObjectMetaFields),
    data: opt(StringMapSchema),
    binaryData: opt(StringMapSchema),
    immutable: opt(v.boolean()),
  }),
  Secret: v.object({
    metadata: v.object(ObjectMetaFields),
    type: opt(str),
    data: opt(StringMapSchema),
    stringData: opt(StringMapSchema),
    immutable: opt(v.boolean()),
  }),
  PersistentVolumeClaim: v.object({
    metadata: v.object(ObjectMetaFields),
    spec: v.object({
      accessModes: opt(
        v.array(v.picklist(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"])),
      ),
      resources: opt(v.object({ requests: opt(quantityMap), limits: opt(quantityMap) })),
      storageClassName: opt(str),
      volumeMode: opt(v.picklist(["Filesystem", "Block"])),
    }),
  }),
};

/** The keys each Secret type must have (at least one of, for basic-auth). */
const SECRET_TYPE_KEYS: Readonly<Record<string, { all?: string[]; anyOf?: string[] }>> = {
  "kubernetes.io/tls": { all: ["tls.crt", "tls.key"] },
  "kubernetes.io/basic-auth": { anyOf: ["username", "password"] },
  "kubernetes.io/ssh-auth": { all: ["ssh-privatekey"] },
  "kubernetes.io/dockerconfigjson": { all: [".dockerconfigjson"] },
  "kubernetes.io/dockercfg": { all: [".dockercfg"] },
};

/** Checks a ConfigMap, Secret or PersistentVolumeClaim; returns it when it has no error. */
export function checkData(
  ctx: ObjectContext,
  kind: DataKind,
  type: string,
  value: Record<string, unknown>,
): CheckedData | undefined {
  const before = ctx.diagnostics.length;
  const reported = new Set<string>();
  checkFields(ctx, value, reported, type);
  const typed = validateShape<Record<string, unknown> & { metadata: ObjectMeta }>(
    ctx,
    SCHEMAS[kind],
    value,
    reported,
  );
  const metadata = mapping(value.metadata);
  if (metadata)
    checkMetadata(
      ctx,
      metadata,
      reported,
      kind === "PersistentVolumeClaim" ? "claim" : kind.toLowerCase(),
    );
  if (!typed) return undefined;
  let out: CheckedData | undefined;
  if (kind === "ConfigMap") out = checkConfigMap(ctx, typed);
  else if (kind === "Secret") out = checkSecret(ctx, typed);
  else out = checkClaim(ctx, typed);
  return hasErrors(ctx.diagnostics.slice(before)) ? undefined : out;
}

function checkConfigMap(
  ctx: ObjectContext,
  typed: { metadata: ObjectMeta; data?: unknown; binaryData?: unknown },
): CheckedData {
  const data = ownMap<string>();
  const binaryData = ownMap<Uint8Array>();
  let size = 0;
  for (const [k, value] of Object.entries((typed.data ?? {}) as Record<string, string>)) {
    checkKey(ctx, ["data", k], k);
    data[k] = value;
    size += utf8Length(value);
  }
  for (const [k, value] of Object.entries((typed.binaryData ?? {}) as Record<string, string>)) {
    const path = ["binaryData", k];
    checkKey(ctx, path, k);
    if (Object.hasOwn(data, k))
      report(
        ctx,
        "duplicate-key",
        "error",
        path,
        `${formatPath(path)}: key ${quote(k)} is also in data`,
        undefined,
        "key",
      );
    const bytes = decodeBase64(value);
    if (bytes === undefined)
      report(
        ctx,
        "bad-base64",
        "error",
        path,
        `${formatPath(path)}: the value is not valid base64`,
      );
    else {
      binaryData[k] = bytes;
      size += bytes.length;
    }
  }
  checkSize(ctx, size, "ConfigMap");
  return { kind: "ConfigMap", metadata: typed.metadata, data, binaryData };
}

/** The largest value Podman's secret store accepts (bytes, exclusive of nothing). */
const PODMAN_SECRET_MAX = 511_999;

function checkSecret(
  ctx: ObjectContext,
  typed: { metadata: ObjectMeta; type?: unknown; data?: unknown; stringData?: unknown },
): CheckedData {
  const data = ownMap<Uint8Array>();
  // Keys given, decodable or not: a bad value is reported once, not also as a missing key.
  const given = new Set([
    ...Object.keys((typed.data ?? {}) as object),
    ...Object.keys((typed.stringData ?? {}) as object),
  ]);
  for (const [k, value] of Object.entries((typed.data ?? {}) as Record<string, string>)) {
    const path = ["data", k];
    checkKey(ctx, path, k);
    const bytes = decodeBase64(value);
    // Never quote the value: it is a secret even when it is badly encoded.
    if (bytes === undefined)
      report(
        ctx,
        "bad-base64",
        "error",
        path,
        `${formatPath(path)}: the value is not valid base64`,
        "Secret data values are base64; put plain text under stringData instead",
      );
    else data[k] = bytes;
  }
  // stringData is merged over data, as the API server does.
  for (const [k, value] of Object.entries((typed.stringData ?? {}) as Record<string, string>)) {
    checkKey(ctx, ["stringData", k], k);
    data[k] = new TextEncoder().encode(value);
  }
  // Podman's secret store holds at most 512000 bytes a value (an empty one needs no secret).
  for (const [k, bytes] of Object.entries(data)) {
    if (bytes.length <= PODMAN_SECRET_MAX) continue;
    const from = Object.hasOwn((typed.stringData ?? {}) as object, k) ? "stringData" : "data";
    report(
      ctx,
      "secret-too-large",
      "error",
      [from, k],
      `${formatPath([from, k])}: the value has ${bytes.length} bytes; Podman's secret store holds at most ${PODMAN_SECRET_MAX}`,
      "Put large files in a ConfigMap or a volume; a Secret this large is rare on a cluster too",
    );
  }
  const type = (typed.type as string | undefined) || "Opaque";
  const rule = Object.hasOwn(SECRET_TYPE_KEYS, type) ? SECRET_TYPE_KEYS[type] : undefined;
  const missing = (rule?.all ?? []).filter((k) => !given.has(k));
  if (missing.length > 0) {
    report(
      ctx,
      "bad-secret",
      "error",
      ["type"],
      `type ${quote(type)} needs the key${missing.length > 1 ? "s" : ""} ${missing.map(quote).join(" and ")} in data or stringData`,
    );
  }
  if (rule?.anyOf && !rule.anyOf.some((k) => (data[k]?.length ?? 0) > 0)) {
    report(
      ctx,
      "bad-secret",
      "error",
      ["type"],
      `type ${quote(type)} needs ${rule.anyOf.map(quote).join(" or ")} in data or stringData`,
    );
  }
  for (const key of [".dockerconfigjson", ".dockercfg"]) {
    const bytes = type.endsWith(key.slice(1)) ? data[key] : undefined;
    if (bytes === undefined) continue;
    try {
      JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      report(
        ctx,
        "bad-secret",
        "error",
        [Object.hasOwn((typed.stringData ?? {}) as object, key) ? "stringData" : "data", key],
        `${key} is not valid JSON`,
      );
    }
  }
  checkSize(
    ctx,
    Object.values(data).reduce((n, b) => n + b.length, 0),
    "Secret",
  );
  return { kind: "Secret", metadata: typed.metadata, type, data };
}

function checkClaim(
  ctx: ObjectContext,
  typed: { metadata: ObjectMeta; spec?: unknown },
): CheckedData {
  const spec = (typed.spec ?? {}) as ClaimSpec;
  if (!spec.accessModes?.length) {
    report(
      ctx,
      "missing-field",
      "error",
      ["spec", "accessModes"],
      "spec.accessModes: at least one access mode is required",
      "e.g. accessModes: [ReadWriteOnce]",
    );
  }
  if (spec.resources?.requests?.storage === undefined) {
    report(
      ctx,
      "missing-field",
      "error",
      ["spec", "resources", "requests"],
      "spec.resources.requests.storage is required",
      "e.g. resources: {requests: {storage: 1Gi}}",
    );
  }
  return { kind: "PersistentVolumeClaim", metadata: typed.metadata, spec };
}

/** The API server's ConfigMap/Secret key rule. */
function checkKey(ctx: ObjectContext, path: FieldPath, key: string): void {
  let problem: string | undefined;
  if (key.length === 0) problem = "it must not be empty";
  else if (key.length > 253) problem = `it is ${key.length} characters long (the limit is 253)`;
  else if (!/^[-._a-zA-Z0-9]+$/.test(key))
    problem = "it must consist of letters, digits, '-', '_' or '.'";
  else if (key === "." || key === "..") problem = "it must not be '.' or '..'";
  else if (key.startsWith("..")) problem = "it must not start with '..'";
  if (problem)
    report(
      ctx,
      "bad-name",
      "error",
      path,
      `${formatPath(path)}: key ${quote(key)} is not valid: ${problem}`,
      undefined,
      "key",
    );
}

function checkSize(ctx: ObjectContext, size: number, kind: string): void {
  if (size <= MAX_OBJECT_DATA_BYTES) return;
  report(
    ctx,
    "object-too-large",
    "error",
    [],
    `${kind} data is ${size} bytes; the limit is ${MAX_OBJECT_DATA_BYTES}`,
    undefined,
    "key",
  );
}

const UTF8 = new TextEncoder();
function utf8Length(s: string): number {
  return UTF8.encode(s).length;
}
