import { LABEL_MANAGED, LABEL_POD } from "../plan/labels.ts";
import { imageUserProblem } from "../plan/security.ts";
import type {
  CheckHostPortsStep,
  PodPlan,
  PostStartStep,
  PrepareVolumesStep,
  Step,
  VolumeFill,
} from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import {
  inspectPod,
  removeContainer,
  removeVolume,
  tailLogs,
  volumeLabels,
} from "../podman/objects.ts";
import { directoryTar, type TarDirectory, type TarEntry, tarOf } from "../podman/tar.ts";
import { compareVersions } from "../podman/version.ts";
import { TransportError } from "../transport/types.ts";
import { PlayError, PodPlayFailed } from "./errors.ts";
import { POST_START_MS, runHook } from "./hooks.ts";
import type { HostFs } from "./hostpath.ts";
import {
  ensureImage,
  type ImageEvent,
  type ImageFacts,
  readImageFacts,
  withImageEnv,
} from "./images.ts";
import { type CreatedEntry, Journal } from "./journal.ts";
import type { SecretValues } from "./secrets.ts";

export interface ExecuteOptions {
  readonly hostFs: HostFs;
  /** The libpod API version Podman reported, for `require-podman` steps. */
  readonly apiVersion: string;
  /**
   * The lowest port an unprivileged process may bind, when Podman is rootless on this host
   * (for `check-host-ports` steps); undefined when Podman may bind any port.
   */
  readonly unprivilegedPortStart?: number;
  /** Recreate an existing pod of the same name even when nothing changed. */
  readonly replace?: boolean;
  /** Keep what was created when a step fails (for debugging). */
  readonly keepOnError?: boolean;
  /** Aborting stops after the request in flight and rolls back. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ImageEvent) => void;
  /**
   * What each image gave its ensure-image step, shared by every pod of one play so an image
   * is inspected once; filled as the steps run.
   */
  readonly images: Map<string, ImageFacts>;
  /** The input's Secret values, for the registry credentials of imagePullSecrets. */
  readonly secretValues?: SecretValues;
}

/** What the steps learned as they ran: IDs and Podman's warnings. */
export interface StepState {
  id: string;
  containers: PlayedContainer[];
  warnings: string[];
}

/** What play did to a pod or container. */
export type PlayAction = "created" | "unchanged" | "updated" | "recreated" | "started" | "removed";

export interface PlayedContainer {
  readonly container: string;
  readonly name: string;
  readonly id: string;
  readonly init: boolean;
  readonly action: PlayAction;
}

export interface PlayedPod {
  readonly name: string;
  readonly id: string;
  readonly action: PlayAction;
  /** Why a pod was recreated, for the user. */
  readonly reason?: string;
  readonly infraId?: string;
  readonly containers: readonly PlayedContainer[];
  readonly warnings: readonly string[];
}

/**
 * Creates one pod from its plan as a transaction: every object created is journaled, and on
 * any failure (or abort) exactly those objects are removed again, newest first. The pod must
 * not exist (see converge.ts for what happens when it does).
 */
export async function createPod(
  client: PodmanClient,
  plan: PodPlan,
  options: ExecuteOptions,
): Promise<PlayedPod> {
  const journal = new Journal();
  const state: StepState = { id: "", containers: [], warnings: [] };
  try {
    for (const step of plan.steps) {
      if (options.signal?.aborted) throw new PlayError("Interrupted");
      await runStep(client, step, journal, state, options);
    }
    // A signal that arrived during the last request still asks for the rollback kplay announced.
    if (options.signal?.aborted) throw new PlayError("Interrupted");
  } catch (cause) {
    const detailed = await explainFailure(client, cause, state.containers, plan.name);
    if (options.keepOnError) throw new PodPlayFailed(plan.name, detailed, [], [], true);
    const { removed, leftovers } = await journal.rollback(client, options.hostFs);
    throw new PodPlayFailed(plan.name, detailed, removed, leftovers, false);
  }
  const inspected = await inspectPod(client, plan.name);
  return {
    name: plan.name,
    id: state.id,
    action: "created",
    ...(inspected?.InfraContainerID ? { infraId: inspected.InfraContainerID } : {}),
    containers: state.containers,
    warnings: state.warnings,
  };
}

/**
 * Runs the steps `select` picks, in plan order, journaling into `journal`: if one fails,
 * what the journal holds (host paths, helper containers) is removed again and the failure is
 * a PodPlayFailed. For the checks that must pass before an existing pod is touched.
 */
