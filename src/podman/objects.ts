/**
 * Typed libpod calls on pods, containers and volumes that the executor, `down` and `ps` share.
 */
import type { PodmanClient } from "./client.ts";
import { PodmanApiError } from "./errors.ts";
import { decodeLogStream } from "./logs.ts";

export interface PodInspect {
  readonly Id: string;
  readonly Name: string;
  readonly State: string;
  readonly Labels?: Record<string, string> | null;
  readonly InfraContainerID?: string;
  readonly Created?: string;
  readonly Containers?: { Id: string; Name: string; State: string }[] | null;
  readonly InfraConfig?: {
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]> | null;
  };
}

export interface PodListEntry {
  readonly Id: string;
  readonly Name: string;
  readonly Status: string;
  readonly Created: string;
  readonly Labels?: Record<string, string> | null;
  readonly InfraId?: string;
  readonly Containers?: { Id: string; Names: string; Status: string }[] | null;
}

const enc = encodeURIComponent;

/** Inspects a pod; undefined when it does not exist. */
export async function inspectPod(
  client: PodmanClient,
  name: string,
): Promise<PodInspect | undefined> {
  return inspectOrUndefined<PodInspect>(client, `/pods/${enc(name)}/json`);
}

/** GETs an object's JSON in one request; undefined when Podman has no such object (404). */
async function inspectOrUndefined<T>(client: PodmanClient, path: string): Promise<T | undefined> {
  try {
    return await client.call<T>({ method: "GET", path });
  } catch (e) {
    // Podman 4.3 answers 500 for an object that went between a listing and this request.
    if (
      e instanceof PodmanApiError &&
      (e.status === 404 || /: no such (volume|container|pod)\b/.test(e.message))
    )
      return undefined;
    throw e;
  }
}

/** Lists pods matching a label filter (`key=value`). */
export async function listPods(
  client: PodmanClient,
  ...labels: readonly string[]
): Promise<PodListEntry[]> {
  const filters = JSON.stringify({ label: labels });
  return (
    (await client.call<PodListEntry[]>({
      method: "GET",
      path: "/pods/json",
      query: { filters },
    })) ?? []
  );
}

/**
 * Removes a pod and its containers. With `graceSeconds` 0, or for rollback, the pod is
 * killed first: Podman's stop with t=0 still waits its default timeout, and a forced delete
 * waits the stop timeout when PID 1 ignores SIGTERM.
 */
export async function removePod(
  client: PodmanClient,
  name: string,
  graceSeconds: number | undefined,
): Promise<void> {
  const path = `/pods/${enc(name)}`;
  await stopWithin(client, path, graceSeconds, [304, 409]);
  await client.call({ method: "DELETE", path, query: { force: "true" } }, { ok: [404] });
}

/**
 * Stops the pod or container at `path` within `seconds` (Podman's default when undefined);
 * 0 kills at once, as Podman's stop with t=0 still waits its default timeout. A kill of
 * something that is not running (409) is fine; `stopOk` lists the stop answers that are.
 */
async function stopWithin(
  client: PodmanClient,
  path: string,
  seconds: number | undefined,
  stopOk: number[],
): Promise<void> {
  if (seconds === 0) {
    try {
      await client.call(
        { method: "POST", path: `${path}/kill`, query: { signal: "KILL" } },
        { ok: [409] },
      );
    } catch (e) {
      // Not running (a play killed after it stopped this one): Podman 4.3 says so with a 500.
      if (!(e instanceof PodmanApiError && /state improper/.test(e.message))) throw e;
    }
    return;
  }
  const query: Record<string, string> = seconds === undefined ? {} : { t: String(seconds) };
  await client.call({ method: "POST", path: `${path}/stop`, query }, { ok: stopOk });
}

/** The names of the named volumes a container mounts. */
export async function containerVolumeNames(client: PodmanClient, id: string): Promise<string[]> {
  const c = await client.call<{ Mounts?: { Type: string; Name?: string }[] | null }>({
    method: "GET",
    path: `/containers/${enc(id)}/json`,
  });
  return (c?.Mounts ?? []).flatMap((m) => (m.Type === "volume" && m.Name ? [m.Name] : []));
}

/** Lists volume names matching a label filter. */
export async function listVolumes(client: PodmanClient, label: string): Promise<string[]> {
  // One label only: Podman ORs several label filters of a volume listing.
  const filters = JSON.stringify({ label: [label] });
  const vols = await client.call<{ Name: string }[]>({
    method: "GET",
    path: "/volumes/json",
    query: { filters },
  });
  return (vols ?? []).map((v) => v.Name).sort();
}

