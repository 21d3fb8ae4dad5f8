/**
 * Reading the manifests of the differential suite, independently of kplay's own code: the
 * differences table (differences.ts) derives Kubernetes' expected values with these.
 */
import type { ContainerView, PodView } from "./normalize.ts";

export type Json = Record<string, unknown>;

/** One pod of a case: its manifest, Podman's view (rewritten in place) and kplay's view. */
export interface PodContext {
  readonly manifest: Json;
  readonly podman: PodView;
  readonly kplay: PodView;
}

export const obj = (v: unknown): Json =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const spec = (m: Json): Json => obj(m.spec);
export const annotations = (m: Json): Record<string, string> =>
  obj(obj(m.metadata).annotations) as Record<string, string>;

export interface ManifestContainer {
  readonly c: Json;
  readonly init: boolean;
  readonly name: string;
}

export function containersOf(m: Json): ManifestContainer[] {
  return (["initContainers", "containers"] as const).flatMap((field) =>
    arr(spec(m)[field]).map((c) => ({
      c: obj(c),
      init: field === "initContainers",
      name: String(obj(c).name),
    })),
  );
}

/** Runs `fn` on every container present on both sides; returns whether `fn` ever returned true. */
export function eachContainer(
  p: PodContext,
  fn: (m: ManifestContainer, podman: ContainerView, kplay: ContainerView) => boolean | undefined,
): boolean {
  let applied = false;
  for (const m of containersOf(p.manifest)) {
    const a = p.podman.containers[m.name];
    const b = p.kplay.containers[m.name];
    if (a && b && fn(m, a, b)) applied = true;
  }
  return applied;
}

/** Thousandths of a CPU quantity ("250m", "1.5", 2), independently of kplay's parser. */
export function milliCPU(q: unknown): number | undefined {
  if (q === undefined) return undefined;
  const s = String(q);
  return s.endsWith("m") ? Math.ceil(Number(s.slice(0, -1))) : Math.ceil(Number(s) * 1000);
}

/** A `$(VAR)` expander written from the Kubernetes documentation, independent of src/. */
export function expandLikeKubernetes(input: string, vars: Record<string, string>): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (all, name: string | undefined) =>
    all === "$$"
      ? "$"
      : name !== undefined && Object.hasOwn(vars, name)
        ? (vars[name] as string)
        : all,
  );
}

export const ENV_REST_DEFAULTS = { container: "podman", TERM: "xterm" };
export const REST_PIDS_LIMIT = 2048;
