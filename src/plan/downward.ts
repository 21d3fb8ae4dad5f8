/**
 * The downward API for environment variables: `fieldRef` (pod metadata, node facts) and
 * `resourceFieldRef` (a container's requests and limits), evaluated as the kubelet does.
 * Each function returns the value, or a problem sentence for checks.ts to report.
 */
import { stableUuid } from "../graph/hash.ts";
import type { Container, EnvVarSource, Pod } from "../manifest/model.ts";
import { parseQuantity, type Rational, toBytes, toMilli } from "../manifest/quantity.ts";
import { effectiveResources } from "./resources.ts";
import type { NodeFacts } from "./types.ts";

/** Used when the caller passes no node facts (`kplay plan` offline). */
export const DEFAULT_NODE: NodeFacts = {
  name: "localhost",
  hostIP: "127.0.0.1",
  cpus: 1,
  memoryBytes: 0,
};

export type Evaluated = { ok: true; value: string } | { ok: false; problem: string };

/**
 * The pod's `metadata.uid`: the manifest's own, else a UUID derived from namespace and name,
 * so a plan stays deterministic and a replayed pod keeps its uid.
 */
export function podUid(pod: Pod): string {
  if (pod.metadata.uid) return pod.metadata.uid;
  return stableUuid(`kplay/${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`);
}

/** `metadata.labels['key']` to `["metadata.labels", "key"]`, as Kubernetes' fieldpath splits it. */
function subscript(path: string): [string, string] | undefined {
  const open = path.indexOf("['");
  if (open < 0 || !path.endsWith("']")) return undefined;
  return [path.slice(0, open), path.slice(open + 2, -2)];
}

/** The value of a `fieldRef` env source. */
export function fieldRefValue(pod: Pod, fieldPath: string, node: NodeFacts): Evaluated {
  const ok = (value: string): Evaluated => ({ ok: true, value });
  const sub = subscript(fieldPath);
  if (sub?.[0] === "metadata.labels") return ok(pod.metadata.labels?.[sub[1]] ?? "");
  if (sub?.[0] === "metadata.annotations") return ok(pod.metadata.annotations?.[sub[1]] ?? "");
  switch (fieldPath) {
    case "metadata.name":
      return ok(pod.metadata.name);
    case "metadata.namespace":
      return ok(pod.metadata.namespace ?? "default");
    case "metadata.uid":
      return ok(podUid(pod));
    case "spec.nodeName":
      return ok(node.name);
    case "spec.serviceAccountName":
      return ok("default");
    case "status.hostIP":
    case "status.hostIPs":
      return ok(node.hostIP);
    case "status.podIP":
    case "status.podIPs":
      // A host-network pod has the host's address; any other gets its address only when it
      // starts, after every container was created with its environment.
      if (pod.spec.hostNetwork) return ok(node.hostIP);
      return {
        ok: false,
        problem: `${fieldPath} is not known before the pod starts (it is only known for hostNetwork pods)`,
      };
    default:
      return { ok: false, problem: `fieldPath "${fieldPath}" is not supported` };
  }
}

const CPU_DIVISORS = ["1m", "1"];
const BYTE_DIVISORS = [
  "1",
  "1k",
  "1M",
  "1G",
  "1T",
  "1P",
  "1E",
  "1Ki",
  "1Mi",
  "1Gi",
  "1Ti",
  "1Pi",
  "1Ei",
];

/** The value of a `resourceFieldRef` env source of container `self`. */
export function resourceFieldRefValue(
  pod: Pod,
  self: Container,
  ref: NonNullable<EnvVarSource["resourceFieldRef"]>,
  node: NodeFacts,
): Evaluated {
  const target = ref.containerName
    ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find(
        (c) => c.name === ref.containerName,
      )
    : self;
  if (!target) return { ok: false, problem: `container "${ref.containerName}" is not in this pod` };
  const [kind, resource] = ref.resource.split(".", 2) as [string, string | undefined];
  if (
    (kind !== "limits" && kind !== "requests") ||
    !["cpu", "memory", "ephemeral-storage"].includes(resource ?? "")
  ) {
    return { ok: false, problem: `resource "${ref.resource}" is not supported` };
  }
  const name = resource as string;
  const cpu = name === "cpu";
  const divisorText = ref.divisor === undefined ? "1" : String(ref.divisor);
  const divisor = parseQuantity(divisorText);
  const allowed = cpu ? CPU_DIVISORS : BYTE_DIVISORS;
  if (!divisor.ok || !allowed.some((d) => sameQuantity(d, divisor.value))) {
    return { ok: false, problem: `divisor "${divisorText}" is not one of ${allowed.join(", ")}` };
  }
  const { limits, requests } = effectiveResources(target);
  let value: Rational | undefined = (kind === "limits" ? limits : requests)[name];
  if (value === undefined && kind === "limits") {
    // An unset limit reads as the node's allocatable amount, as in Kubernetes.
    if (name === "ephemeral-storage")
      return {
        ok: false,
        problem:
          "limits.ephemeral-storage is not set and kplay does not know the node's allocatable storage",
      };
    value = cpu
      ? { numerator: BigInt(Math.round(node.cpus * 1000)), denominator: 1000n }
      : { numerator: BigInt(node.memoryBytes), denominator: 1n };
  }
  const amount = value ?? { numerator: 0n, denominator: 1n };
  // CPU is divided in thousandths, bytes in units; both round up (math.Ceil in the kubelet).
  const [n, d] = cpu
    ? [toMilli(amount), toMilli(divisor.value)]
    : [toBytes(amount), toBytes(divisor.value)];
  return { ok: true, value: String(n / d + (n % d > 0n ? 1n : 0n)) };
}

function sameQuantity(text: string, q: Rational): boolean {
  const p = parseQuantity(text);
  return p.ok && p.value.numerator === q.numerator && p.value.denominator === q.denominator;
}

const NODE_FIELDS = new Set([
  "spec.nodeName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
]);

/**
 * Whether any pod reads a node fact (node name, host address, allocatable resources), so
 * the caller asks Podman for them only then: `GET /info` costs about 0.3 s.
 */
export function needsNodeFacts(pods: readonly Pod[]): boolean {
  return pods.some((pod) =>
    [...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) =>
      (c.env ?? []).some(
        (e) =>
          e.valueFrom?.resourceFieldRef !== undefined ||
          NODE_FIELDS.has(e.valueFrom?.fieldRef?.fieldPath ?? ""),
      ),
    ),
  );
}