export async function runSteps(
  client: PodmanClient,
  plan: PodPlan,
  options: ExecuteOptions,
  state: StepState,
  journal: Journal,
  select: (step: Step) => boolean,
): Promise<void> {
  try {
    for (const step of plan.steps) {
      if (select(step)) await runStep(client, step, journal, state, options);
    }
  } catch (cause) {
    const { removed, leftovers } = await journal.rollback(client, options.hostFs);
    throw new PodPlayFailed(plan.name, cause, removed, leftovers, false);
  }
}

/** Carries out one step, journaling what it creates. */
export async function runStep(
  client: PodmanClient,
  step: Step,
  journal: Journal,
  state: StepState,
  options: ExecuteOptions,
): Promise<void> {
  switch (step.action) {
    case "require-podman":
      if (compareVersions(options.apiVersion, step.version) < 0) {
        throw new PlayError(
          `${step.feature} needs Podman ${step.version} or newer; this Podman's API is ${options.apiVersion}`,
        );
      }
      return;
    case "check-host-ports":
      checkHostPorts(step.ports, options.unprivilegedPortStart);
      return;
    case "ensure-image": {
      const facts = await ensureImage(
        client,
        step,
        options.onEvent ?? (() => {}),
        options.signal,
        options.secretValues,
      );
      options.images.set(step.image, facts);
      return;
    }
    case "check-image-user": {
      const facts = await imageFacts(client, step.image, options);
      const problem = imageUserProblem(facts.user, step);
      if (problem)
        throw new PlayError(`Container "${step.container}" (image "${step.image}"): ${problem}`);
      return;
    }
    case "prepare-host-path": {
      const created = options.hostFs.prepare(step.path, step.type);
      if (created) journal.record({ kind: "host-path", name: step.path, created });
      return;
    }
    case "create-volume": {
      const create = () =>
        recordCreate(journal, { kind: "volume", name: step.name }, () => client.call(step.request));
      try {
        await create();
      } catch (e) {
        // A volume of this pod left by a play that was killed before the pod existed (the
        // pod is made after its volumes): an emptyDir starts empty, so it is made again.
        const labels =
          e instanceof PodmanApiError ? await volumeLabels(client, step.name) : undefined;
        const pod = (step.request.body as { Label?: Record<string, string> }).Label?.[LABEL_POD];
        if (labels?.[LABEL_MANAGED] !== "true" || labels[LABEL_POD] !== pod) throw e;
        await removeVolume(client, step.name);
        await create();
      }
      return;
    }
    case "ensure-volume": {
      if (await client.exists(step.exists.path)) return;
      try {
        await recordCreate(journal, { kind: "claim", name: step.name }, () =>
          client.call(step.request),
        );
      } catch (e) {
        // Another pod of this run created it between the check and the create (Podman 4.3
        // answers 500 "volume already exists", later ones 409): use it.
        if (!(e instanceof PodmanApiError && (await client.exists(step.exists.path)))) throw e;
      }
      return;
    }
    case "prepare-volumes":
      return prepareVolumes(client, step, journal);
    case "create-pod": {
      const res = await recordCreate(journal, { kind: "pod", name: step.name }, () =>
        client.call<{ Id: string }>(step.request),
      );
      state.id = res.Id;
      return;
    }
    case "create-container": {
      const body = step.request.body as { image: string; env?: Record<string, string> };
      const env = withImageEnv(await imageFacts(client, body.image, options), body.env);
      const request = { ...step.request, body: { ...body, env } };
      const res = await recordCreate(journal, { kind: "container", name: step.name }, () =>
        client.call<{ Id: string; Warnings?: string[] | null }>(request),
      );
      state.containers.push({
        container: step.container,
        name: step.name,
        id: res.Id,
        init: step.init,
        action: "created",
      });
      for (const w of res.Warnings ?? []) state.warnings.push(`${step.name}: ${w}`);
      return;
    }
    case "start-pod": {
      // Podman answers 200 with a non-empty Errs list when some container failed to start.
      const res = await client.call<{ Errs?: string[] | null }>(step.request);
      if (res?.Errs && res.Errs.length > 0) {
        throw new PodmanApiError("POST", step.request.path, 200, res.Errs.join("; "));
      }
      return;
    }
    case "post-start": {
      const warning = await runPostStart(client, step, options.signal);
      if (warning) state.warnings.push(warning);
      return;
    }
    default:
      return unreachable(step);
  }
}

