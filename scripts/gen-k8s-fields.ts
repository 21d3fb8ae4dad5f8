/**
 * Writes src/manifest/k8s-fields.generated.ts: for every Kubernetes type reachable from Pod,
 * its field names (as the OpenAPI spec spells them), their types and which are required.
 *
 * Source: the models of @kubernetes/client-node, generated from the Kubernetes OpenAPI spec;
 * `attributeTypeMap` gives names, types and formats, the `.d.ts` gives required fields. kplay
 * uses only the generated file at run time.
 *
 *   bun scripts/gen-k8s-fields.ts            (with @kubernetes/client-node installed)
 *
 * or, without adding the package (83 MB) to the project:
 *
 *   npm install --no-save --prefix .tmp/k8s @kubernetes/client-node@2.0.1
 *   K8S_CLIENT_NODE=.tmp/k8s/node_modules/@kubernetes/client-node bun scripts/gen-k8s-fields.ts
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/**
 * client-node erases `resource.Quantity` to `string`, but Kubernetes decodes a quantity from a
 * JSON number too (`cpu: 1`). These are the Quantity fields reachable from Pod in the OpenAPI
 * spec; the script fails if one of them is not a string (or map of strings) in the models.
 */
const QUANTITY_FIELDS = [
  "ResourceRequirements.limits",
  "ResourceRequirements.requests",
  "VolumeResourceRequirements.limits",
  "VolumeResourceRequirements.requests",
  "EmptyDirVolumeSource.sizeLimit",
  "ResourceFieldSelector.divisor",
  "PodSpec.overhead",
  "PersistentVolumeSpec.capacity",
  "PersistentVolumeClaimStatus.capacity",
  "PersistentVolumeClaimStatus.allocatedResources",
  "ResourceQuotaSpec.hard",
  "ResourceQuotaStatus.hard",
  "ResourceQuotaStatus.used",
  "LimitRangeItem.default",
  "LimitRangeItem.defaultRequest",
  "LimitRangeItem.max",
  "LimitRangeItem.min",
  "LimitRangeItem.maxLimitRequestRatio",
];

const packageDir = process.env.K8S_CLIENT_NODE
  ? resolve(process.env.K8S_CLIENT_NODE)
  : dirname(dirname(fileURLToPath(import.meta.resolve("@kubernetes/client-node"))));
const packageJson = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
const modelsDir = join(packageDir, "dist", "gen", "models");

/**
 * Kubernetes' own name for a client-node model: `V1PodSpec` -> `PodSpec`. The few v2 models
 * (autoscaling/v2) keep their prefix, as their v1 namesakes differ.
 */
function kubernetesName(model: string): string {
  return model.replace(/^(Core)?V1(?=[A-Z])/, "");
}

/**
 * The kinds whose objects kplay validates, with the model of each apiVersion: the kinds it
 * plays and the cluster-only kinds it validates and then ignores.
 */
const ROOTS: readonly (readonly [apiVersion: string, kind: string, model: string])[] = [
  ["v1", "Pod", "V1Pod"],
  ["v1", "ConfigMap", "V1ConfigMap"],
  ["v1", "Secret", "V1Secret"],
  ["v1", "PersistentVolumeClaim", "V1PersistentVolumeClaim"],
  ["v1", "Service", "V1Service"],
  ["v1", "ReplicationController", "V1ReplicationController"],
  ["apps/v1", "Deployment", "V1Deployment"],
  ["apps/v1", "ReplicaSet", "V1ReplicaSet"],
  ["apps/v1", "StatefulSet", "V1StatefulSet"],
  ["apps/v1", "DaemonSet", "V1DaemonSet"],
  ["batch/v1", "Job", "V1Job"],
  ["batch/v1", "CronJob", "V1CronJob"],
  ["v1", "Namespace", "V1Namespace"],
  ["v1", "ServiceAccount", "V1ServiceAccount"],
  ["v1", "Endpoints", "V1Endpoints"],
  ["v1", "LimitRange", "V1LimitRange"],
  ["v1", "ResourceQuota", "V1ResourceQuota"],
  ["v1", "PersistentVolume", "V1PersistentVolume"],
  ["v1", "PodTemplate", "V1PodTemplate"],
  ["rbac.authorization.k8s.io/v1", "Role", "V1Role"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding", "V1RoleBinding"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole", "V1ClusterRole"],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "V1ClusterRoleBinding"],
  ["policy/v1", "PodDisruptionBudget", "V1PodDisruptionBudget"],
  ["autoscaling/v1", "HorizontalPodAutoscaler", "V1HorizontalPodAutoscaler"],
  ["autoscaling/v2", "HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"],
  ["networking.k8s.io/v1", "NetworkPolicy", "V1NetworkPolicy"],
  ["networking.k8s.io/v1", "Ingress", "V1Ingress"],
  ["networking.k8s.io/v1", "IngressClass", "V1IngressClass"],
  ["scheduling.k8s.io/v1", "PriorityClass", "V1PriorityClass"],
  ["storage.k8s.io/v1", "StorageClass", "V1StorageClass"],
  ["apiextensions.k8s.io/v1", "CustomResourceDefinition", "V1CustomResourceDefinition"],
  ["apiregistration.k8s.io/v1", "APIService", "V1APIService"],
];

