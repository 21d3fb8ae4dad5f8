/**
 * What Services make of pods on one host. Each namespace with a Service gets a Podman network
 * with DNS (aardvark-dns); every pod of that namespace joins it, and a pod a Service selects
 * answers to the Service's names (`web`, `web.ns`, `web.ns.svc`, `web.ns.svc.cluster.local`)
 * as a network alias, so the name resolves to every selected pod, as a headless Service does
 * on a cluster. A `port` other than the pod's `targetPort` is mapped inside the pod by kplay's
 * proxy container; NodePort and LoadBalancer ports are published on the host by one selected
 * pod. Services' env vars go into every pod of the namespace, as the kubelet sets them.
 * Pure: the input's Services in, the pods with their network settings out.
 */
import type { Container, Pod } from "../manifest/model.ts";
import type { ServiceObject, ServicePort } from "../manifest/objects.ts";
import { matchesSelector } from "../manifest/selector.ts";
import { NODE_PORT_MAX, NODE_PORT_MIN } from "../manifest/service.ts";
import { hashJson } from "./hash.ts";
import type {
  DesiredObject,
  NetworkResource,
  PodInstance,
  PodNetwork,
  PortMap,
  PublishedPort,
  ServiceResource,
} from "./types.ts";

/** The Podman network of a namespace's pods. */
export function networkName(namespace: string): string {
  return `kplay-${namespace}`;
}

/** The DNS names of a Service (or of a pod under one), shortest first. */
export function serviceNames(name: string, namespace: string): string[] {
  return [
    name,
    `${name}.${namespace}`,
    `${name}.${namespace}.svc`,
    `${name}.${namespace}.svc.cluster.local`,
  ];
}

/** The objects with their pods' network settings, the networks and the Services' summaries. */
export function applyServices(
  objects: readonly DesiredObject[],
  services: readonly ServiceObject[],
): {
  objects: DesiredObject[];
  networks: NetworkResource[];
  services: ServiceResource[];
} {
  const played = services.filter((s) => (s.spec.type ?? "ClusterIP") !== "ExternalName");
  const namespaces = [...new Set(played.map((s) => s.ref.namespace))];
  if (namespaces.length === 0) return { objects: [...objects], networks: [], services: [] };
  // Who publishes what on the host: the first selected pod of each NodePort/LoadBalancer.
  const publishers = new Map<string, PublishedPort[]>();
  const summaries: ServiceResource[] = [];
  const usedNodePorts = new Set(
    played.flatMap((s) => (s.spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : []))),
  );
  for (const s of played) {
    const selected = objects.flatMap((o) => o.pods).filter((p) => selects(s, p));
    const type = s.spec.type ?? "ClusterIP";
    const published: ServiceResource["published"][number][] = [];
    if (type === "NodePort" || type === "LoadBalancer") {
      const first = selected[0];
      (s.spec.ports ?? []).forEach((port, i) => {
        const protocol = port.protocol ?? "TCP";
        if (protocol === "SCTP") return;
        const proto = protocol === "UDP" ? "udp" : "tcp";
        const hostPort =
          type === "LoadBalancer"
            ? port.port
            : (port.nodePort ?? pickNodePort(s, i, usedNodePorts));
        const target = first && targetPort(first.doc.pod, port);
        published.push({
          hostPort,
          port: port.port,
          protocol: proto,
          ...(first ? { pod: first.doc.name } : {}),
        });
        if (!first || target === undefined) return;
        const list = publishers.get(first.doc.name) ?? [];
        list.push({
          service: s.ref.name,
          hostPort,
          containerPort: target,
          protocol: proto,
        });
        publishers.set(first.doc.name, list);
      });
    }
    summaries.push({
      ref: s.ref,
      type,
      headless: s.spec.clusterIP === "None",
      pods: selected.map((p) => p.doc.name),
      published,
    });
  }
  const attach = (p: PodInstance): PodInstance => {
    if (p.doc.pod.spec.hostNetwork || !namespaces.includes(p.doc.namespace)) return p;
    return { ...p, network: podNetwork(p, played, publishers.get(p.doc.name) ?? []) };
  };
  const out = objects.map((o) => {
    const pods = o.pods.map(attach);
    const template = o.template;
    const publishes = pods.some((p) => (p.network?.publish.length ?? 0) > 0);
    return {
      ...o,
      pods,
      ...(template
        ? { template: (slot: number, attempt: number) => attach(template(slot, attempt)) }
        : {}),
      // Two pods cannot publish one host port: a rollout replaces instead of surging.
      ...(publishes && o.rollout.kind === "replicas" && o.rollout.maxSurge > 0
        ? {
            rollout: {
              ...o.rollout,
              maxSurge: 0,
              maxUnavailable: Math.max(o.rollout.maxUnavailable, 1),
            },
          }
        : {}),
    };
  });
  return {
    objects: out,
    networks: namespaces.map((namespace) => ({
      name: networkName(namespace),
      namespace,
      lifetime: "shared",
    })),
    services: summaries,
  };
}

