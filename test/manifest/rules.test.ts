/**
 * The API server's cross-field rules as tables: each case is one combination, with the exact
 * code and path (and line) it must produce, so the next member of a class is caught too.
 */
import { describe, expect, test } from "bun:test";
import { formatPath } from "../../src/manifest/context.ts";
import { brief, loadText, podWith } from "./helpers.ts";

/** The errors of a pod made of `containerLines` under its container (and `specLines`). */
function errors(containerLines: string, specLines = ""): string[] {
  return loadText(podWith(containerLines, specLines))
    .diagnostics.filter((d) => d.severity === "error")
    .map(brief);
}

/** Every subset of a list, smallest first, each in the list's order. */
function subsets<T>(items: readonly T[]): T[][] {
  const all: T[][] = [[]];
  for (const item of items) for (const s of [...all]) all.push([...s, item]);
  return all.sort((a, b) => a.length - b.length);
}

const HANDLER_YAML = {
  exec: 'exec: {command: ["true"]}',
  httpGet: "httpGet: {port: 8080}",
  tcpSocket: "tcpSocket: {port: 8080}",
  grpc: "grpc: {port: 9090}",
} as const;

describe("probe handlers: exactly one", () => {
  const handlers = Object.keys(HANDLER_YAML) as (keyof typeof HANDLER_YAML)[];
  for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    for (const set of subsets(handlers)) {
      test(`${kind} with ${set.length === 0 ? "no handler" : set.join(" + ")}`, () => {
        // The probe is on line 9; its handlers follow, one a line, in the order written.
        const lines = [`${kind}:`, ...set.map((h) => `  ${HANDLER_YAML[h]}`), "  periodSeconds: 5"];
        const at = `spec.containers[0].${kind}`;
        const expected =
          set.length === 0
            ? [`9:7 probe-handler ${at}`]
            : set.slice(1).map((h) => `${10 + set.indexOf(h)}:9 probe-handler ${at}.${h}`);
        expect(errors(lines.join("\n"))).toEqual(expected);
      });
    }
  }
});

describe("probe numbers", () => {
  const cases = [
    // [probe, field, value, expected code or undefined]
    ["livenessProbe", "successThreshold", 0, undefined],
    ["livenessProbe", "successThreshold", 1, undefined],
    ["livenessProbe", "successThreshold", 2, "number-range"],
    ["startupProbe", "successThreshold", 2, "number-range"],
    ["readinessProbe", "successThreshold", 2, undefined],
    ["readinessProbe", "successThreshold", -1, "number-range"],
    ["livenessProbe", "periodSeconds", 0, undefined],
    ["livenessProbe", "periodSeconds", -1, "number-range"],
    ["livenessProbe", "timeoutSeconds", -1, "number-range"],
    ["livenessProbe", "initialDelaySeconds", -1, "number-range"],
    ["livenessProbe", "failureThreshold", -1, "number-range"],
    ["livenessProbe", "terminationGracePeriodSeconds", 0, "number-range"],
    ["livenessProbe", "terminationGracePeriodSeconds", 1, undefined],
    ["readinessProbe", "terminationGracePeriodSeconds", 1, "forbidden-field"],
  ] as const;
  for (const [probe, field, value, code] of cases) {
    test(`${probe}.${field}: ${value} is ${code ?? "valid"}`, () => {
      const yaml = `${probe}:\n  exec: {command: ["true"]}\n  ${field}: ${value}`;
      const at = `spec.containers[0].${probe}.${field}`;
      const column = code === "forbidden-field" ? 9 : 11 + field.length;
      expect(errors(yaml)).toEqual(code ? [`11:${column} ${code} ${at}`] : []);
    });
  }
});

describe("init containers: no probes or lifecycle unless a sidecar", () => {
  for (const field of ["livenessProbe", "readinessProbe", "startupProbe", "lifecycle"]) {
    test(field, () => {
      const value = field === "lifecycle" ? "{stopSignal: SIGTERM}" : '{exec: {command: ["true"]}}';
      const spec = `initContainers:\n  - name: init\n    image: localhost/busybox:test\n    ${field}: ${value}`;
      expect(errors("", spec)).toEqual([`9:7 forbidden-field spec.initContainers[0].${field}`]);
    });
  }
});