const types = new Map<string, { fields: Record<string, string>; required: string[] }>();
const models = new Map<string, string>();

async function visit(model: string): Promise<void> {
  const name = kubernetesName(model);
  if (types.has(name)) {
    if (models.get(name) !== model)
      throw new Error(`Two models map to ${name}: ${model}, ${models.get(name)}`);
    return;
  }
  const module = (await import(join(modelsDir, `${model}.js`))) as Record<
    string,
    { attributeTypeMap: Attribute[] }
  >;
  const attributes = module[model]?.attributeTypeMap;
  if (attributes === undefined) throw new Error(`No attributeTypeMap in ${model}`);
  const entry = { fields: {} as Record<string, string>, required: requiredFields(model) };
  types.set(name, entry);
  models.set(name, model);
  for (const a of attributes) {
    const quantity = QUANTITY_FIELDS.includes(`${name}.${a.baseName}`);
    entry.fields[a.baseName] = await fieldType(a.type, a.format, quantity);
  }
}

async function fieldType(type: string, format: string, quantity: boolean): Promise<string> {
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) return `[]${await fieldType(array[1], format, quantity)}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) return `{}${await fieldType(map[1], format, quantity)}`;
  if (quantity && type !== "string") throw new Error(`Quantity field of type ${type}`);
  if (quantity) return "quantity";
  switch (type) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "number":
      // The width matters: the API server refuses a number its Go field cannot hold.
      return format === "int32" || format === "int64" ? format : "number";
    case "Date":
      return "time";
    case "IntOrString":
      return "int-or-string";
    case "any":
      return "any";
    default:
      await visit(type);
      return kubernetesName(type);
  }
}

/** Required fields are the ones the model's `.d.ts` declares without `?`. */
function requiredFields(model: string): string[] {
  const dts = readFileSync(join(modelsDir, `${model}.d.ts`), "utf8");
  return [...dts.matchAll(/^\s+'([A-Za-z0-9_$]+)'(\??):/gm)]
    .filter((m) => m[2] === "")
    .map((m) => m[1] ?? "");
}

for (const [, , model] of ROOTS) await visit(model);
for (const q of QUANTITY_FIELDS) {
  const [type, field] = q.split(".");
  if (types.get(type ?? "")?.fields[field ?? ""] === undefined)
    throw new Error(`Quantity field ${q} not found`);
}

const sorted = [...types.entries()].sort(([a], [b]) => a.localeCompare(b));
const body = sorted
  .map(([name, t]) => {
    const fields = Object.entries(t.fields)
      .map(([f, ty]) => `    ${JSON.stringify(f)}: ${JSON.stringify(ty)},`)
      .join("\n");
    return `  ${name}: {\n    fields: {\n${fields.replaceAll("\n    ", "\n      ").replace(/^ {4}/, "      ")}\n    },\n    required: ${JSON.stringify(t.required)},\n  },`;
  })
  .join("\n");
const out = `// GENERATED by scripts/gen-k8s-fields.ts from ${packageJson.name} ${packageJson.version}
// (models generated from the Kubernetes OpenAPI spec). Do not edit; run the script again.
//
// Field types: string, int32, int64, number, boolean, time, any, quantity (string or number),
// int-or-string, a type name, "[]T" (list of T) and "{}T" (map of string to T).

/** Where the field names below come from. */
export const K8S_FIELDS_SOURCE = ${JSON.stringify(`${packageJson.name} ${packageJson.version}`)};

/** Every Kubernetes type reachable from the kinds below: its fields and their types, and required fields. */
export const K8S_TYPES: Readonly<
  Record<string, { readonly fields: Readonly<Record<string, string>>; readonly required: readonly string[] }>
> = {
${body}
};

/** The type of each kind kplay validates, keyed \`apiVersion kind\`. */
export const K8S_ROOTS: Readonly<Record<string, string>> = {
${ROOTS.map(([v, k, m]) => `  ${JSON.stringify(`${v} ${k}`)}: ${JSON.stringify(kubernetesName(m))},`).join("\n")}
};
`;
const target = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "src",
  "manifest",
  "k8s-fields.generated.ts",
);
writeFileSync(target, out);
// The house formatter has the last word on layout, so the file regenerates byte for byte.
const biome = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".bin", "biome");
const formatted = spawnSync(biome, ["format", "--write", target], { stdio: "inherit" });
if (formatted.status !== 0) throw new Error("biome format failed on the generated file");
console.log(`Wrote ${target}: ${types.size} types from ${packageJson.name} ${packageJson.version}`);