function unreachable(step: never): never {
  throw new Error(`unknown plan step ${JSON.stringify(step)}`);
}

/**
 * Runs a postStart hook. It fails the play when the container still runs (the kubelet would
 * kill it); a container that already ended (a quick Job) only gets a warning.
 */
export async function runPostStart(
  client: PodmanClient,
  step: PostStartStep,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const c = await client.call<{ Pod?: string; State?: { Running?: boolean } }>({
    method: "GET",
    path: `/containers/${encodeURIComponent(step.name)}/json`,
  });
  const pod = c?.Pod ? await inspectPod(client, c.Pod) : undefined;
  if (!pod) throw new PlayError(`${step.name}: its pod is gone before its postStart hook ran`);
  const r = await runHook(client, pod, step.name, step.handler, POST_START_MS, signal);
  if (r.ok) return undefined;
  const after = await client.call<{ State?: { Running?: boolean } }>({
    method: "GET",
    path: `/containers/${encodeURIComponent(step.name)}/json`,
  });
  const why = `the postStart hook of container "${step.container}" failed: ${r.reason}`;
  if (after?.State?.Running !== true) return `${step.name}: ${why} (the container had ended)`;
  throw new PlayError(`${step.name}: ${why}`);
}

/** The facts of an image this play ensured, or read now (a step run without its ensure). */
async function imageFacts(
  client: PodmanClient,
  image: string,
  options: ExecuteOptions,
): Promise<ImageFacts> {
  const known = options.images.get(image);
  if (known) return known;
  const facts = await readImageFacts(client, image);
  if (!facts) throw new PlayError(`Image "${image}" is not present`);
  options.images.set(image, facts);
  return facts;
}

/**
 * Prepares volume content through a helper container that is never started (see
 * PrepareVolumesStep): the missing folders of subPaths (a folder that exists is left exactly
 * as it is; a new one gets its volume's permissions, as the kubelet gives it, and root as
 * owner), then the files of projected volumes.
 */
export async function prepareVolumes(
  client: PodmanClient,
  step: PrepareVolumesStep,
  journal: Journal,
): Promise<void> {
  const entry = { kind: "container", name: step.name } as const;
  // A helper left by a run that was killed outright would block the name.
  await removeContainer(client, step.name);
  await recordCreate(journal, entry, () => client.call(step.request));
  const missing: TarDirectory[] = [];
  // kplay/<n> is a volume's root, mounted by the helper: its mode is the one to copy.
  const roots = new Map<string, { mode: number } | undefined>();
  const checked = new Set<string>();
  for (const folder of step.folders) {
    const parts = folder.split("/");
    const volume = parts.slice(0, 2).join("/");
    if (!roots.has(volume)) roots.set(volume, await client.statPath(step.name, `/${volume}`));
    const root = roots.get(volume);
    for (let i = 3; i <= parts.length; i++) {
      const path = parts.slice(0, i).join("/");
      if (checked.has(path)) continue; // a parent shared with an earlier folder
      checked.add(path);
      if (await client.statPath(step.name, `/${path}`)) continue;
      missing.push({ path, mode: (root?.mode ?? 0o755) & 0o777 });
    }
  }
  // One archive per volume, extracted at its root: libpod resolves the target path to the
  // volume's mountpoint, not each entry's path (one archive at / would land in the helper).
  for (const root of roots.keys()) {
    const inside = missing
      .filter((m) => m.path.startsWith(`${root}/`))
      .map((m) => ({ ...m, path: m.path.slice(root.length + 1) }));
    if (inside.length === 0) continue;
    await client.call({
      method: "PUT",
      path: `/containers/${encodeURIComponent(step.name)}/archive`,
      query: { path: `/${root}` },
      body: directoryTar(inside, Date.now() / 1000),
    });
  }
  for (const fill of step.projections) await writeProjection(client, step.name, fill);
  await removeContainer(client, step.name);
  journal.forget(entry);
}

/**
 * Writes a projected volume as the kubelet's AtomicWriter does: the files into a new
 * `..<hash>` directory, then `..data` pointing at it and each top-level name pointing into
 * `..data`, so a process never sees half the new files. Empty files stand where Secret files
 * are mounted over the volume, for the runtime to mount onto (the volume is read-only).
 */
