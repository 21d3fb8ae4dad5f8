/**
 * Probes in the plan: Kubernetes' defaults (a 0 defaults like an absent value), a port name the
 * container does not declare carried through unresolved (valid Kubernetes), and the prober's
 * failure for it, as the kubelet's probe fails.
 */
import { describe, expect, test } from "bun:test";
import { runProbe } from "../../src/apply/probe.ts";
import type { Container } from "../../src/manifest/model.ts";
import { healthcheckFields, plannedProbes, probeHandler } from "../../src/plan/probes.ts";
import type { PlannedProbe } from "../../src/plan/types.ts";
import type { PodmanClient } from "../../src/podman/client.ts";
import type { PodInspect } from "../../src/podman/objects.ts";

const container = (extra: Partial<Container>): Container => ({ name: "c", image: "i", ...extra });

describe("probeHandler", () => {
  const c = container({ ports: [{ name: "web", containerPort: 8080 }] });
  test("a declared port name resolves to its number, an undeclared one stays a name", () => {
    for (const [port, expected] of [
      ["web", 8080],
      ["http", "http"],
      [9000, 9000],
    ] as const) {
      expect(probeHandler(c, { httpGet: { port } })).toEqual({
        httpGet: { scheme: "HTTP", host: "", port: expected, path: "/", headers: [] },
      });
      expect(probeHandler(c, { tcpSocket: { port } })).toEqual({
        tcpSocket: { host: "", port: expected },
      });
    }
  });
  test("an empty path is the API server's default, /", () => {
    const h = probeHandler(c, { httpGet: { port: 80, path: "" } });
    expect(h && "httpGet" in h && h.httpGet.path).toBe("/");
  });
});

describe("plannedProbes", () => {
  test("0 and absent timings both take Kubernetes' defaults; initialDelaySeconds stays 0", () => {
    for (const timings of [
      {},
      {
        initialDelaySeconds: 0,
        periodSeconds: 0,
        timeoutSeconds: 0,
        successThreshold: 0,
        failureThreshold: 0,
      },
    ]) {
      const [p] = plannedProbes(
        container({ readinessProbe: { exec: { command: ["true"] }, ...timings } }),
      );
      expect(p).toMatchObject({
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      });
    }
  });
  test("a startup window beyond int64 nanoseconds is capped, not overflowed", () => {
    const huge = 2147483647;
    const probes = plannedProbes(
      container({
        livenessProbe: { exec: { command: ["true"] } },
        startupProbe: { exec: { command: ["true"] }, periodSeconds: huge, failureThreshold: huge },
      }),
    );
    const fields = healthcheckFields(probes, "Always") as { healthconfig: { StartPeriod: number } };
    expect(fields.healthconfig.StartPeriod).toBe(9_223_372_036 * 1_000_000_000);
    expect(fields.healthconfig.StartPeriod).toBeLessThan(2 ** 63);
  });
});

describe("runProbe", () => {
  test("a probe on a port the container does not declare fails with that reason", async () => {
    // Nothing is sent: the probe fails before it would look for a published port.
    const client = {} as PodmanClient;
    const pod = {} as PodInspect;
    for (const handler of [
      { httpGet: { scheme: "HTTP", host: "", port: "http", path: "/", headers: [] } },
      { tcpSocket: { host: "", port: "http" } },
    ] as const) {
      const probe: PlannedProbe = {
        kind: "readiness",
        handler,
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
        healthcheck: false,
      };
      expect(await runProbe(client, pod, "c", probe)).toEqual({
        ok: false,
        reason: 'port "http" is not a container port',
      });
    }
  });
});
