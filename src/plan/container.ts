import type { Container, Pod, RestartPolicy } from "../manifest/model.ts";
import { hashJson, LABEL_CONTAINER, LABEL_CONTAINER_HASH, LABEL_MANAGED, LABEL_POD } from "./labels.ts";
import type { CreateContainerStep } from "./types.ts";
import { containerMounts, type VolumeBinding } from "./volumes.ts";

/** The Podman name of a container: `<pod>-<container>`, as `podman kube play` names it. */
export function containerName(pod: string, container: string): string {
  return `${pod}-${container}`;
}

const RESTART: Record<RestartPolicy, string> = { Always: "always", OnFailure: "on-failure", Never: "no" };

/**
 * Kubernetes `command` replaces the image ENTRYPOINT and drops its CMD; `args` replaces CMD
 * only. libpod's `entrypoint`/`command` already behave that way (an explicit entrypoint makes
 * Podman ignore the image CMD), so no image inspection is needed here.
 */
function argv(c: Container): { entrypoint?: string[]; command?: string[] } {
  const out: { entrypoint?: string[]; command?: string[] } = {};
  if (c.command && c.command.length > 0) out.entrypoint = c.command;
  if (c.args && c.args.length > 0) out.command = c.args;
  return out;
}

function envMap(c: Container): Record<string, string> | undefined {
  if (!c.env || c.env.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const e of c.env) if (e.value !== undefined || !e.valueFrom) env[e.name] = e.value ?? "";
  return env;
}

/** Translates one Kubernetes container into a libpod container-create request. */
export function planContainer(
  pod: Pod,
  c: Container,
  init: boolean,
  bindings: ReadonlyMap<string, VolumeBinding>,
): CreateContainerStep & { hash: string } {
  const name = containerName(pod.metadata.name, c.name);
  const { mounts, volumes } = containerMounts(c, bindings);
  const grace = pod.spec.terminationGracePeriodSeconds;
  const env = envMap(c);
  const body: Record<string, unknown> = {
    name,
    pod: pod.metadata.name,
    image: c.image,
    ...argv(c),
    ...(env ? { env } : {}),
    ...(c.workingDir ? { work_dir: c.workingDir } : {}),
    ...(mounts.length ? { mounts } : {}),
    ...(volumes.length ? { volumes } : {}),
    ...(pod.metadata.annotations ? { annotations: pod.metadata.annotations } : {}),
    ...(c.tty ? { terminal: true } : {}),
    ...(c.stdin ? { stdin: true } : {}),
    ...(grace !== undefined ? { stop_timeout: grace } : {}),
    ...(init
      ? { init_container_type: "always" }
      : { restart_policy: RESTART[pod.spec.restartPolicy ?? "Always"] }),
  };
  const hash = hashJson(body);
  body.labels = {
    [LABEL_MANAGED]: "true",
    [LABEL_POD]: pod.metadata.name,
    [LABEL_CONTAINER]: c.name,
    [LABEL_CONTAINER_HASH]: hash,
  };
  return {
    action: "create-container",
    container: c.name,
    name,
    init,
    hash,
    request: { method: "POST", path: "/containers/create", body },
  };
}
