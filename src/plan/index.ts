// POSIX whatever kplay runs on: these are paths on Podman's (Linux) host, not on kplay's.
import { normalize } from "node:path/posix";
import type {
  ClaimResource,
  DataIndex,
  DesiredState,
  NetworkResource,
  PodInstance,
  SecretResource,
} from "../graph/types.ts";
import type { Container, Pod } from "../manifest/model.ts";
import { own } from "../manifest/own.ts";
import { PROXY_IMAGE } from "../proxy/image.ts";
import { checkPod } from "./checks.ts";
import { type PlannedContainer, planContainer, terminationGrace } from "./container.ts";
import { DEFAULT_NODE } from "./downward.ts";
import { planImages } from "./images.ts";
import {
  hashJson,
  LABEL_ATTEMPT,
  LABEL_CLAIM,
  LABEL_CLAIM_ACCESS,
  LABEL_CLAIM_SIZE,
  LABEL_DIGEST,
  LABEL_GENERATE_NAME,
  LABEL_GRACE,
  LABEL_MANAGED,
  LABEL_NAMESPACE,
  LABEL_OWNER,
  LABEL_POD,
  LABEL_POD_HASH,
  LABEL_SECRET,
  LABEL_SECRET_KEY,
  LABEL_SLOT,
  LABEL_TEMPLATE,
  ownerLabel,
} from "./labels.ts";
import { podCreateBody } from "./pod.ts";
import type { Projection } from "./projections.ts";
import { proxyContainer } from "./proxy.ts";
import { DEFAULT_SECCOMP_ROOT } from "./security.ts";
import type {
  CreateContainerStep,
  EnsureNetworkStep,
  EnsureSecretStep,
  EnsureVolumeStep,
  Plan,
  PlanOptions,
  PodPlan,
  PrepareVolumesStep,
  Step,
  VolumeFill,
} from "./types.ts";
import { planVolumes } from "./volumes.ts";

export { checkPlannable } from "./checks.ts";
export { needsNodeFacts } from "./downward.ts";

/** A pod the planner refuses; `checkPlannable` reports the same problems as diagnostics first. */
export class UnplannablePodError extends Error {
  override readonly name = "UnplannablePodError";
}

/** Everything planning needs from the desired state besides the pod itself. */
export interface PodPlanContext {
  readonly data: DataIndex;
}

/**
 * Translates the desired state into a plan of libpod requests. Pure: no I/O, no clock, no
 * randomness; every outside fact arrives in `options`. Callers run `checkPlannable` first.
 */
export function planState(state: DesiredState, options: PlanOptions = {}): Plan {
  const ctx: PodPlanContext = { data: state.data };
  const objects = state.objects.map((o) => ({
    object: objectId(o.ref),
    source: { file: o.source.file, document: o.source.documentIndex },
    rollout: o.rollout,
    pods: o.pods.map((p) => planPod(p, ctx, options)),
  }));
  // Each image once, with who uses it: `<container> of <kind>/<name>` for its messages.
  const seen = new Set<string>();
  const containers = state.objects.flatMap((o) =>
    o.pods.flatMap((p) => {
      const spec = p.doc.pod.spec;
      return [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => {
        const name = `"${c.name}" of ${ownerLabel(o.ref)}`;
        if (seen.has(`${c.image}\u0000${name}`)) return [];
        seen.add(`${c.image}\u0000${name}`);
        // The pod's imagePullSecrets that the input holds: their credentials go with a pull.
        const pullSecrets = (spec.imagePullSecrets ?? [])
          .flatMap((r) => (r.name ? [`${p.doc.namespace}/${r.name}`] : []))
          .filter((id) => state.data.secrets.has(id));
        return [{ ...c, name, ...(pullSecrets.length > 0 ? { pullSecrets } : {}) }];
      });
    }),
  );
  // Some pod maps a Service port to another one: it runs kplay's proxy (plan/proxy.ts).
  const proxied = state.objects.some((o) =>
    o.pods.some((p) => (p.network?.proxies.length ?? 0) > 0),
  );
  return {
    kind: "kplay.plan",
    version: 2,
    images: planImages(containers),
    ...(proxied
      ? { proxyImage: { action: "ensure-proxy-image" as const, image: PROXY_IMAGE } }
      : {}),
    ...(state.networks.length > 0 ? { networks: state.networks.map(planNetwork) } : {}),
    secrets: state.secrets.map(planSecret),
    claims: state.claims.map(planClaim),
    objects,
  };
}