/** Removes a volume; a missing one is fine. */
export async function removeVolume(client: PodmanClient, name: string): Promise<void> {
  await client.call(
    { method: "DELETE", path: `/volumes/${enc(name)}`, query: { force: "true" } },
    { ok: [404] },
  );
}

/**
 * Removes a volume other containers may use, without force (forcing would remove them too):
 * "in-use" when Podman refuses because a container still mounts it.
 */
export async function removeSharedVolume(
  client: PodmanClient,
  name: string,
): Promise<"removed" | "in-use"> {
  try {
    await client.call({ method: "DELETE", path: `/volumes/${enc(name)}` }, { ok: [404] });
    return "removed";
  } catch (e) {
    if (e instanceof PodmanApiError && e.status === 409) return "in-use";
    throw e;
  }
}

/**
 * Removes a network unless a container still uses it (Podman 4.3 answers 500, later ones
 * 409: "network is being used"); a missing one is fine.
 */
export async function removeSharedNetwork(
  client: PodmanClient,
  name: string,
): Promise<"removed" | "in-use"> {
  try {
    await client.call({ method: "DELETE", path: `/networks/${enc(name)}` }, { ok: [404] });
    return "removed";
  } catch (e) {
    if (e instanceof PodmanApiError && (e.status === 409 || /being used|in use/i.test(e.message)))
      return "in-use";
    throw e;
  }
}

/** Labels of a network, or undefined when there is none of that name. */
export async function networkLabels(
  client: PodmanClient,
  name: string,
): Promise<Record<string, string> | undefined> {
  const res = await inspectOrUndefined<{ labels?: Record<string, string> | null }>(
    client,
    `/networks/${enc(name)}/json`,
  );
  return res === undefined ? undefined : (res?.labels ?? {});
}

/** Labels of a volume, or undefined when there is none of that name. */
export async function volumeLabels(
  client: PodmanClient,
  name: string,
): Promise<Record<string, string> | undefined> {
  const res = await inspectOrUndefined<{ Labels?: Record<string, string> | null }>(
    client,
    `/volumes/${enc(name)}/json`,
  );
  return res === undefined ? undefined : (res?.Labels ?? {});
}

/** Removes a container (killing it first); a missing one is fine. */
export async function removeContainer(client: PodmanClient, name: string): Promise<void> {
  await client.call(
    { method: "DELETE", path: `/containers/${enc(name)}`, query: { force: "true", t: "0" } },
    { ok: [404] },
  );
}

/** The last lines a container wrote, stdout and stderr interleaved, as text. */
export async function tailLogs(client: PodmanClient, name: string, lines: number): Promise<string> {
  const body = await client.stream({
    method: "GET",
    path: `/containers/${enc(name)}/logs`,
    query: { stdout: "true", stderr: "true", tail: String(lines) },
  });
  const decoder = new TextDecoder();
  let text = "";
  for await (const frame of decodeLogStream(body))
    text += decoder.decode(frame.data, { stream: true });
  return text + decoder.decode();
}

export interface ContainerListEntry {
  readonly Id: string;
  readonly Names: string[];
  readonly State: string;
  readonly ExitCode?: number;
  readonly Labels?: Record<string, string> | null;
  /** Restarts so far, where the list carries it (newer Podmans; 4.3 does not: inspect then). */
  readonly Restarts?: number;
}

/** Lists every container (running or not) of a pod, the infra container included. */
export async function listPodContainers(
  client: PodmanClient,
  podId: string,
): Promise<ContainerListEntry[]> {
  const filters = JSON.stringify({ pod: [podId] });
  return (
    (await client.call<ContainerListEntry[]>({
      method: "GET",
      path: "/containers/json",
      query: { all: "true", filters },
    })) ?? []
  );
}

/** Starts a container; already running is fine. */
export async function startContainer(client: PodmanClient, name: string): Promise<void> {
  await client.call({ method: "POST", path: `/containers/${enc(name)}/start` }, { ok: [304] });
}

/** Stops a container within `seconds` (kills at once for 0, like removePod). */
export async function stopContainer(
  client: PodmanClient,
  name: string,
  seconds: number | undefined,
): Promise<void> {
  const path = `/containers/${enc(name)}`;
  await stopWithin(client, path, seconds, [304]);
  // A kill returns before the container has stopped; a stop returns after.
  if (seconds === 0) {
    await client.call(
      { method: "POST", path: `${path}/wait`, query: { condition: "stopped" } },
      { ok: [404] },
    );
  }
}

/** Renames a container (used to keep the old one aside while its replacement starts). */
export async function renameContainer(
  client: PodmanClient,
  name: string,
  to: string,
): Promise<void> {
  await client.call({
    method: "POST",
    path: `/containers/${enc(name)}/rename`,
    query: { name: to },
  });
}
