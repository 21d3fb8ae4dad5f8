import type { PodNetwork } from "../graph/types.ts";
import type { Pod } from "../manifest/model.ts";
import { ANNOTATION } from "./annotations.ts";
import { publishedHostPorts } from "./host-ports.ts";
import { LABEL_MANAGED } from "./labels.ts";
import { podNamespaceFields } from "./namespaces.ts";
import { probeHandler, probePort } from "./probes.ts";
import type { PlanOptions } from "./types.ts";

/**
 * Every distinct hostPort of the pod's containers, published on the pod (its infra holds the
 * netns); an init and an app container asking for the same one get it once.
 * A host-network pod publishes nothing: its ports already are the host's.
 */
function portMappings(pod: Pod, network: PodNetwork | undefined, address: string): object[] {
  const out: object[] = [];
  if (pod.spec.hostNetwork) return out;
  // NodePort and LoadBalancer Services this pod publishes for (graph/services.ts).
  for (const p of network?.publish ?? [])
    out.push({
      container_port: p.containerPort,
      host_port: p.hostPort,
      host_ip: address,
      protocol: p.protocol,
    });
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const published = new Set<number>();
  for (const { port: p } of publishedHostPorts(pod).mappings) {
    if ((p.protocol ?? "TCP") === "TCP") published.add(p.containerPort);
    out.push({
      container_port: p.containerPort,
      host_port: p.hostPort,
      ...(p.hostIP ? { host_ip: p.hostIP } : {}),
      protocol: (p.protocol ?? "TCP").toLowerCase(),
    });
  }
  // kplay's own prober (play --wait, ps) reaches httpGet, tcpSocket and grpc probes from the
  // host: a probed port without a hostPort gets a free port on 127.0.0.1 only (host_port 0).
  for (const c of all) {
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      const h = probe && probeHandler(c, probe);
      const port = h && probePort(h);
      // A port name the container does not declare is nothing to publish.
      if (typeof port !== "number" || published.has(port)) continue;
      published.add(port);
      out.push({ container_port: port, host_port: 0, host_ip: "127.0.0.1", protocol: "tcp" });
    }
  }
  return out;
}

/**
 * /etc/hosts and /etc/resolv.conf. dnsConfig entries replace Podman's defaults (as with
 * `podman kube play`); with dnsPolicy None there is also no inherited search list, which
 * Podman spells `.`.
 */
function nameResolution(pod: Pod): Record<string, unknown> {
  const { hostAliases, dnsConfig, dnsPolicy } = pod.spec;
  const out: Record<string, unknown> = {};
  const hosts = (hostAliases ?? []).flatMap((a) => (a.hostnames ?? []).map((h) => `${h}:${a.ip}`));
  if (hosts.length > 0) out.hostadd = hosts;
  if (dnsConfig?.nameservers?.length) out.dns_server = dnsConfig.nameservers;
  if (dnsConfig?.searches?.length) out.dns_search = dnsConfig.searches;
  else if (dnsPolicy === "None") out.dns_search = ["."];
  const options = (dnsConfig?.options ?? []).map((o) =>
    o.value === undefined ? o.name : `${o.name}:${o.value}`,
  );
  if (options.length > 0) out.dns_option = options;
  return out;
}

/**
 * The pod's hostname as the kubelet sets it: spec.hostname, else the pod's name cut to 63
 * characters (a pod name may have 253, a hostname not) without the `-` and `.` the cut may
 * leave at its end.
 */
export function podHostname(pod: Pod): string {
  if (pod.spec.hostname) return pod.spec.hostname;
  const name = pod.metadata.name;
  if (name.length <= MAX_HOSTNAME) return name;
  let end = MAX_HOSTNAME;
  while (end > 0 && (name[end - 1] === "-" || name[end - 1] === ".")) end--;
  return name.slice(0, end);
}

const MAX_HOSTNAME = 63;

/** The body of `POST /libpod/pods/create`, without kplay's hash label. */
export function podCreateBody(
  pod: Pod,
  name: string,
  options: PlanOptions,
  network?: PodNetwork,
): Record<string, unknown> {
  const mappings = portMappings(pod, network, options.serviceAddress ?? "127.0.0.1");
  const sysctls = pod.spec.securityContext?.sysctls ?? [];
  const infraName = pod.metadata.annotations?.[ANNOTATION.infraName];
  return {
    name,
    // A host-network pod has the host's UTS namespace, hence its name.
    ...(pod.spec.hostNetwork ? {} : { hostname: podHostname(pod) }),
    labels: { ...(pod.metadata.labels ?? {}), [LABEL_MANAGED]: "true" },
    ...podNamespaceFields(pod),
    // On its namespace's network, answering to its Services' names.
    ...(network
      ? {
          netns: { nsmode: "bridge" },
          Networks: {
            [network.network]: network.aliases.length > 0 ? { aliases: network.aliases } : {},
          },
        }
      : {}),
    ...(mappings.length ? { portmappings: mappings } : {}),
    ...nameResolution(pod),
    // Pod sysctls are namespaced (net.*, kernel.shm*, …): set on the infra container, they
    // hold for every member through the namespaces they share.
    ...(sysctls.length
      ? { sysctl: Object.fromEntries(sysctls.map((s) => [s.name, s.value])) }
      : {}),
    ...(infraName ? { infra_name: infraName } : {}),
    ...(options.infraImage ? { infra_image: options.infraImage } : {}),
  };
}
