/**
 * The check of a Service, as the API server's ValidateService judges one (types, ports, their
 * names and target ports, node ports, headless rules), plus what kplay cannot give a Service
 * on one host (an ExternalName's CNAME, a selector-less Service's manual Endpoints): warnings,
 * since the YAML is valid.
 */
import * as v from "valibot";
import { hasErrors } from "../diagnostics/diagnostic.ts";
import { checkName, checkUnique, fail, isSet } from "./check.ts";
import { mapping, type ObjectContext, quote, report } from "./context.ts";
import { checkFields } from "./fields.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Label, checkDns1123Subdomain, checkPortName } from "./names.ts";
import type { ObjectMeta, ServiceSpec } from "./objects.ts";
import { checkMetadata } from "./rules.ts";
import { ObjectMetaFields, StringMapSchema } from "./schema.ts";
import { validateShape } from "./validate.ts";

/** What a Service yields once checked. */
export interface CheckedService {
  readonly kind: "Service";
  readonly metadata: ObjectMeta;
  readonly spec: ServiceSpec;
}

/** The node port range of a default cluster (kube-apiserver --service-node-port-range). */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

const opt = v.exactOptional;
const str = v.string();
const int = v.pipe(v.number(), v.integer());
const TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;
const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;

const SCHEMA = v.object({
  metadata: v.object(ObjectMetaFields),
  spec: opt(
    v.object({
      type: opt(v.picklist(TYPES)),
      selector: opt(StringMapSchema),
      ports: opt(
        v.array(
          v.object({
            name: opt(str),
            protocol: opt(v.picklist(PROTOCOLS)),
            appProtocol: opt(str),
            port: int,
            targetPort: opt(v.union([int, str])),
            nodePort: opt(int),
          }),
        ),
      ),
      clusterIP: opt(str),
      clusterIPs: opt(v.array(str)),
      externalName: opt(str),
      sessionAffinity: opt(v.picklist(["ClientIP", "None"])),
      externalTrafficPolicy: opt(v.picklist(["Cluster", "Local"])),
      internalTrafficPolicy: opt(v.picklist(["Cluster", "Local"])),
      publishNotReadyAddresses: opt(v.boolean()),
    }),
  ),
});

/** Checks a Service; returns it when it has no error. */
export function checkService(
  ctx: ObjectContext,
  type: string,
  value: Record<string, unknown>,
): CheckedService | undefined {
  const before = ctx.diagnostics.length;
  const reported = new Set<string>();
  checkFields(ctx, value, reported, type);
  const typed = validateShape<{ metadata: ObjectMeta; spec?: ServiceSpec }>(
    ctx,
    SCHEMA,
    value,
    reported,
  );
  const metadata = mapping(value.metadata);
  // A Service's name is a DNS label: it becomes a host name and env var prefixes.
  if (metadata) checkMetadata(ctx, metadata, reported, "service", checkDns1123Label);
  if (!typed) return undefined;
  const spec: ServiceSpec = typed.spec ?? {};
  checkSpec(ctx, spec, reported);
  if (hasErrors(ctx.diagnostics.slice(before))) return undefined;
  warnUnplayable(ctx, spec);
  return { kind: "Service", metadata: typed.metadata, spec };
}

