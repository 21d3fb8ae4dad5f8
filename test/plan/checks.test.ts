/** The planner's refusals, as diagnostics pointing at the manifest, and planPod's guard. */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import { loadManifests } from "../../src/manifest/index.ts";
import { checkPlannable, planState } from "../../src/plan/index.ts";
import { stateOf } from "../support/plan.ts";

function load(yaml: string) {
  const loaded = loadManifests([
    { name: "t.yaml", dir: "/m", bytes: new TextEncoder().encode(yaml) },
  ]);
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return stateOf(loaded);
}

const pod = (spec: string, annotations = "{}") => `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: ${annotations}
spec:
${spec}`;

describe("checkPlannable", () => {
  test("a plannable pod has no problems", () => {
    expect(checkPlannable(load(pod("  containers: [{name: c, image: i}]")))).toEqual([]);
  });
  test("each refusal: code, path, message and line", () => {
    const pods = load(
      pod(
        `  securityContext:
    runAsNonRoot: true
    runAsUser: 0
  containers:
    - name: c
      image: i
      env:
        - name: IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: DIV
          valueFrom:
            resourceFieldRef:
              resource: limits.cpu
              divisor: 10m
      volumeMounts:
        - name: v
          mountPath: /a
          subPath: ../etc
        - name: v
          mountPath: /b
          subPath: /etc
      livenessProbe:
        httpGet:
          port: http
      securityContext:
        seccompProfile:
          type: Localhost
          localhostProfile: ../x.json
  volumes:
    - name: v
      emptyDir: {}`,
        `{io.podman.annotations.ulimit: "nofile=x", io.podman.annotations.userns: "sideways", io.podman.annotations.init/c: "maybe"}`,
      ),
    );
    const found = checkPlannable(pods).map((d) => [d.code, d.path, d.message, d.span?.line]);
    expect(found).toEqual([
      [
        "bad-annotation",
        'metadata.annotations["io.podman.annotations.userns"]',
        'Annotation "io.podman.annotations.userns": "sideways" is not one of host, private, auto, auto:size=N, keep-id[:OPTIONS], nomap, ns:PATH',
        5,
      ],
      [
        "unsupported-env-source",
        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath",
        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: status.podIP is not known before the pod starts (it is only known for hostNetwork pods)",
        17,
      ],
      [
        "unsupported-env-source",
        "spec.containers[0].env[1].valueFrom.resourceFieldRef",
        'spec.containers[0].env[1].valueFrom.resourceFieldRef: divisor "10m" is not one of 1m, 1',
        21,
      ],
      [
        "run-as-root",
        "spec.securityContext.runAsUser",
        'Container "c" would run as root (runAsUser 0) but runAsNonRoot is set',
        9,
      ],
      [
        "bad-seccomp-profile",
        "spec.containers[0].securityContext.seccompProfile",
        'spec.containers[0].securityContext.seccompProfile: a Localhost profile needs localhostProfile, a relative path without ".."',
        35,
      ],
      [
        "unsafe-sub-path",
        "spec.containers[0].volumeMounts[0].subPath",
        'spec.containers[0].volumeMounts[0].subPath: "../etc" must be a relative path that does not contain ".."',
        26,
      ],
      [
        "unsafe-sub-path",
        "spec.containers[0].volumeMounts[1].subPath",
        'spec.containers[0].volumeMounts[1].subPath: "/etc" must be a relative path that does not contain ".."',
        29,
      ],
      [
        "bad-annotation",
        'metadata.annotations["io.podman.annotations.ulimit"]',
        'Annotation "io.podman.annotations.ulimit": "nofile=x" is not NAME=SOFT[:HARD] with NAME one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack',
        5,
      ],
      [
        "bad-annotation",
        'metadata.annotations["io.podman.annotations.init/c"]',
        'Annotation "io.podman.annotations.init/c": "maybe" is not a boolean',
        5,
      ],
    ]);
    expect(() => planState(pods)).toThrow('Container "c" would run as root');
  });
  test("a subPathExpr is checked after expansion", () => {
    const pods = load(
      pod(`  containers:
    - name: c
      image: i
      env: [{name: UP, value: ".."}]
      volumeMounts: [{name: v, mountPath: /a, subPathExpr: "$(UP)/etc"}]
  volumes: [{name: v, emptyDir: {}}]`),
    );
    expect(checkPlannable(pods).map((d) => [d.code, d.path, d.message])).toEqual([
      [
        "unsafe-sub-path",
        "spec.containers[0].volumeMounts[0].subPathExpr",
        'spec.containers[0].volumeMounts[0].subPathExpr: "$(UP)/etc" (expanded to "../etc") must be a relative path that does not contain ".."',
      ],
    ]);
  });
  test("a subPath that merely contains dots is fine", () => {
    const pods = load(
      pod(`  containers:
    - name: c
      image: i
      volumeMounts: [{name: v, mountPath: /a, subPath: a..b/.c}]
  volumes: [{name: v, emptyDir: {}}]`),
    );
    expect(checkPlannable(pods)).toEqual([]);
  });
});