/** `kind/namespace/name`, as plans and messages name an object. */
export function objectId(ref: { kind: string; namespace: string; name: string }): string {
  return `${ref.kind.toLowerCase()}/${ref.namespace}/${ref.name}`;
}

/**
 * Translates one pod: version requirements and image checks first (nothing is created before
 * they pass), then host paths and volumes, the pod, its containers, start. Images, Secrets
 * and claims are the plan's own steps, shared by every pod.
 */
export function planPod(
  instance: PodInstance,
  ctx: PodPlanContext,
  options: PlanOptions = {},
): PodPlan {
  const doc = instance.doc;
  const problems = checkPod(doc, { ...options, data: ctx.data });
  // Never plan around a refusal (an unsafe subPath, a root user): fail loudly instead.
  if (problems.length > 0) throw new UnplannablePodError(problems.map((p) => p.message).join("; "));
  const { pod } = doc;
  const name = doc.name;
  const node = options.node ?? DEFAULT_NODE;
  const inits = pod.spec.initContainers ?? [];
  const volumes = planVolumes(pod.spec.volumes ?? [], {
    pod: name,
    dir: doc.dir,
    projection: { pod, namespace: doc.namespace, data: ctx.data, node },
  });
  const context = {
    pod,
    podName: name,
    envData: {
      data: ctx.data,
      namespace: doc.namespace,
      ...(instance.network ? { serviceEnv: instance.network.env } : {}),
    },
    bindings: volumes.bindings,
    ...(instance.restartTries !== undefined ? { restartTries: instance.restartTries } : {}),
    node,
    seccompRoot: options.seccompProfileRoot ?? DEFAULT_SECCOMP_ROOT,
  };
  const containers: PlannedContainer[] = [];
  // Sidecars (init containers with restartPolicy Always) are containers of their own, after
  // the plain init containers: Podman runs every init container to its end first.
  const all = [
    ...inits
      .filter((c) => c.restartPolicy !== "Always")
      .map((c) => ({ c, init: true, sidecar: false })),
    ...inits
      .filter((c) => c.restartPolicy === "Always")
      .map((c) => ({ c, init: false, sidecar: true })),
    ...pod.spec.containers.map((c) => ({ c, init: false, sidecar: false })),
  ];
  for (const { c, init, sidecar } of all) {
    const earlier = containers.map((p) => p.step.container);
    containers.push(planContainer(c, { ...context, init, sidecar, earlier }));
  }
  // Each sidecar starts after the one before it, and the app containers after all of them.
  const sidecars = containers.filter((p) => p.step.sidecar).map((p) => p.step.name);
  for (const { step } of containers) {
    if (step.init) continue;
    const body = step.request.body as Record<string, unknown>;
    const before = step.sidecar
      ? sidecars.slice(0, sidecars.indexOf(step.name)).slice(-1)
      : sidecars;
    if (before.length > 0) body.dependencyContainers = before;
  }
  // Service ports other than their targets: kplay's proxy maps them (plan/proxy.ts).
  const proxies = instance.network?.proxies ?? [];
  if (proxies.length > 0) containers.push(proxyContainer(pod, name, proxies));
  const podBody = podCreateBody(pod, name, options, instance.network);
  // The pod hash covers what cannot change without recreating the pod: its own settings, its
  // volumes, and the grace period `down` reads from the pod's label (a label cannot be
  // changed in place). Containers carry their own hashes and can be replaced one by one; a
  // projected volume's files are updated in place, so they are not part of it.
  const grace = terminationGrace(pod);
  // A sidecar cannot be replaced alone (the app containers depend on it): changing one
  // recreates the pod.
  const sidecarHashes = containers.filter((p) => p.step.sidecar).map((p) => p.step.hash);
  const podHash = hashJson({
    pod: podBody,
    volumes: volumes.steps,
    grace: grace ?? null,
    ...(sidecarHashes.length > 0 ? { sidecars: sidecarHashes } : {}),
  });
  const owner = ownerLabel(instance.owner);
  const labels = podBody.labels as Record<string, string>;
  labels[LABEL_POD_HASH] = podHash;
  labels[LABEL_NAMESPACE] = doc.namespace;
  labels[LABEL_OWNER] = owner;
  if (instance.owner.kind !== "Pod") labels[LABEL_SLOT] = String(instance.slot);
  if (instance.templateHash !== undefined) labels[LABEL_TEMPLATE] = instance.templateHash;
  if (instance.attempt !== undefined) labels[LABEL_ATTEMPT] = String(instance.attempt);
  if (instance.generateName !== undefined) labels[LABEL_GENERATE_NAME] = instance.generateName;
  if (grace !== undefined) labels[LABEL_GRACE] = String(grace);
  // Containers say whose they are too, so a controller reads a workload's pods, their exit
  // codes and restarts from one container listing.
  for (const { step } of containers) {
    const body = step.request.body as { labels: Record<string, string> };
    body.labels[LABEL_NAMESPACE] = doc.namespace;
    body.labels[LABEL_OWNER] = owner;
    if (instance.owner.kind !== "Pod") body.labels[LABEL_SLOT] = String(instance.slot);
    if (instance.attempt !== undefined) body.labels[LABEL_ATTEMPT] = String(instance.attempt);
  }
  const folderSubPaths = containers.some((p) => p.namedSubPaths.some((s) => !s.file));
  const fileSubPaths = containers.some((p) => p.namedSubPaths.some((s) => s.file));
  const steps: Step[] = [
    ...(folderSubPaths || fileSubPaths
      ? [
          {
            action: "require-podman" as const,
            version: "4.4.0",
            feature: folderSubPaths
              ? "subPath in an emptyDir or claim volume"
              : "subPath in a configMap, downwardAPI or projected volume",
          },
        ]
      : []),
    ...privilegedPorts([...inits, ...pod.spec.containers], instance.network?.publish ?? []),
    ...containers.flatMap((p) => (p.imageCheck ? [p.imageCheck] : [])),
    ...volumes.steps,
    ...prepareVolumes(name, containers, all, volumes.projections),
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
    for (const p of containers) {
      if (p.postStart)
        steps.push({
          action: "post-start",
          container: p.step.container,
          name: p.step.name,
          handler: p.postStart,
        });
    }
  }
  return {
    name,
    pod: pod.metadata.name,
    namespace: doc.namespace,
    owner,
    slot: instance.slot,
    ...(instance.templateHash !== undefined ? { templateHash: instance.templateHash } : {}),
    ...(instance.attempt !== undefined ? { attempt: instance.attempt } : {}),
    source: { file: doc.file, document: doc.documentIndex },
    podHash,
    containerHashes: Object.fromEntries(containers.map((p) => [p.step.container, p.step.hash])),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    steps,
  };
}

