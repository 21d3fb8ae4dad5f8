/**
 * A container's environment as the kubelet builds it: `envFrom` first, then `env` in order,
 * each plain value `$(VAR)`-expanded against what is defined so far, each `valueFrom`
 * evaluated through the downward API. The image's own ENV is merged underneath by Podman
 * (image ENV < envFrom < env), and is invisible to `$(VAR)` as it is to the kubelet.
 */

import { dataKey } from "../graph/index.ts";
import type { DataIndex } from "../graph/types.ts";
import type { Container, Pod } from "../manifest/model.ts";
import { fieldRefValue, resourceFieldRefValue } from "./downward.ts";
import { expandVariables, lookupIn } from "./expand.ts";
import type { NodeFacts } from "./types.ts";

/** One env entry that could not be evaluated, for checks.ts. */
export interface EnvProblem {
  /** Index into `container.env`. */
  readonly index: number;
  readonly field: "fieldRef" | "resourceFieldRef" | "value";
  readonly problem: string;
}

export interface PlannedEnv {
  /** Name to value, in definition order; empty when the container defines nothing. */
  readonly env: Record<string, string>;
  /**
   * Name to Podman secret, for the variables whose values come from Secrets: libpod's
   * `secret_env`, so the value goes from Podman's secret store to the process and into no
   * plan, label or request of kplay's.
   */
  readonly secretEnv: Record<string, string>;
  /**
   * The variables whose value is a Service's (no envFrom or env replaced it). A running
   * container keeps them when a Service changes, as on a cluster: they are not part of the
   * container's hash.
   */
  readonly serviceNames: ReadonlySet<string>;
  /** The digests of the Secret keys it reads: a changed value replaces the container. */
  readonly secretDigests: readonly string[];
  readonly problems: readonly EnvProblem[];
}

/** Where the ConfigMaps and Secrets a pod reads come from. */
export interface EnvData {
  readonly data: DataIndex;
  readonly namespace: string;
  /** The namespace's Services' env vars (graph/services.ts), set before everything else. */
  readonly serviceEnv?: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Builds the container's environment (Kubernetes' `makeEnvironmentVariables`): `envFrom`
 * sources in order, then `env` entries in order, a later definition replacing an earlier one.
 * Optional references to what the input lacks define nothing, as in Kubernetes.
 */
export function planEnv(pod: Pod, c: Container, node: NodeFacts, from: EnvData): PlannedEnv {
  // No prototype: an env var may be named __proto__ or constructor.
  const env: Record<string, string> = Object.create(null);
  const secretEnv: Record<string, string> = Object.create(null);
  const problems: EnvProblem[] = [];
  const digests: Record<string, string> = Object.create(null);
  const fromServices = new Set<string>();
  const set = (name: string, value: string) => {
    fromServices.delete(name);
    delete digests[name];
    delete secretEnv[name];
    env[name] = value;
  };
  const setSecret = (name: string, secret: { name: string; digest: string; empty?: true }) => {
    if (secret.empty) return set(name, "");
    delete env[name];
    secretEnv[name] = secret.name;
    digests[name] = secret.digest;
  };
  const configMap = (name: string) => from.data.configMaps.get(dataKey(from.namespace, name));
  const secret = (name: string) => from.data.secrets.get(dataKey(from.namespace, name));
  // The kubelet sets Services' variables first: envFrom and env may replace them.
  for (const e of from.serviceEnv ?? []) {
    set(e.name, e.value);
    fromServices.add(e.name);
  }
  for (const source of c.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    if (source.configMapRef) {
      for (const [k, v] of Object.entries(configMap(source.configMapRef.name)?.data ?? {}))
        set(prefix + k, v);
    }
    if (source.secretRef) {
      for (const [k, podman] of secret(source.secretRef.name)?.keys ?? [])
        setSecret(prefix + k, podman);
    }
  }
  const lookup = lookupIn(env);
  (c.env ?? []).forEach((e, index) => {
    const valueFrom = e.valueFrom;
    if (e.value !== undefined && e.value !== "") {
      const secretRefs = referencedNames(e.value).filter((n) => Object.hasOwn(secretEnv, n));
      if (secretRefs.length > 0) {
        problems.push({ index, field: "value", problem: secretExpansion(secretRefs) });
        return;
      }
      set(e.name, expandVariables(e.value, lookup));
    } else if (valueFrom?.fieldRef) {
      const r = fieldRefValue(pod, valueFrom.fieldRef.fieldPath, node);
      if (r.ok) set(e.name, r.value);
      else problems.push({ index, field: "fieldRef", problem: r.problem });
    } else if (valueFrom?.resourceFieldRef) {
      const r = resourceFieldRefValue(pod, c, valueFrom.resourceFieldRef, node);
      if (r.ok) set(e.name, r.value);
      else problems.push({ index, field: "resourceFieldRef", problem: r.problem });
    } else if (valueFrom?.configMapKeyRef) {
      const ref = valueFrom.configMapKeyRef;
      const data = configMap(ref.name)?.data;
      if (data && Object.hasOwn(data, ref.key)) set(e.name, data[ref.key] ?? "");
    } else if (valueFrom?.secretKeyRef) {
      const ref = valueFrom.secretKeyRef;
      const podman = secret(ref.name)?.keys.get(ref.key);
      if (podman !== undefined) setSecret(e.name, podman);
    } else {
      set(e.name, "");
    }
  });
  return {
    env,
    secretEnv,
    secretDigests: Object.values(digests),
    problems,
    serviceNames: fromServices,
  };
}

/** The `$(NAME)` references of a string, as expandVariables would resolve them. */
export function referencedNames(input: string): string[] {
  const names: string[] = [];
  expandVariables(input, (name) => {
    names.push(name);
    return undefined;
  });
  return names;
}

/** Why kplay refuses a `$(VAR)` whose variable comes from a Secret. */
export function secretExpansion(names: readonly string[]): string {
  const list = names.map((n) => `$(${n})`).join(", ");
  return `${list} comes from a Secret: expanding it would write the secret's value into the container's configuration, where podman inspect shows it`;
}

/**
 * `command` and `args` with `$(VAR)` expanded against the container's whole environment
 * (every env entry, not only earlier ones), as the kubelet's `ExpandContainerCommandAndArgs`.
 */
export function expandArgv(
  list: readonly string[] | undefined,
  env: Readonly<Record<string, string>>,
): string[] | undefined {
  if (!list || list.length === 0) return undefined;
  const lookup = lookupIn(env);
  return list.map((arg) => expandVariables(arg, lookup));
}

/**
 * The subPath a mount uses: `subPath` as written, or `subPathExpr` expanded against the
 * container's environment (Kubernetes' `$(VAR)` rules). checks.ts refuses either when it is
 * absolute or climbs out with `..`.
 */
export function mountSubPath(
  mount: { subPath?: string; subPathExpr?: string },
  env: Readonly<Record<string, string>>,
): string | undefined {
  if (mount.subPath) return mount.subPath;
  return mount.subPathExpr ? expandVariables(mount.subPathExpr, lookupIn(env)) : undefined;
}
