import type { Container, Pod, RestartPolicy } from "../manifest/model.ts";
import { ANNOTATION, autoUpdateLabels, containerAnnotationFields } from "./annotations.ts";
import { type EnvData, expandArgv, mountSubPath, planEnv } from "./env.ts";
import {
  hashJson,
  LABEL_CONTAINER,
  LABEL_CONTAINER_HASH,
  LABEL_INIT,
  LABEL_MANAGED,
  LABEL_POD,
  LABEL_PRESTOP,
  LABEL_READINESS,
  LABEL_SIDECAR,
} from "./labels.ts";
import { containerName } from "./names.ts";
import { containerNamespaceFields } from "./namespaces.ts";
import { healthcheckFields, hookHandler, plannedProbes } from "./probes.ts";
import { resourceLimits } from "./resources.ts";
import { containerSecurity, imageUserCheck, securityFields } from "./security.ts";
import { signalNumber } from "./signals.ts";
import type {
  CheckImageUserStep,
  CreateContainerStep,
  HookHandler,
  HostPathStep,
  NodeFacts,
} from "./types.ts";
import { type ContainerMounts, containerMounts, type VolumeBinding } from "./volumes.ts";

export { containerName };

const RESTART: Record<RestartPolicy, string> = {
  Always: "always",
  OnFailure: "on-failure",
  Never: "no",
};

/** What planning one container needs besides the container itself. */
export interface ContainerContext {
  readonly pod: Pod;
  /** The Podman pod's name: containers are `<it>-<container>`. */
  readonly podName: string;
  readonly init: boolean;
  /** An init container with restartPolicy Always, planned as a container of its own. */
  readonly sidecar?: boolean;
  /** Where the ConfigMaps and Secrets the container reads come from. */
  readonly envData: EnvData;
  /** Restarts of a failed container before its pod counts as failed (Job OnFailure). */
  readonly restartTries?: number;
  readonly bindings: ReadonlyMap<string, VolumeBinding>;
  readonly node: NodeFacts;
  readonly seccompRoot: string;
  /** Kubernetes names of the containers planned before this one (for volumes-from). */
  readonly earlier: readonly string[];
}

/** One container's create step, and the steps it needs to run before anything is created. */
export interface PlannedContainer {
  readonly step: CreateContainerStep & { hash: string };
  readonly hostPaths: readonly HostPathStep[];
  readonly imageCheck?: CheckImageUserStep;
  /** subPaths inside named volumes, which Podman honours from 4.4 on (see volumes.ts). */
  readonly namedSubPaths: ContainerMounts["namedSubPaths"];
  /** The postStart hook, run by its own step once the container has started. */
  readonly postStart?: HookHandler;
}

/** Deep-merges the annotation parts of `resource_limits` into the one from resources. */
function mergeResources(
  base: Record<string, unknown> | undefined,
  extra: object,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(extra))
    out[key] = { ...((out[key] as object | undefined) ?? {}), ...value };
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Translates one Kubernetes container into a libpod container-create request. `command` and
 * `args` replace the image's ENTRYPOINT and CMD as in Kubernetes (libpod drops the image CMD
 * once an entrypoint is given), after `$(VAR)` expansion against the container's env.
 */
