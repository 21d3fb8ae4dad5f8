/**
 * A container's environment as the kubelet builds it: `envFrom` first, then `env` in order,
 * each plain value `$(VAR)`-expanded against what is defined so far, each `valueFrom`
 * evaluated through the downward API. The image's own ENV is merged underneath by Podman
 * (image ENV < envFrom < env), and is invisible to `$(VAR)` as it is to the kubelet.
 */
import type { Container, Pod } from "../manifest/model.ts";
import { fieldRefValue, resourceFieldRefValue } from "./downward.ts";
import { expandVariables, lookupIn } from "./expand.ts";
import type { NodeFacts } from "./types.ts";

/** One env entry that could not be evaluated, for checks.ts. */
export interface EnvProblem {
  /** Index into `container.env`. */
  readonly index: number;
  readonly field: "fieldRef" | "resourceFieldRef" | "configMapKeyRef" | "secretKeyRef";
  readonly problem: string;
}

export interface PlannedEnv {
  /** Name to value, in definition order; empty when the container defines nothing. */
  readonly env: Record<string, string>;
  readonly problems: readonly EnvProblem[];
}

/** Builds the container's environment (Kubernetes' `makeEnvironmentVariables`). */
export function planEnv(pod: Pod, c: Container, node: NodeFacts): PlannedEnv {
  // No prototype: an env var may be named __proto__ or constructor.
  const env: Record<string, string> = Object.create(null);
  const problems: EnvProblem[] = [];
  // envFrom can only name ConfigMaps and Secrets, which validation still refuses: nothing
  // reaches here yet. When they arrive, their keys go into `env` here, before `env` entries.
  const lookup = lookupIn(env);
  (c.env ?? []).forEach((e, index) => {
    const from = e.valueFrom;
    if (e.value !== undefined && e.value !== "") {
      env[e.name] = expandVariables(e.value, lookup);
    } else if (from?.fieldRef) {
      const r = fieldRefValue(pod, from.fieldRef.fieldPath, node);
      if (r.ok) env[e.name] = r.value;
      else problems.push({ index, field: "fieldRef", problem: r.problem });
    } else if (from?.resourceFieldRef) {
      const r = resourceFieldRefValue(pod, c, from.resourceFieldRef, node);
      if (r.ok) env[e.name] = r.value;
      else problems.push({ index, field: "resourceFieldRef", problem: r.problem });
    } else if (from?.configMapKeyRef || from?.secretKeyRef) {
      // Never evaluated here, so no Secret value can end up in a plan.
      const field = from.configMapKeyRef ? "configMapKeyRef" : "secretKeyRef";
      problems.push({ index, field, problem: "ConfigMaps and Secrets are not supported yet" });
    } else {
      env[e.name] = "";
    }
  });
  return { env, problems };
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