/** A namespace's network, with DNS: created when missing, never one kplay did not create. */
function planNetwork(n: NetworkResource): EnsureNetworkStep {
  return {
    action: "ensure-network",
    name: n.name,
    namespace: n.namespace,
    exists: { method: "GET", path: `/networks/${encodeURIComponent(n.name)}/json` },
    request: {
      method: "POST",
      path: "/networks/create",
      body: {
        name: n.name,
        driver: "bridge",
        dns_enabled: true,
        labels: { [LABEL_MANAGED]: "true", [LABEL_NAMESPACE]: n.namespace },
      },
    },
  };
}

/** The Podman secret of one Secret key; its body (the value) is added by the executor. */
function planSecret(s: SecretResource): EnsureSecretStep {
  const labels = {
    [LABEL_MANAGED]: "true",
    [LABEL_NAMESPACE]: s.secret.namespace,
    [LABEL_SECRET]: `${s.secret.namespace}/${s.secret.name}`,
    [LABEL_SECRET_KEY]: s.key,
    [LABEL_DIGEST]: s.digest,
  };
  return {
    action: "ensure-secret",
    name: s.name,
    secret: `${s.secret.namespace}/${s.secret.name}`,
    key: s.key,
    digest: s.digest,
    request: {
      method: "POST",
      path: "/secrets/create",
      query: { name: s.name, driver: "file", labels: JSON.stringify(labels) },
    },
  };
}

