/**
 * The API server's environment rules (ValidateEnv, ValidateEnvFrom): variable names and
 * prefixes, `value` or `valueFrom` but not both, exactly one source in `valueFrom` and in each
 * `envFrom` entry, and the names and keys those sources refer to.
 */
import { checkName, fail, isSet } from "./check.ts";
import { list, mapping, type ObjectContext } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkConfigMapKey, checkDns1123Subdomain, checkEnvName } from "./names.ts";

const VALUE_SOURCES = [
  "fieldRef",
  "resourceFieldRef",
  "configMapKeyRef",
  "secretKeyRef",
  "fileKeyRef",
] as const;
const ENV_FROM_SOURCES = ["configMapRef", "secretRef"] as const;

/** Checks a container's `env` and `envFrom`. */
export function checkEnv(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  list(container.env).forEach((e, j) => {
    const env = mapping(e);
    if (env === undefined) return;
    const here = [...at, "env", j];
    checkName(
      ctx,
      [...here, "name"],
      env.name,
      "environment variable name",
      checkEnvName,
      reported,
    );
    const from = mapping(env.valueFrom);
    if (from === undefined) return;
    const sources = presentKeys(from, VALUE_SOURCES);
    const path = [...here, "valueFrom"];
    if (sources.length === 0) {
      const detail = `must specify one of ${VALUE_SOURCES.slice(0, 4).join(", ")}`;
      fail(ctx, "env-source", path, detail, reported, { anchor: "key" });
      return;
    }
    if (typeof env.value === "string" && env.value !== "") {
      const detail = "may not be set when value is not empty";
      fail(ctx, "conflicting-fields", path, detail, reported, {
        anchor: "key",
        hint: "Give either value or valueFrom",
      });
    } else {
      extraSources(ctx, path, sources, reported);
    }
    for (const source of ["configMapKeyRef", "secretKeyRef"] as const) {
      const ref = mapping(from[source]);
      if (ref === undefined) continue;
      checkObjectName(ctx, [...path, source, "name"], ref.name, reported);
      checkName(ctx, [...path, source, "key"], ref.key, "key", checkConfigMapKey, reported);
    }
  });
  list(container.envFrom).forEach((e, j) => {
    const from = mapping(e);
    if (from === undefined) return;
    const here = [...at, "envFrom", j];
    if (typeof from.prefix === "string" && from.prefix !== "")
      checkName(ctx, [...here, "prefix"], from.prefix, "variable prefix", checkEnvName, reported);
    const sources = presentKeys(from, ENV_FROM_SOURCES);
    if (sources.length === 0) {
      const detail = `must specify one of ${ENV_FROM_SOURCES.join(", ")}`;
      fail(ctx, "env-source", here, detail, reported);
      return;
    }
    extraSources(ctx, here, sources, reported);
    for (const source of sources)
      checkObjectName(ctx, [...here, source, "name"], mapping(from[source])?.name, reported);
  });
}

function presentKeys(from: Record<string, unknown>, keys: readonly string[]): string[] {
  return Object.keys(from).filter((k) => keys.includes(k) && isSet(from[k]));
}

function extraSources(
  ctx: ObjectContext,
  at: FieldPath,
  sources: readonly string[],
  reported: ReadonlySet<string>,
): void {
  for (const extra of sources.slice(1)) {
    const detail = `may not specify more than one source (${sources[0]} is already given)`;
    fail(ctx, "env-source", [...at, extra], detail, reported, { anchor: "key" });
  }
}

/** A ConfigMap's or Secret's name: a DNS-1123 subdomain. */
function checkObjectName(
  ctx: ObjectContext,
  path: FieldPath,
  name: unknown,
  reported: ReadonlySet<string>,
): void {
  checkName(ctx, path, name, "object name (a DNS-1123 subdomain)", checkDns1123Subdomain, reported);
}