test("every code the planner reports is in the closed list of diagnostic codes", () => {
  const source = ["checks.ts", "checks-pod.ts"]
    .map((f) => readFileSync(join(import.meta.dir, "../../src/plan", f), "utf8"))
    .join("\n");
  const codes = [...source.matchAll(/"([a-z]+(?:-[a-z]+)+)",/g)].map((m) => m[1] ?? "");
  expect(codes.length).toBeGreaterThan(5);
  expect(codes.filter((c) => !isDiagnosticCode(c))).toEqual([]);
});

describe("valid Kubernetes that no runtime could run as written", () => {
  test("refusals: code, path, message and line", () => {
    const pods = load(
      pod(`  initContainers:
    - name: init
      image: "my image"
      ports: [{containerPort: 8081, hostPort: 18081}]
  containers:
    - name: c
      image: MyImage:1.0
      ports: [{containerPort: 8080, hostPort: 18081}]
      resources:
        limits: {memory: 99999999999999999999Ei, cpu: "1e20"}
        requests: {memory: 1Gi}
  volumes:
    - name: v
      persistentVolumeClaim: {claimName: "my data"}`),
    );
    expect(checkPlannable(pods).map((d) => [d.code, d.path, d.message, d.span?.line])).toEqual([
      [
        "shared-host-port",
        "spec.containers[0].ports[0].hostPort",
        "spec.containers[0].ports[0].hostPort: host port 18081 goes to container port 8080 here but to 8081 at spec.initContainers[0].ports[0].hostPort",
        14,
      ],
      [
        "bad-claim-name",
        "spec.volumes[0].persistentVolumeClaim.claimName",
        "spec.volumes[0].persistentVolumeClaim.claimName: \"my data\" cannot name a Podman volume: it must be a letter or digit, then letters, digits, '_', '.' and '-'",
        20,
      ],
      [
        "invalid-image-name",
        "spec.initContainers[0].image",
        'spec.initContainers[0].image: "my image" is not an image reference: it has a character a repository name cannot have: " "',
        9,
      ],
      [
        "invalid-image-name",
        "spec.containers[0].image",
        'spec.containers[0].image: "MyImage:1.0" is not an image reference: its repository name must be lower case ("MyImage")',
        13,
      ],
      [
        "quantity-too-large",
        "spec.containers[0].resources.limits.cpu",
        'spec.containers[0].resources.limits.cpu: "1e20" is more than libpod can take (at most 9007199254740991 microseconds of CFS quota)',
        16,
      ],
      [
        "quantity-too-large",
        "spec.containers[0].resources.limits.memory",
        'spec.containers[0].resources.limits.memory: "99999999999999999999Ei" is more than libpod can take (at most 9007199254740991 bytes)',
        16,
      ],
    ]);
  });
  test("the same host port with the same container port is published once, not refused", () => {
    const pods = load(
      pod(`  initContainers:
    - {name: init, image: i, ports: [{containerPort: 8080, hostPort: 18082}]}
  containers:
    - {name: c, image: i, ports: [{containerPort: 8080, hostPort: 18082}]}`),
    );
    expect(checkPlannable(pods)).toEqual([]);
  });
});