/**
 * The Podman volume of a claim, named after it (as `podman kube play` maps it): reused when
 * it exists (whoever made it), created and labelled as kplay's when it does not, with the
 * claim's `volume.podman.io/*` annotations as its driver and options.
 */
function planClaim(c: ClaimResource): EnsureVolumeStep {
  const a = c.annotations ?? {};
  const options: Record<string, string> = {};
  const known: [string, string][] = [
    ["volume.podman.io/device", "device"],
    ["volume.podman.io/type", "type"],
    ["volume.podman.io/mount-options", "o"],
    ["volume.podman.io/uid", "UID"],
    ["volume.podman.io/gid", "GID"],
  ];
  for (const [annotation, option] of known) {
    const v = own(a, annotation);
    if (v !== undefined) options[option] = v;
  }
  const driver = own(a, "volume.podman.io/driver");
  const requests = c.spec?.resources?.requests;
  const size = requests ? own(requests, "storage") : undefined;
  const modes = c.spec?.accessModes ?? [];
  return {
    action: "ensure-volume",
    claim: `${c.claim.namespace}/${c.claim.name}`,
    name: c.name,
    exists: { method: "GET", path: `/volumes/${encodeURIComponent(c.name)}/exists` },
    request: {
      method: "POST",
      path: "/volumes/create",
      body: {
        Name: c.name,
        ...(driver ? { Driver: driver } : {}),
        Label: {
          ...(c.labels ?? {}),
          [LABEL_MANAGED]: "true",
          [LABEL_CLAIM]: c.name,
          [LABEL_NAMESPACE]: c.claim.namespace,
          ...(size !== undefined ? { [LABEL_CLAIM_SIZE]: String(size) } : {}),
          ...(modes.length > 0 ? { [LABEL_CLAIM_ACCESS]: modes.join(",") } : {}),
        },
        ...(Object.keys(options).length > 0 ? { Options: options } : {}),
      },
    },
  };
}

/**
 * The step that prepares volume content (subPath folders, projected files) before any
 * container mounts them; the helper uses the first container's image (present by then).
 */
function prepareVolumes(
  pod: string,
  containers: readonly PlannedContainer[],
  all: readonly { c: Container }[],
  projections: ReadonlyMap<string, Projection>,
): PrepareVolumesStep[] {
  const image = all[0]?.c.image;
  const folderMounts = containers.flatMap((p) => p.namedSubPaths.filter((s) => !s.file));
  if (image === undefined || (folderMounts.length === 0 && projections.size === 0)) return [];
  const mounts = [...new Set([...folderMounts.map((s) => s.volume), ...projections.keys()])];
  const root = (volume: string) => `kplay/${mounts.indexOf(volume)}`;
  const folders = [
    ...new Set(folderMounts.map((s) => `${root(s.volume)}/${normalize(s.path)}`)),
  ].map((f) => f.replace(/\/+$/, ""));
  const fills: VolumeFill[] = [...projections].map(([volume, p]) => ({
    root: root(volume),
    volume,
    dataDir: p.dataDir,
    files: p.files,
    mountPoints: p.secrets.map((f) => f.path),
  }));
  const name = `${pod}-kplay_volumes`;
  return [
    {
      action: "prepare-volumes",
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
          labels: { [LABEL_MANAGED]: "true", [LABEL_POD]: pod },
        },
      },
      folders,
      projections: fills,
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
function privilegedPorts(
  containers: readonly Container[],
  published: readonly { service: string; hostPort: number }[],
): Step[] {
  const ports = [
    ...lowHostPorts(containers),
    ...published
      .filter((p) => p.hostPort < 1024)
      .map((p) => ({ service: p.service, hostPort: p.hostPort })),
  ];
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