describe("env: value or valueFrom, and one source", () => {
  const SOURCES = {
    fieldRef: "fieldRef: {fieldPath: metadata.name}",
    resourceFieldRef: "resourceFieldRef: {resource: limits.cpu}",
  } as const;
  for (const value of [undefined, '""', '"x"']) {
    for (const set of subsets(Object.keys(SOURCES) as (keyof typeof SOURCES)[])) {
      test(`value ${value ?? "absent"}, sources [${set.join(", ")}]`, () => {
        const lines = [
          "env:",
          "  - name: V",
          ...(value === undefined ? [] : [`    value: ${value}`]),
          "    valueFrom:",
          ...set.map((s) => `      ${SOURCES[s]}`),
        ];
        if (set.length === 0) lines[lines.length - 1] += " {}";
        const from = value === undefined ? 11 : 12;
        const at = "spec.containers[0].env[0].valueFrom";
        const expected =
          set.length === 0
            ? [`${from}:11 env-source ${at}`]
            : value === '"x"'
              ? [`${from}:11 conflicting-fields ${at}`]
              : set.slice(1).map((s, i) => `${from + 2 + i}:13 env-source ${at}.${s}`);
        expect(errors(lines.join("\n"))).toEqual(expected);
      });
    }
  }
});

describe("resource names", () => {
  const valid = [
    "cpu",
    "memory",
    "ephemeral-storage",
    "example.com/gpu",
    "nvidia.com/gpu",
    "kubernetes.io/anything",
  ];
  const invalid = [
    "gpu",
    "constructor",
    "__proto__",
    "storage",
    "requests.cpu",
    "pods",
    "requests.example.com/gpu",
    "Example.com/gpu",
    "example.com/",
    "example.com/gpu/x",
  ];
  for (const name of [...valid, ...invalid]) {
    const ok = valid.includes(name);
    test(`${JSON.stringify(name)} is ${ok ? "valid" : "refused"}`, () => {
      const found = errors(`resources:\n  limits:\n    ${JSON.stringify(name)}: "1"`);
      const path = formatPath(["spec", "containers", 0, "resources", "limits", name]);
      expect(found).toEqual(ok ? [] : [`11:11 bad-resource ${path}`]);
    });
  }
  test("huge pages of a size that does not parse are never a whole number of pages", () => {
    const found = errors("resources:\n  limits:\n    hugepages-big: 1Gi\n    memory: 1Gi");
    expect(found).toEqual([
      '11:26 bad-resource spec.containers[0].resources.limits["hugepages-big"]',
    ]);
  });
});

describe("integers the API server's Go types cannot hold", () => {
  // [field under the container, value, the message's end or undefined when valid]
  const cases = [
    ['livenessProbe:\n  exec: {command: ["true"]}\n  periodSeconds', "2147483647", undefined],
    ['livenessProbe:\n  exec: {command: ["true"]}\n  periodSeconds', "2147483648", "int32"],
    ['livenessProbe:\n  exec: {command: ["true"]}\n  periodSeconds', "-2147483649", "int32"],
    ["securityContext:\n  runAsUser", "9223372036854775808", "int64"],
    // go-yaml reads it as a float, which Kubernetes' JSON writes as int64's minimum: it fits,
    // and the UID range refuses it.
    ["securityContext:\n  runAsUser", "-9223372036854775809", "range"],
    // int64's maximum fits its type; the UID range refuses it next.
    ["securityContext:\n  runAsUser", "9223372036854775807", "range"],
  ] as const;
  for (const [field, value, expected] of cases) {
    test(`${field.split("\n").at(-1)?.trim()}: ${value}`, () => {
      const result = loadText(podWith(`${field}: ${value}`));
      const found = result.diagnostics.filter((d) => d.severity === "error");
      expect(found.map((d) => d.code)).toEqual(expected ? ["number-range"] : []);
      if (expected === "range") expect(found[0]?.message).toContain("is out of range");
      else if (expected) expect(found[0]?.message).toContain(`does not fit in an ${expected}`);
    });
  }
  test("an int64 field takes int64's maximum exactly", () => {
    const found = loadText(podWith("", "terminationGracePeriodSeconds: 9223372036854775807"));
    expect(found.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("ignored fields are validated, and valid ones pass", () => {
  test("valid scheduling fields give warnings only", () => {
    const result = loadText(SCHEDULING);
    expect(result.diagnostics.filter((d) => d.severity === "error").map(brief)).toEqual([]);
    expect(result.pods.length).toBe(1);
  });
});

const SCHEDULING = `apiVersion: v1
kind: Pod
metadata:
  name: scheduling
spec:
  nodeSelector:
    kubernetes.io/os: linux
  tolerations:
    - operator: Exists
    - key: example.com/dedicated
      operator: Equal
      value: gpu
      effect: NoExecute
      tolerationSeconds: 30
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          preference:
            matchExpressions:
              - key: cores
                operator: Gt
                values: ["4"]
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector:
            matchExpressions:
              - key: app
                operator: In
                values: [web]
          matchLabelKeys: [version]
          topologyKey: kubernetes.io/hostname
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: zone
      whenUnsatisfiable: DoNotSchedule
      minDomains: 2
    - maxSkew: 1
      topologyKey: zone
      whenUnsatisfiable: ScheduleAnyway
  priorityClassName: high-priority
  serviceAccountName: builder
  containers:
    - name: app
      image: localhost/busybox:test
`;