export function planContainer(c: Container, ctx: ContainerContext): PlannedContainer {
  const { pod, init } = ctx;
  const name = containerName(ctx.podName, c.name);
  const sc = containerSecurity(pod, c);
  const { env, secretEnv, secretDigests, serviceNames } = planEnv(pod, c, ctx.node, ctx.envData);
  const entrypoint = expandArgv(c.command, env);
  const command = expandArgv(c.args, env);
  // subPathExpr is resolved here, so volumes.ts only ever sees a plain subPath.
  const volumeMounts = (c.volumeMounts ?? []).map((mount) => {
    const { subPathExpr: _expr, ...m } = mount;
    const subPath = mountSubPath(mount, env);
    return subPath ? { ...m, subPath } : m;
  });
  const mounts = containerMounts(
    { ...c, volumeMounts },
    ctx.bindings,
    pod.spec.securityContext?.fsGroup,
  );
  const probes = plannedProbes(c);
  const annotated = containerAnnotationFields(pod, c.name, ctx.earlier);
  const resources = mergeResources(resourceLimits(c), annotated.resources);
  const grace = terminationGrace(pod);
  const stopSignal =
    c.lifecycle?.stopSignal === undefined ? undefined : signalNumber(c.lifecycle.stopSignal);
  // A sidecar restarts whatever the pod's policy says, as the kubelet restarts it.
  const restart = ctx.sidecar ? "Always" : (pod.spec.restartPolicy ?? "Always");
  const postStart = init ? undefined : hookHandler(c, c.lifecycle?.postStart);
  const preStop = init ? undefined : hookHandler(c, c.lifecycle?.preStop);
  // Podman's timeout kills the container; a restart policy other than Never then restarts
  // it (see the support table), and a sidecar would restart at once, so it gets none.
  const deadline = ctx.sidecar ? undefined : pod.spec.activeDeadlineSeconds;
  const body: Record<string, unknown> = {
    name,
    pod: ctx.podName,
    image: c.image,
    ...(entrypoint ? { entrypoint } : {}),
    ...(command ? { command } : {}),
    // The image's env is added by the executor (withImageEnv); libpod's defaults never.
    unsetenvall: true,
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(Object.keys(secretEnv).length > 0 ? { secret_env: secretEnv } : {}),
    ...(c.workingDir ? { work_dir: c.workingDir } : {}),
    ...securityFields(sc, ctx.seccompRoot),
    ...containerNamespaceFields(pod),
    ...(mounts.mounts.length ? { mounts: mounts.mounts } : {}),
    ...(mounts.volumes.length ? { volumes: mounts.volumes } : {}),
    ...(mounts.secrets.length ? { secrets: mounts.secrets } : {}),
    ...(resources ? { resource_limits: resources } : {}),
    ...healthcheckFields(probes, restart),
    ...annotated.fields,
    ...(pod.metadata.annotations ? { annotations: pod.metadata.annotations } : {}),
    ...(c.tty ? { terminal: true } : {}),
    ...(c.stdin ? { stdin: true } : {}),
    ...(grace !== undefined ? { stop_timeout: grace } : {}),
    ...(stopSignal !== undefined ? { stop_signal: stopSignal } : {}),
    // Podman kills a container that runs longer than this (counted from its own start).
    ...(deadline !== undefined ? { timeout: deadline } : {}),
    ...(init
      ? {
          init_container_type: pod.metadata.annotations?.[ANNOTATION.initContainerType] ?? "always",
        }
      : { restart_policy: RESTART[restart] }),
    ...(!init && restart === "OnFailure" && ctx.restartTries !== undefined
      ? { restart_tries: ctx.restartTries }
      : {}),
  };
  // Probes live outside the request (kplay runs most of them), but changing one is a change;
  // so is a new value of a Secret it reads (the request names only the Podman secret).
  const secretValues = [...secretDigests, ...mounts.secretDigests];
  const hooks = { ...(postStart ? { postStart } : {}), ...(preStop ? { preStop } : {}) };
  // Services' variables are set when a container is made, never changed in a running one.
  const hashed =
    serviceNames.size === 0
      ? body
      : {
          ...body,
          env: Object.fromEntries(Object.entries(env).filter(([k]) => !serviceNames.has(k))),
        };
  const hash = hashJson({
    body: hashed,
    probes,
    ...(Object.keys(hooks).length > 0 ? { hooks } : {}),
    ...(secretValues.length ? { secrets: secretValues } : {}),
  });
  const readiness = probes.find((p) => p.kind === "readiness");
  // Pod labels on every container, as `podman kube play` puts them, then kplay's own.
  body.labels = {
    ...autoUpdateLabels(pod, c.name),
    ...(pod.metadata.labels ?? {}),
    [LABEL_MANAGED]: "true",
    [LABEL_POD]: ctx.podName,
    [LABEL_CONTAINER]: c.name,
    ...(init ? { [LABEL_INIT]: "true" } : {}),
    ...(ctx.sidecar ? { [LABEL_SIDECAR]: "true" } : {}),
    [LABEL_CONTAINER_HASH]: hash,
    // Whoever stops the container (down, a replacement) runs its preStop hook first.
    ...(preStop ? { [LABEL_PRESTOP]: JSON.stringify(preStop) } : {}),
    // `kplay ps` runs the readiness probe again to tell ready from merely running.
    ...(readiness ? { [LABEL_READINESS]: JSON.stringify(readiness) } : {}),
  };
  const check = imageUserCheck(sc);
  return {
    step: {
      action: "create-container",
      container: c.name,
      name,
      init,
      ...(ctx.sidecar ? { sidecar: true as const } : {}),
      hash,
      request: { method: "POST", path: "/containers/create", body },
      ...(probes.length > 0 ? { probes } : {}),
      withImageEnv: true,
    },
    hostPaths: mounts.hostPaths,
    namedSubPaths: mounts.namedSubPaths,
    ...(postStart ? { postStart } : {}),
    ...(check
      ? {
          imageCheck: {
            action: "check-image-user",
            container: c.name,
            image: c.image,
            ...check,
          },
        }
      : {}),
  };
}

/**
 * The pod's grace period as the API server stores it: a negative one is 1 second (Kubernetes
 * 1.27+ defaults it so), which libpod's unsigned stop timeout can also hold.
 */
export function terminationGrace(pod: Pod): number | undefined {
  const grace = pod.spec.terminationGracePeriodSeconds;
  return grace !== undefined && grace < 0 ? 1 : grace;
}
