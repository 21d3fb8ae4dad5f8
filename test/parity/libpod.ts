/**
 * The few libpod calls the differential suite makes itself: inspect and cleanup, straight over
 * the test service's socket (a podman CLI process per call would cost ~100 ms each).
 */
import { testSocketPath } from "../support/podman.ts";

async function call<T>(method: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://d/v4.0.0/libpod${path}`, {
    method,
    unix: testSocketPath(),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** `GET /pods/NAME/json`, or undefined when there is no such pod. */
export async function inspectPod(name: string): Promise<PodInspect | undefined> {
  const res = await call<PodInspect>("GET", `/pods/${encodeURIComponent(name)}/json`);
  return res.status === 200 ? res.body : undefined;
}

/** `GET /containers/ID/json`. */
export async function inspectContainer(id: string): Promise<ContainerInspect> {
  const res = await call<ContainerInspect>("GET", `/containers/${encodeURIComponent(id)}/json`);
  if (res.status !== 200) throw new Error(`inspect of container ${id} answered ${res.status}`);
  return res.body;
}

/** Names of every volume in the store. */
export async function volumeNames(): Promise<string[]> {
  const res = await call<{ Name: string }[] | null>("GET", "/volumes/json");
  return (res.body ?? []).map((v) => v.Name);
}

/** Removes a pod if it exists (nothing in it runs: plays use --start=false). */
export async function removePod(name: string): Promise<void> {
  if (!(await inspectPod(name))) return;
  await call("POST", `/pods/${encodeURIComponent(name)}/kill?signal=KILL`);
  const res = await call<unknown>("DELETE", `/pods/${encodeURIComponent(name)}?force=true`);
  if (res.status !== 200)
    throw new Error(`removing pod ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Removes a volume. */
export async function removeVolume(name: string): Promise<void> {
  const res = await call<unknown>("DELETE", `/volumes/${encodeURIComponent(name)}?force=true`);
  if (res.status !== 204 && res.status !== 404)
    throw new Error(`removing volume ${name} answered ${res.status}`);
}

/** The parts of `podman pod inspect` the suite reads. */
export interface PodInspect {
  Name: string;
  Hostname: string;
  Labels?: Record<string, string> | null;
  SharedNamespaces?: string[] | null;
  InfraContainerID?: string;
  InfraConfig?: Record<string, unknown> | null;
  Containers: { Id: string; Name: string }[];
}

/** `podman container inspect`, loosely typed: normalize.ts picks the fields it compares. */
export type ContainerInspect = Record<string, unknown> & {
  Id: string;
  Name: string;
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
};
