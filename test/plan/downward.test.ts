/** The downward API for env: fieldRef paths, resourceFieldRef divisors and defaults. */
import { describe, expect, test } from "bun:test";
import type { Container, Pod } from "../../src/manifest/model.ts";
import {
  fieldRefValue,
  needsNodeFacts,
  podUid,
  resourceFieldRefValue,
} from "../../src/plan/downward.ts";
import { signalNumber } from "../../src/plan/signals.ts";

const node = { name: "node-1", hostIP: "192.0.2.10", cpus: 2, memoryBytes: 4 * 1024 ** 3 };
const main: Container = {
  name: "main",
  image: "i",
  resources: { limits: { cpu: "1500m", memory: "64Mi" }, requests: { memory: "32Mi" } },
};
const other: Container = { name: "other", image: "i" };
const pod = (spec: Partial<Pod["spec"]> = {}, metadata: Partial<Pod["metadata"]> = {}): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", labels: { app: "a" }, annotations: { "x.io/y": "z" }, ...metadata },
  spec: { containers: [main, other], ...spec },
});

describe("fieldRefValue", () => {
  const value = (path: string, p = pod()) => fieldRefValue(p, path, node);
  test("pod metadata", () => {
    expect(value("metadata.name")).toEqual({ ok: true, value: "p" });
    expect(value("metadata.namespace")).toEqual({ ok: true, value: "default" });
    expect(value("metadata.namespace", pod({}, { namespace: "ns" }))).toEqual({
      ok: true,
      value: "ns",
    });
    expect(value("metadata.labels['app']")).toEqual({ ok: true, value: "a" });
    expect(value("metadata.labels['none']")).toEqual({ ok: true, value: "" });
    expect(value("metadata.annotations['x.io/y']")).toEqual({ ok: true, value: "z" });
  });
  test("uid: the manifest's, else derived from namespace and name, stable", () => {
    expect(value("metadata.uid", pod({}, { uid: "u-1" }))).toEqual({ ok: true, value: "u-1" });
    const derived = podUid(pod());
    expect(derived).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(podUid(pod())).toBe(derived);
    expect(podUid(pod({}, { namespace: "other" }))).not.toBe(derived);
  });
  test("node facts", () => {
    expect(value("spec.nodeName")).toEqual({ ok: true, value: "node-1" });
    expect(value("status.hostIP")).toEqual({ ok: true, value: "192.0.2.10" });
  });
  test("status.podIP is known for host-network pods only", () => {
    expect(value("status.podIP", pod({ hostNetwork: true }))).toEqual({
      ok: true,
      value: "192.0.2.10",
    });
    expect(value("status.podIP")).toEqual({
      ok: false,
      problem:
        "status.podIP is not known before the pod starts (it is only known for hostNetwork pods)",
    });
  });
  test("unknown paths", () => {
    expect(value("metadata.labels")).toEqual({
      ok: false,
      problem: 'fieldPath "metadata.labels" is not supported',
    });
    expect(value("spec.containers")).toEqual({
      ok: false,
      problem: 'fieldPath "spec.containers" is not supported',
    });
  });
});

describe("resourceFieldRefValue", () => {
  const value = (resource: string, divisor?: string | number, containerName?: string) =>
    resourceFieldRefValue(
      pod(),
      main,
      {
        resource,
        ...(divisor !== undefined ? { divisor } : {}),
        ...(containerName ? { containerName } : {}),
      },
      node,
    );
  test("CPU rounds up to whole divisors", () => {
    expect(value("limits.cpu")).toEqual({ ok: true, value: "2" });
    expect(value("limits.cpu", "1m")).toEqual({ ok: true, value: "1500" });
    expect(value("requests.cpu", "1m")).toEqual({ ok: true, value: "1500" });
  });
  test("memory in bytes or a binary/decimal divisor", () => {
    expect(value("limits.memory")).toEqual({ ok: true, value: String(64 * 1024 ** 2) });
    expect(value("limits.memory", "1Mi")).toEqual({ ok: true, value: "64" });
    expect(value("limits.memory", "1M")).toEqual({ ok: true, value: "68" });
    expect(value("requests.memory", "1Ki")).toEqual({ ok: true, value: "32768" });
    expect(value("limits.memory", 1)).toEqual({ ok: true, value: String(64 * 1024 ** 2) });
  });
  test("an unset limit is the node's allocatable, an unset request is 0", () => {
    expect(value("limits.cpu", undefined, "other")).toEqual({ ok: true, value: "2" });
    expect(value("limits.memory", "1Gi", "other")).toEqual({ ok: true, value: "4" });
    expect(value("requests.cpu", "1m", "other")).toEqual({ ok: true, value: "0" });
  });
  test("problems", () => {
    expect(value("limits.cpu", "2")).toEqual({
      ok: false,
      problem: 'divisor "2" is not one of 1m, 1',
    });
    expect(value("limits.memory", "1m")).toMatchObject({ ok: false });
    expect(value("limits.gpu")).toEqual({
      ok: false,
      problem: 'resource "limits.gpu" is not supported',
    });
    expect(value("limits.cpu", undefined, "ghost")).toEqual({
      ok: false,
      problem: 'container "ghost" is not in this pod',
    });
    expect(value("limits.ephemeral-storage")).toMatchObject({ ok: false });
  });
});

describe("signalNumber", () => {
  test("names, with and without SIG, and real-time signals", () => {
    expect(signalNumber("SIGTERM")).toBe(15);
    expect(signalNumber("KILL")).toBe(9);
    expect(signalNumber("SIGUSR1")).toBe(10);
    expect(signalNumber("SIGRTMIN")).toBe(34);
    expect(signalNumber("SIGRTMIN+3")).toBe(37);
    expect(signalNumber("SIGRTMAX-1")).toBe(63);
    expect(signalNumber("SIGRTMAX")).toBe(64);
    expect(signalNumber("SIGRTMAX+1")).toBeUndefined();
    expect(signalNumber("SIGNOPE")).toBeUndefined();
  });
});

describe("needsNodeFacts", () => {
  const pod = (env: object[]) =>
    ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "i", env }] },
    }) as unknown as Pod;

  test("only node fields and resource refs need Podman's host facts", () => {
    expect(needsNodeFacts([pod([{ name: "A", value: "x" }])])).toBe(false);
    expect(
      needsNodeFacts([
        pod([{ name: "A", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }]),
      ]),
    ).toBe(false);
    expect(
      needsNodeFacts([
        pod([{ name: "A", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }]),
      ]),
    ).toBe(true);
    expect(
      needsNodeFacts([
        pod([{ name: "A", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } }]),
      ]),
    ).toBe(true);
    expect(
      needsNodeFacts([
        pod([{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } }]),
      ]),
    ).toBe(true);
  });
});