function selects(s: ServiceObject, p: PodInstance): boolean {
  const selector = s.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if (p.doc.namespace !== s.ref.namespace || p.doc.pod.spec.hostNetwork) return false;
  return matchesSelector({ matchLabels: selector }, p.doc.pod.metadata.labels ?? {});
}

/** The port a Service port reaches in a pod: a number, or the named container port. */
export function targetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  const protocol = port.protocol ?? "TCP";
  const all: Container[] = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  for (const c of all)
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? "TCP") === protocol) return p.containerPort;
  return undefined;
}

/** A node port the input did not give: stable for the Service and port, not in use. */
function pickNodePort(s: ServiceObject, index: number, used: Set<number>): number {
  const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const start = Number.parseInt(hashJson([s.ref.namespace, s.ref.name, index]).slice(0, 8), 16);
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_MIN + ((start + i) % span);
    if (!used.has(port)) {
      used.add(port);
      return port;
    }
  }
  return NODE_PORT_MIN;
}

function podNetwork(
  p: PodInstance,
  services: readonly ServiceObject[],
  publish: readonly PublishedPort[],
): PodNetwork {
  const { pod } = p.doc;
  const namespace = p.doc.namespace;
  const inNamespace = services.filter((s) => s.ref.namespace === namespace);
  const aliases: string[] = [];
  const proxies: PortMap[] = [];
  const declared = new Set(
    [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].flatMap((c) =>
      (c.ports ?? []).map((x) => `${x.containerPort}/${(x.protocol ?? "TCP").toLowerCase()}`),
    ),
  );
  for (const s of inNamespace) {
    if (!selects(s, p)) continue;
    aliases.push(...serviceNames(s.ref.name, namespace));
    for (const port of s.spec.ports ?? []) {
      const protocol = port.protocol ?? "TCP";
      if (protocol === "SCTP") continue;
      const proto = protocol === "UDP" ? "udp" : "tcp";
      const target = targetPort(pod, port);
      // Same port: the app answers itself. A port the pod's own containers declare, or one
      // another Service already maps: the pod has it, nothing can map it again.
      if (target === undefined || target === port.port || declared.has(`${port.port}/${proto}`))
        continue;
      if (proxies.some((x) => x.port === port.port && x.protocol === proto)) continue;
      proxies.push({ port: port.port, target, protocol: proto });
    }
  }
  // A pod's own name under its subdomain, when a Service of that name exists (as kube-dns).
  const sub = pod.spec.subdomain;
  if (sub && inNamespace.some((s) => s.ref.name === sub)) {
    const host = pod.spec.hostname ?? pod.metadata.name;
    aliases.push(...serviceNames(`${host}.${sub}`, namespace));
  }
  return {
    network: networkName(namespace),
    aliases: [...new Set(aliases)],
    proxies: proxies.sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1)),
    publish,
    env: pod.spec.enableServiceLinks === false ? [] : serviceEnv(inNamespace),
  };
}

/**
 * The env vars the kubelet gives every container for each Service of the namespace (but
 * headless ones), with the Service's name where a cluster has its virtual IP: kplay has no
 * virtual IPs, and the name resolves to the selected pods.
 */
export function serviceEnv(services: readonly ServiceObject[]): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const sorted = [...services].sort((a, b) => (a.ref.name < b.ref.name ? -1 : 1));
  for (const s of sorted) {
    if (s.spec.clusterIP === "None" || !s.spec.selector) continue;
    const ports = s.spec.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    const prefix = envName(s.ref.name);
    const host = s.ref.name;
    out.push({ name: `${prefix}_SERVICE_HOST`, value: host });
    out.push({ name: `${prefix}_SERVICE_PORT`, value: String(first.port) });
    for (const p of ports)
      if (p.name)
        out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
    const url = (p: ServicePort) => `${(p.protocol ?? "TCP").toLowerCase()}://${host}:${p.port}`;
    out.push({ name: `${prefix}_PORT`, value: url(first) });
    for (const p of ports) {
      const protocol = p.protocol ?? "TCP";
      const key = `${prefix}_PORT_${p.port}_${protocol}`;
      out.push({ name: key, value: url(p) });
      out.push({ name: `${key}_PROTO`, value: protocol.toLowerCase() });
      out.push({ name: `${key}_PORT`, value: String(p.port) });
      out.push({ name: `${key}_ADDR`, value: host });
    }
  }
  return out;
}

function envName(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}
