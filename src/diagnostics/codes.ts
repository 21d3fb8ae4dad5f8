/**
 * Every diagnostic code kplay emits, with what it means: the closed list that JSON consumers,
 * docs and tests can rely on. `Diagnostic.code` stays a string for compatibility.
 */

/** Code -> one-line meaning. */
export const DIAGNOSTIC_CODES = {
  // Input files
  "file-too-large": "the file is over the size limit",
  "binary-file": "the file contains NUL bytes",
  "bad-encoding": "the file is not valid UTF-8",
  "no-objects": "the input holds no Kubernetes object at all (empty, or only comments)",
  // YAML
  "yaml-syntax": "the YAML does not parse",
  "tab-indent": "a line is indented with a tab",
  "duplicate-key": "a mapping has the same key twice",
  "bad-key": "a mapping key is a collection (often an unrendered template)",
  "too-deep": "the YAML nests deeper than the limit",
  "too-many-nodes": "the file has more YAML nodes than the limit",
  "too-many-documents": "the file has more YAML documents than the limit",
  "alias-limit": "aliases expand more than the limit (billion laughs)",
  "control-character": "the file contains a control character YAML does not allow",
  "not-json": "a value has no JSON form (.inf, .nan), so Kubernetes refuses it",
  "merge-override": "a << merge overwrites a key given earlier in the same mapping",
  "ignored-content": "content after the end of a document, which Kubernetes never reads",
  "too-many-problems": "more YAML problems than are shown",
  // Kinds
  "not-kubernetes": "a document is not a Kubernetes object (or is a compose file)",
  "unknown-kind": "the kind is not one kplay knows",
  "bad-api-version": "the apiVersion is wrong for the kind",
  "unsupported-kind": "a real Kubernetes kind that kplay does not play",
  "ignored-kind": "a real Kubernetes kind that kplay skips (Ingress, RBAC, custom resources, …)",
  // Fields
  "unknown-field": "a field the Kubernetes API does not have",
  "missing-field": "a required field is absent",
  "type-mismatch": "a value has the wrong type",
  "bad-enum": "a value is not one of the allowed ones",
  "ignored-field": "valid Kubernetes that means nothing on one host",
  "unsupported-field": "valid Kubernetes that kplay cannot honour yet",
  // Kubernetes rules
  "bad-name": "a name breaks its syntax (DNS-1123, env var, port name)",
  "bad-label": "a label or annotation key or value breaks its syntax",
  "annotations-too-large": "annotations exceed 256 KiB in total",
  "duplicate-name": "two containers, volumes, ports, sysctls or scheduling gates share a name",
  "unknown-volume": "a volume mount names no declared volume",
  "volume-source": "a volume names more than one source (hostPath, emptyDir, ...)",
  "bad-path": "a hostPath has a '..' element",
  "duplicate-mount-path": "a container mounts two volumes at one path",
  "port-range": "a port is outside 1-65535",
  "bad-service":
    "a Service setting the API server refuses (ports, names, node ports, headless rules)",
  "unsupported-service":
    "a valid Service kplay cannot make work on Podman (ExternalName, no selector, SCTP)",
  "host-network-port": "a hostNetwork pod's hostPort differs from its containerPort",
  "duplicate-host-port": "two ports publish the same host port, protocol and address",
  "duplicate-pod": "two documents define pods with the same name",
  "duplicate-object": "two objects of one kind share a name in one namespace",
  "missing-reference": "a pod reads a ConfigMap, Secret or key the input does not have",
  "name-collision": "two pods' containers would get the same Podman name",
  "bad-quantity": "a resource quantity does not parse",
  "request-exceeds-limit": "a resource request is more than its limit",
  "bad-workload":
    "a workload setting the API server refuses (counts, strategies, restart policy, schedule)",
  "bad-base64": "a Secret's data or a ConfigMap's binaryData value is not base64",
  "bad-secret": "a Secret lacks the keys its type requires, or one is malformed",
  "object-too-large": "a ConfigMap's or Secret's data is over 1 MiB",
  "request-limit-mismatch":
    "an extended resource or huge pages request has no limit, or one it does not equal",
  "bad-resource":
    "a resource is neither standard nor vendor-qualified, or its amount is negative, fractional or not whole pages",
  "number-range":
    "a number is outside its field's range (int32, int64, or the API server's bounds)",
  "probe-handler": "a probe names no handler (exec, httpGet, tcpSocket, grpc) or more than one",
  "forbidden-field":
    "a field the API server refuses where it is (a probe on an init container, ...)",
  "conflicting-fields": "two fields that exclude each other are both set",
  "env-source": "an env valueFrom or an envFrom names no source or more than one",
  "bad-ip": "an address is not a valid IPv4 or IPv6 address",
  "dns-config": "dnsPolicy None without nameservers, or dnsConfig beyond the resolver's limits",
  "bad-image": "an image is empty or has leading or trailing whitespace",
  "bad-selector":
    "a selector is empty, does not select its workload's template labels, or has values that do not fit an operator",
  // Planner refusals (src/plan/checks.ts): valid Kubernetes that kplay will not run as written
  "unsafe-sub-path": "a subPath is absolute or climbs out of its volume with ..",
  "run-as-root": "runAsNonRoot is set and the container would run as UID 0",
  "unsupported-env-source": "an env source kplay cannot compute before the pod runs",
  "secret-expansion":
    "a $(VAR) expansion of a Secret-sourced variable would write the secret into the container's settings",
  "invalid-image-name": "an image reference no runtime can pull (the kubelet's InvalidImageName)",
  "quantity-too-large": "a resource quantity is more than libpod's integers hold",
  "shared-host-port":
    "an init and an app container publish one host port to different container ports",
  "bad-claim-name": "a claim name that Podman cannot use as a volume name",
  "bad-annotation": "a Podman annotation has a value Podman cannot take",
  "bad-seccomp-profile": "a Localhost seccomp profile is missing or unsafe",
  "bad-stop-signal": "a stop signal is not a Linux signal",
  "host-sysctl": "a sysctl that would change the host (hostNetwork or hostIPC)",
} as const;

/** A code kplay emits. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Returns whether `code` is one kplay emits. */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(DIAGNOSTIC_CODES, code);
}