export async function writeProjection(
  client: PodmanClient,
  helper: string,
  fill: VolumeFill,
): Promise<void> {
  const now = Date.now() / 1000;
  const entries: TarEntry[] = [{ type: "dir", path: fill.dataDir, mode: 0o755 }];
  const dirs = new Set<string>();
  const tops = new Set<string>();
  for (const f of fill.files) {
    const parts = f.path.split("/");
    tops.add(parts[0] ?? f.path);
    for (let i = 1; i < parts.length; i++) {
      const dir = `${fill.dataDir}/${parts.slice(0, i).join("/")}`;
      if (!dirs.has(dir)) entries.push({ type: "dir", path: dir, mode: 0o755 });
      dirs.add(dir);
    }
    const data =
      f.base64 !== undefined ? base64Bytes(f.base64) : new TextEncoder().encode(f.text ?? "");
    entries.push({ type: "file", path: `${fill.dataDir}/${f.path}`, mode: f.mode, data });
  }
  entries.push({ type: "symlink", path: "..data", target: fill.dataDir });
  for (const top of [...tops].sort())
    entries.push({ type: "symlink", path: top, target: `..data/${top}` });
  for (const point of fill.mountPoints)
    entries.push({ type: "file", path: point, mode: 0o644, data: new Uint8Array() });
  await client.call({
    method: "PUT",
    path: `/containers/${encodeURIComponent(helper)}/archive`,
    query: { path: `/${fill.root}` },
    body: tarOf(entries, now),
  });
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Sends a create and journals the object. When the answer is lost (the connection dropped
 * after the request was sent), Podman may have created it anyway: it is journaled as
 * uncertain, and the rollback removes it only if it exists.
 */
/**
 * Refuses a host port rootless Podman cannot bind (`floor`: its unprivileged port start;
 * undefined when Podman may bind any), with the fix: a container's hostPort, or a port a
 * Service publishes.
 */
export function checkHostPorts(
  ports: CheckHostPortsStep["ports"],
  floor: number | undefined,
): void {
  const low = floor === undefined ? undefined : ports.find((p) => p.hostPort < floor);
  if (!low || floor === undefined) return;
  if (low.service !== undefined)
    throw new PlayError(
      `Service "${low.service}" publishes port ${low.hostPort} on the host, below ${floor}, which rootless Podman cannot bind; use a port (LoadBalancer) or nodePort of ${floor} or more, or lower net.ipv4.ip_unprivileged_port_start (sudo sysctl net.ipv4.ip_unprivileged_port_start=${low.hostPort})`,
    );
  throw new PlayError(
    `hostPort ${low.hostPort} of container "${low.container}" is below ${floor}, which rootless Podman cannot bind; use a hostPort of ${floor} or more (or lower net.ipv4.ip_unprivileged_port_start)`,
  );
}

export async function recordCreate<T>(
  journal: Journal,
  entry: CreatedEntry,
  send: () => Promise<T>,
): Promise<T> {
  try {
    const res = await send();
    journal.record(entry);
    return res;
  } catch (e) {
    if (e instanceof TransportError) journal.record({ ...entry, uncertain: true });
    throw e;
  }
}

/** Replaces container IDs in Podman's message by names, and adds a failed init's last lines. */
export async function explainFailure(
  client: PodmanClient,
  cause: unknown,
  containers: readonly PlayedContainer[],
  pod?: string,
): Promise<unknown> {
  if (!(cause instanceof PodmanApiError)) return cause;
  let detail = cause.detail;
  for (const c of containers) detail = detail.split(c.id).join(`"${c.name}"`);
  // The infra container fails first when a port cannot be bound: name it too.
  const infra =
    pod && /[0-9a-f]{64}/.test(detail)
      ? (await inspectPod(client, pod).catch(() => undefined))?.InfraContainerID
      : undefined;
  if (infra) detail = detail.split(infra).join(`the infra container of pod "${pod}"`);
  const failedInit = containers.find((c) => c.init && cause.detail.includes(c.id));
  if (failedInit) detail += await lastLines(client, failedInit.name);
  return new PodmanApiError(cause.method, cause.path, cause.status, detail);
}

/**
 * The last 10 lines a container wrote, as a block to append to a failure message
 * (`\nlast lines of "<name>":` then each line as `  | …`), or "" when there are none.
 */
export async function lastLines(client: PodmanClient, name: string): Promise<string> {
  const logs = await tailLogs(client, name, 10).catch(() => "");
  if (!logs.trim()) return "";
  const lines = logs
    .trimEnd()
    .split("\n")
    .map((l) => `  | ${l}`);
  return `\nlast lines of "${name}":\n${lines.join("\n")}`;
}
