/**
 * What the differential suite compares: a pod and its containers as `podman inspect` shows
 * them, reduced to the effective settings (no IDs, no dates, no store paths) and sorted, so
 * that two plays of one manifest give equal views exactly when they behave the same.
 */
import { type ContainerInspect, inspectContainer, inspectPod } from "./libpod.ts";

export interface PodView {
  hostname: string;
  labels: Record<string, string>;
  sharedNamespaces: string[];
  /** `hostIP:hostPort->containerPort/protocol`, sorted. */
  ports: string[];
  hostNetwork: boolean;
  dns: { servers: string[]; search: string[]; options: string[] };
  hosts: string[];
  /** The infra container's namespaces and name. */
  infra: { name: string; pid: string; userns: string; uts: string };
  containers: Record<string, ContainerView>;
}

export interface ContainerView {
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  user: string;
  groups: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  restartPolicy: string;
  capAdd: string[];
  capDrop: string[];
  effectiveCaps: string[];
  privileged: boolean;
  readOnlyRootfs: boolean;
  securityOpt: string[];
  resources: Record<string, number | string>;
  ulimits: string[];
  mounts: MountView[];
  tmpfs: Record<string, string>;
  devices: string[];
  healthcheck: unknown;
  healthcheckOnFailure: string;
  stopSignal: number;
  stopTimeout: number;
  hostname: string;
  tty: boolean;
  stdin: boolean;
  namespaces: { pid: string; ipc: string; uts: string; net: string; userns: string };
  init: boolean;
  autoRemove: boolean;
  volumesFrom: string[];
}

export interface MountView {
  destination: string;
  type: string;
  rw: boolean;
  /** Host path of a bind; the volume name of a named volume. */
  source: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).map(String);
const withoutKplay = (labels: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj(labels)).filter(([k]) => !k.startsWith("io.kplay.")) as [string, string][],
  );

/** Inspects pod `name` and every container in it; undefined when there is no such pod. */
export async function viewPod(
  name: string,
): Promise<{ view: PodView; volumes: string[] } | undefined> {
  const pod = await inspectPod(name);
  if (!pod) return undefined;
  const infraId = pod.InfraContainerID ?? "";
  const inspected = await Promise.all(pod.Containers.map((c) => inspectContainer(c.Id)));
  const infra = inspected.find((c) => c.Id === infraId);
  const infraConfig = obj(pod.InfraConfig);
  const containers: Record<string, ContainerView> = {};
  const volumes: string[] = [];
  for (const c of inspected) {
    for (const m of list(c.Mounts)) if (obj(m).Type === "volume") volumes.push(String(obj(m).Name));
    if (c.Id === infraId) continue;
    containers[c.Name.startsWith(`${name}-`) ? c.Name.slice(name.length + 1) : c.Name] =
      viewContainer(c, infraId);
  }
  const ports = Object.entries(obj(infraConfig.PortBindings)).flatMap(([key, bindings]) =>
    list(bindings).map((b) => `${String(obj(b).HostIp ?? "")}:${String(obj(b).HostPort)}->${key}`),
  );
  const view: PodView = {
    hostname: pod.Hostname,
    labels: withoutKplay(pod.Labels),
    sharedNamespaces: strings(pod.SharedNamespaces).sort(),
    ports: ports.sort(),
    hostNetwork: infraConfig.HostNetwork === true,
    dns: {
      servers: strings(infraConfig.DNSServer),
      search: strings(infraConfig.DNSSearch),
      options: strings(infraConfig.DNSOption),
    },
    hosts: strings(infraConfig.HostAdd),
    infra: {
      // Podman names an unnamed infra `<pod id prefix>-infra`: only a chosen name is kept.
      name: infra && !/^[0-9a-f]{12}-infra$/.test(infra.Name) ? infra.Name : "",
      pid: String(infraConfig.pid_ns ?? ""),
      userns: infra ? String(obj(infra.HostConfig).UsernsMode ?? "") : "",
      uts: String(infraConfig.uts_ns ?? ""),
    },
    containers,
  };
  return { view, volumes };
}

function viewContainer(c: ContainerInspect, infraId: string): ContainerView {
  const config = obj(c.Config);
  const host = obj(c.HostConfig);
  const ns = (v: unknown) => (String(v ?? "") === `container:${infraId}` ? "pod" : String(v ?? ""));
  const env = Object.fromEntries(
    strings(config.Env).map((e) => {
      const i = e.indexOf("=");
      return [e.slice(0, i), e.slice(i + 1)];
    }),
  );
  const annotations = Object.fromEntries(
    Object.entries(obj(config.Annotations)).filter(
      ([k]) => !k.startsWith("io.kubernetes.cri-o."),
    ) as [string, string][],
  );
  const resources: Record<string, number | string> = {};
  for (const key of [
    "Memory",
    "MemoryReservation",
    "CpuQuota",
    "CpuPeriod",
    "CpuShares",
    "PidsLimit",
    "CpusetCpus",
    "CpusetMems",
  ]) {
    const v = host[key];
    if (v !== undefined && v !== 0 && v !== "") resources[key] = v as number | string;
  }
  return {
    argv: [String(c.Path ?? ""), ...strings(c.Args)],
    env,
    workingDir: String(config.WorkingDir ?? ""),
    user: String(config.User ?? ""),
    groups: strings(host.GroupAdd),
    labels: withoutKplay(config.Labels),
    annotations,
    restartPolicy: String(obj(host.RestartPolicy).Name ?? ""),
    capAdd: strings(host.CapAdd).sort(),
    capDrop: strings(host.CapDrop).sort(),
    effectiveCaps: strings(c.EffectiveCaps).sort(),
    privileged: host.Privileged === true,
    readOnlyRootfs: host.ReadonlyRootfs === true,
    securityOpt: strings(host.SecurityOpt).sort(),
    resources,
    ulimits: list(host.Ulimits)
      .map((u) => `${String(obj(u).Name)}=${String(obj(u).Soft)}:${String(obj(u).Hard)}`)
      .sort(),
    mounts: list(c.Mounts)
      .map((m) => obj(m))
      .map((m) => ({
        destination: String(m.Destination),
        type: String(m.Type),
        rw: m.RW === true,
        source: String(m.Type === "volume" ? m.Name : m.Source),
      }))
      .sort((a, b) => (a.destination < b.destination ? -1 : 1)),
    tmpfs: Object.fromEntries(Object.entries(obj(host.Tmpfs)).map(([k, v]) => [k, String(v)])),
    devices: list(host.Devices)
      .map((d) => `${String(obj(d).PathOnHost)}:${String(obj(d).PathInContainer)}`)
      .sort(),
    healthcheck: config.Healthcheck ?? null,
    healthcheckOnFailure: String(config.HealthcheckOnFailureAction ?? ""),
    stopSignal: Number(config.StopSignal ?? 0),
    stopTimeout: Number(config.StopTimeout ?? 0),
    hostname: String(config.Hostname ?? ""),
    tty: config.Tty === true,
    stdin: config.OpenStdin === true,
    namespaces: {
      pid: ns(host.PidMode),
      ipc: ns(host.IpcMode),
      uts: ns(host.UTSMode),
      net: ns(host.NetworkMode),
      userns: ns(host.UsernsMode),
    },
    init: host.Init === true,
    autoRemove: host.AutoRemove === true,
    volumesFrom: strings(host.VolumesFrom),
  };
}
