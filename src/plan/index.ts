import { normalize } from "node:path";
import type { Container, Pod, PodDocument } from "../manifest/model.ts";
import { checkPod } from "./checks.ts";
import { type PlannedContainer, planContainer, terminationGrace } from "./container.ts";
import { DEFAULT_NODE } from "./downward.ts";
import { planImages } from "./images.ts";
import { hashJson, LABEL_GRACE, LABEL_MANAGED, LABEL_POD_HASH } from "./labels.ts";
import { podCreateBody } from "./pod.ts";
import { DEFAULT_SECCOMP_ROOT } from "./security.ts";
import type {
  CreateContainerStep,
  Plan,
  PlanOptions,
  PodPlan,
  PrepareSubPathsStep,
  Step,
} from "./types.ts";
import { planVolumes } from "./volumes.ts";

export { checkPlannable } from "./checks.ts";
export { needsNodeFacts } from "./downward.ts";

/** A pod the planner refuses; `checkPlannable` reports the same problems as diagnostics first. */
export class UnplannablePodError extends Error {
  override readonly name = "UnplannablePodError";
}

/**
 * Translates validated Pods into a plan of libpod requests. Pure: no I/O, no clock, no
 * randomness; every outside fact arrives in `options`. Callers run `checkPlannable` first.
 */
export function planPods(docs: readonly PodDocument[], options: PlanOptions = {}): Plan {
  return { kind: "kplay.plan", version: 1, pods: docs.map((d) => planPod(d, options)) };
}

/**
 * Translates one Pod: version requirements, images and the image checks first (nothing is
 * created before they pass), then host paths and volumes, the pod, its containers, start.
 */
export function planPod(doc: PodDocument, options: PlanOptions = {}): PodPlan {
  const problems = checkPod(doc, options);
  // Never plan around a refusal (an unsafe subPath, a root user): fail loudly instead.
  if (problems.length > 0) throw new UnplannablePodError(problems.map((p) => p.message).join("; "));
  const { pod } = doc;
  const name = pod.metadata.name;
  const inits = pod.spec.initContainers ?? [];
  const volumes = planVolumes(name, pod.spec.volumes ?? [], doc.dir);
  const context = {
    pod,
    bindings: volumes.bindings,
    node: options.node ?? DEFAULT_NODE,
    seccompRoot: options.seccompProfileRoot ?? DEFAULT_SECCOMP_ROOT,
  };
  const containers: PlannedContainer[] = [];
  const all = [
    ...inits.map((c) => ({ c, init: true })),
    ...pod.spec.containers.map((c) => ({ c, init: false })),
  ];
  for (const { c, init } of all) {
    containers.push(
      planContainer(c, { ...context, init, earlier: containers.map((p) => p.step.container) }),
    );
  }
  const podBody = podCreateBody(pod, options);
  // The pod hash covers what cannot change without recreating the pod: its own settings, its
  // volumes, and the grace period `down` reads from the pod's label (a label cannot be
  // changed in place). Containers carry their own hashes and can be replaced one by one.
  const grace = terminationGrace(pod);
  const podHash = hashJson({ pod: podBody, volumes: volumes.steps, grace: grace ?? null });
  const labels = podBody.labels as Record<string, string>;
  labels[LABEL_POD_HASH] = podHash;
  if (grace !== undefined) labels[LABEL_GRACE] = String(grace);
  const steps: Step[] = [
    ...(containers.some((p) => p.namedSubPaths.length > 0)
      ? [
          {
            action: "require-podman" as const,
            version: "4.4.0",
            feature: "subPath in an emptyDir or claim volume",
          },
        ]
      : []),
    ...privilegedPorts([...inits, ...pod.spec.containers]),
    ...planImages([...inits, ...pod.spec.containers]),
    ...containers.flatMap((p) => (p.imageCheck ? [p.imageCheck] : [])),
    ...volumes.steps,
    ...subPathFolders(name, containers, all),
    ...uniqueHostPaths(containers),
    {
      action: "create-pod",
      name,
      request: { method: "POST", path: "/pods/create", body: podBody },
    },
    ...containers.map(({ step: { hash: _hash, ...step } }) => step),
  ];
  if (options.start !== false) {
    steps.push({
      action: "start-pod",
      name,
      request: { method: "POST", path: `/pods/${encodeURIComponent(name)}/start` },
    });
  }
  return {
    name,
    source: { file: doc.file, document: doc.documentIndex },
    podHash,
    containerHashes: Object.fromEntries(containers.map((p) => [p.step.container, p.step.hash])),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    steps,
  };
}

/**
 * The step that creates subPath folders inside Podman volumes, when any container mounts one
 * (the helper container uses the first such container's image, which is ensured by then).
 */
function subPathFolders(
  pod: string,
  containers: readonly PlannedContainer[],
  all: readonly { c: Container }[],
): PrepareSubPathsStep[] {
  const first = containers.findIndex((p) => p.namedSubPaths.length > 0);
  const image = all[first]?.c.image;
  if (image === undefined) return [];
  const mounts = [...new Set(containers.flatMap((p) => p.namedSubPaths.map((s) => s.volume)))];
  const folders = [
    ...new Set(
      containers.flatMap((p) =>
        p.namedSubPaths.map((s) => `kplay/${mounts.indexOf(s.volume)}/${normalize(s.path)}`),
      ),
    ),
  ].map((f) => f.replace(/\/+$/, ""));
  const name = `${pod}-kplay_subpaths`;
  return [
    {
      action: "prepare-sub-paths",
      name,
      request: {
        method: "POST",
        path: "/containers/create",
        body: {
          name,
          image,
          command: ["/kplay-never-started"],
          netns: { nsmode: "none" },
          volumes: mounts.map((v, i) => ({ Name: v, Dest: `/kplay/${i}` })),
          labels: { [LABEL_MANAGED]: "true" },
        },
      },
      folders,
    },
  ];
}

/** The plan's create-container steps: all, or only the init (`true`) or app (`false`) ones. */
export function containerSteps(plan: PodPlan, init?: boolean): CreateContainerStep[] {
  return plan.steps.filter(
    (s): s is CreateContainerStep =>
      s.action === "create-container" && (init === undefined || s.init === init),
  );
}

/** subPath folders, each once, after the volumes they live in were prepared. */
function uniqueHostPaths(containers: readonly PlannedContainer[]): Step[] {
  const seen = new Set<string>();
  return containers
    .flatMap((p) => p.hostPaths)
    .filter((h) => !seen.has(h.path) && seen.add(h.path) !== undefined);
}

/** A check-host-ports step when some container asks for a host port below 1024. */
function privilegedPorts(containers: readonly Container[]): Step[] {
  const ports = lowHostPorts(containers);
  return ports.length > 0 ? [{ action: "check-host-ports", ports }] : [];
}

/**
 * Whether any pod asks for a host port below 1024, so the caller learns whether Podman is
 * rootless (GET /info, ~0.3 s) only then.
 */
export function needsPortFloor(pods: readonly Pod[]): boolean {
  return pods.some(
    (p) => lowHostPorts([...(p.spec.initContainers ?? []), ...p.spec.containers]).length > 0,
  );
}

function lowHostPorts(containers: readonly Container[]): { container: string; hostPort: number }[] {
  return containers.flatMap((c) =>
    (c.ports ?? []).flatMap((p) =>
      p.hostPort !== undefined && p.hostPort < 1024
        ? [{ container: c.name, hostPort: p.hostPort }]
        : [],
    ),
  );
}