function checkSpec(ctx: ObjectContext, spec: ServiceSpec, reported: ReadonlySet<string>): void {
  const type = spec.type ?? "ClusterIP";
  const headless = spec.clusterIP === "None";
  const ports = spec.ports ?? [];
  if (type === "ExternalName") {
    if (!isSet(spec.externalName) || spec.externalName === "")
      fail(
        ctx,
        "missing-field",
        ["spec", "externalName"],
        "required for type ExternalName",
        reported,
      );
    else
      checkName(
        ctx,
        ["spec", "externalName"],
        spec.externalName?.replace(/\.$/, ""),
        "external name (a DNS-1123 subdomain)",
        checkDns1123Subdomain,
        reported,
      );
    if (spec.clusterIP !== undefined && spec.clusterIP !== "")
      fail(
        ctx,
        "bad-service",
        ["spec", "clusterIP"],
        "must be empty for type ExternalName",
        reported,
      );
  } else if (ports.length === 0 && !headless) {
    fail(ctx, "missing-field", ["spec", "ports"], "required (at least one port)", reported, {
      hint: "Only a headless Service (clusterIP: None) may have no ports",
    });
  }
  if (headless && (type === "NodePort" || type === "LoadBalancer"))
    fail(
      ctx,
      "bad-service",
      ["spec", "clusterIP"],
      `may not be None for type ${type}: a headless Service has no port to publish`,
      reported,
    );
  const names = new Map<string, FieldPath>();
  const numbers = new Map<string, FieldPath>();
  const nodePorts = new Map<string, FieldPath>();
  ports.forEach((p, i) => {
    const at: FieldPath = ["spec", "ports", i];
    if (ports.length > 1 && !p.name)
      fail(
        ctx,
        "missing-field",
        [...at, "name"],
        "required when a Service has more than one port",
        reported,
      );
    if (p.name) {
      if (
        !checkName(
          ctx,
          [...at, "name"],
          p.name,
          "port name (a DNS-1123 label)",
          checkDns1123Label,
          reported,
        )
      )
        checkUnique(ctx, names, p.name, [...at, "name"], `port name ${quote(p.name)}`, reported);
    }
    const protocol = p.protocol ?? "TCP";
    if (p.port < 1 || p.port > 65535)
      fail(
        ctx,
        "port-range",
        [...at, "port"],
        `${p.port} is not a port number (1-65535)`,
        reported,
      );
    else
      checkUnique(
        ctx,
        numbers,
        `${p.port}/${protocol}`,
        [...at, "port"],
        `port ${p.port}/${protocol}`,
        reported,
      );
    const target = p.targetPort;
    if (typeof target === "number" && (target < 1 || target > 65535))
      fail(
        ctx,
        "port-range",
        [...at, "targetPort"],
        `${target} is not a port number (1-65535)`,
        reported,
      );
    if (typeof target === "string")
      checkName(
        ctx,
        [...at, "targetPort"],
        target,
        "port name (an IANA service name)",
        checkPortName,
        reported,
      );
    if (p.nodePort !== undefined) {
      if (type !== "NodePort" && type !== "LoadBalancer")
        fail(ctx, "bad-service", [...at, "nodePort"], `may not be set for type ${type}`, reported, {
          hint: "Only NodePort and LoadBalancer Services have node ports",
        });
      else if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX)
        fail(
          ctx,
          "bad-service",
          [...at, "nodePort"],
          `${p.nodePort} is outside the node port range ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
          reported,
          { hint: "A cluster allocates node ports from this range; leave nodePort out to get one" },
        );
      else
        checkUnique(
          ctx,
          nodePorts,
          `${p.nodePort}/${protocol}`,
          [...at, "nodePort"],
          `node port ${p.nodePort}/${protocol}`,
          reported,
        );
    }
  });
  if (spec.externalTrafficPolicy !== undefined && type !== "NodePort" && type !== "LoadBalancer")
    fail(
      ctx,
      "bad-service",
      ["spec", "externalTrafficPolicy"],
      `may only be set for type NodePort or LoadBalancer, not ${type}`,
      reported,
    );
}

/** Valid YAML kplay cannot make work on Podman: said, and the rest of the Service is played. */
function warnUnplayable(ctx: ObjectContext, spec: ServiceSpec): void {
  const type = spec.type ?? "ClusterIP";
  if (type === "ExternalName") {
    report(
      ctx,
      "unsupported-service",
      "warning",
      ["spec", "type"],
      "spec.type: ExternalName is not played: Podman's DNS (aardvark-dns) has no CNAME records, so the name does not resolve",
      "Use the external host name directly, or hostAliases for a fixed address",
    );
    return;
  }
  if (spec.selector === undefined || Object.keys(spec.selector).length === 0)
    report(
      ctx,
      "unsupported-service",
      "warning",
      ["spec"],
      "spec.selector is not set: a Service without a selector gets its addresses from Endpoints, which kplay does not play, so its name does not resolve",
      undefined,
      "key",
    );
  if (spec.clusterIP !== undefined && spec.clusterIP !== "" && spec.clusterIP !== "None")
    report(
      ctx,
      "ignored-field",
      "warning",
      ["spec", "clusterIP"],
      "spec.clusterIP is ignored: kplay has no virtual Service addresses; the name resolves to the selected pods",
    );
  (spec.ports ?? []).forEach((p, i) => {
    if ((p.protocol ?? "TCP") === "SCTP")
      report(
        ctx,
        "unsupported-service",
        "warning",
        ["spec", "ports", i, "protocol"],
        "SCTP Service ports are neither mapped nor published: the name resolves, the port is the pod's own (TCP and UDP ports are)",
      );
  });
}
