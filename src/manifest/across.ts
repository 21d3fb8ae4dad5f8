/**
 * Rules that span pods: Kubernetes keeps one pod per name in a namespace, and on one host
 * two pods cannot publish the same host port. Podman names containers `<pod>-<container>`,
 * so two different pods can also collide there ("a" + "b-c" and "a-b" + "c").
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { podError } from "./context.ts";
import type { FieldPath, PodDocument } from "./model.ts";

/** A pod as the cross-pod rules see it: its Podman name and the object that wants it. */
type NamedPod = PodDocument & { readonly name: string; readonly owner?: string };

interface Seen {
  readonly doc: NamedPod;
  readonly path: FieldPath;
}

/**
 * Every conflict between the pods of one input (workloads' pods included), reported at the
 * later pod. `name` is each pod's Podman name.
 */
export function checkAcrossPods(docs: readonly NamedPod[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = (s: Seen) => {
    const span = s.doc.locate(s.path);
    return span ? `${span.file}:${span.line}:${span.column}` : s.doc.file;
  };
  const report = (code: string, at: Seen, first: Seen, message: string, hint: string) => {
    out.push(podError(at.doc, code, at.path, `${message} (first at ${where(first)})`, hint));
  };
  const pods = new Map<string, Seen>();
  const containers = new Map<string, Seen>();
  const hostPorts = new Map<string, { ip: string; at: Seen }[]>();
  for (const doc of docs) {
    const { pod } = doc;
    const name = doc.name;
    const at: Seen = { doc, path: ["metadata", "name"] };
    const first = pods.get(name);
    if (first) {
      report(
        "duplicate-pod",
        at,
        first,
        `metadata.name: pod "${name}" is defined twice`,
        "Give each pod its own name",
      );
      continue;
    }
    pods.set(name, at);
    const lists = [
      ["initContainers", pod.spec.initContainers ?? []],
      ["containers", pod.spec.containers],
    ] as const;
    for (const [list, items] of lists) {
      items.forEach((c, i) => {
        const podmanName = `${name}-${c.name}`;
        const here: Seen = { doc, path: ["spec", list, i, "name"] };
        const clash = containers.get(podmanName);
        if (clash && clash.doc !== doc) {
          report(
            "name-collision",
            here,
            clash,
            `spec.${list}[${i}].name: Podman would name this container "${podmanName}", like a container of pod "${clash.doc.pod.metadata.name}"`,
            "kplay names containers <pod>-<container>; rename the pod or the container",
          );
        }
        containers.set(podmanName, here);
        (c.ports ?? []).forEach((p, j) => {
          // hostPort 0 means "not published", as the per-pod rule reads it.
          if (p.hostPort === undefined || p.hostPort === 0) return;
          const key = `${p.hostPort}/${p.protocol ?? "TCP"}`;
          const ip = p.hostIP ?? "";
          const portAt: Seen = { doc, path: ["spec", list, i, "ports", j, "hostPort"] };
          const published = hostPorts.get(key) ?? [];
          // Within one pod the per-pod rule already reports duplicates.
          const taken = published.find((x) => x.at.doc !== doc && overlaps(x.ip, ip))?.at;
          const sameOwner = taken && doc.owner !== undefined && taken.doc.owner === doc.owner;
          if (taken && sameOwner) {
            const span = doc.locate(portAt.path);
            out.push({
              code: "duplicate-host-port",
              severity: "error",
              message: `spec.${list}[${i}].ports[${j}].hostPort: ${p.hostPort}/${p.protocol ?? "TCP"} can be published by one pod on this host, and ${doc.owner} wants several`,
              path: `spec.${list}[${i}].ports[${j}].hostPort`,
              ...(span ? { span } : {}),
              hint: "A cluster would leave the other replicas Pending; on one host, use replicas: 1 or drop the hostPort (a Service can publish the port instead)",
            });
          } else if (taken) {
            report(
              "duplicate-host-port",
              portAt,
              taken,
              `spec.${list}[${i}].ports[${j}].hostPort: ${p.hostPort}/${p.protocol ?? "TCP"} is already published by pod "${taken.doc.pod.metadata.name}"`,
              "Two pods on one host cannot publish the same host port; pick another",
            );
          } else {
            hostPorts.set(key, [...published, { ip, at: portAt }]);
          }
        });
      });
    }
  }
  return out;
}

/** Whether two host addresses overlap: the same one, or either is every address. */
function overlaps(a: string, b: string): boolean {
  const any = (ip: string) => ip === "" || ip === "0.0.0.0" || ip === "::";
  return a === b || any(a) || any(b);
}
