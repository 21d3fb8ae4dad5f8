/** Quantities to cgroup settings, as the kubelet computes them (exact, rounding up). */
import { describe, expect, test } from "bun:test";
import type { Container } from "../../src/manifest/model.ts";
import {
  cpuQuota,
  cpuShares,
  effectiveResources,
  resourceLimits,
} from "../../src/plan/resources.ts";

const container = (resources: Container["resources"]): Container => ({
  name: "c",
  image: "i",
  ...(resources ? { resources } : {}),
});

describe("cpuQuota and cpuShares", () => {
  test("quota is milliCPU x period / 1000 with a 1000 µs floor", () => {
    expect(cpuQuota(500n)).toBe(50_000);
    expect(cpuQuota(1500n)).toBe(150_000);
    expect(cpuQuota(10n)).toBe(1_000);
    expect(cpuQuota(1n)).toBe(1_000);
  });
  test("shares are milliCPU x 1024 / 1000, truncated, within [2, 262144]", () => {
    expect(cpuShares(1000n)).toBe(1024);
    expect(cpuShares(500n)).toBe(512);
    expect(cpuShares(100n)).toBe(102);
    expect(cpuShares(1n)).toBe(2);
    expect(cpuShares(0n)).toBe(2);
    expect(cpuShares(1_000_000n)).toBe(262_144);
  });
});

describe("resourceLimits", () => {
  test("nothing set gives nothing", () => {
    expect(resourceLimits(container(undefined))).toBeUndefined();
    expect(resourceLimits(container({}))).toBeUndefined();
  });
  test("limits and requests", () => {
    expect(
      resourceLimits(
        container({
          limits: { cpu: "2", memory: "1Gi" },
          requests: { cpu: "250m", memory: "512Mi" },
        }),
      ),
    ).toEqual({
      cpu: { quota: 200_000, period: 100_000, shares: 256 },
      memory: { limit: 1024 ** 3, reservation: 512 * 1024 ** 2 },
    });
  });
  test("a CPU limit without a request also sets the shares (the request defaults to the limit)", () => {
    expect(resourceLimits(container({ limits: { cpu: 0.5 } }))).toEqual({
      cpu: { quota: 50_000, period: 100_000, shares: 512 },
    });
  });
  test("a memory limit does not become a reservation", () => {
    expect(resourceLimits(container({ limits: { memory: "128M" } }))).toEqual({
      memory: { limit: 128_000_000 },
    });
  });
  test("fractions of a byte and of a milliCPU round up", () => {
    expect(resourceLimits(container({ limits: { memory: "1.5", cpu: "0.0001" } }))).toEqual({
      cpu: { quota: 1_000, period: 100_000, shares: 2 },
      memory: { limit: 2 },
    });
  });
  test("exponent and decimal suffixes are exact", () => {
    expect(resourceLimits(container({ limits: { memory: "1e9" } }))?.memory).toEqual({
      limit: 1_000_000_000,
    });
    expect(resourceLimits(container({ limits: { memory: "0.1Gi" } }))?.memory).toEqual({
      limit: 107_374_183,
    });
  });
});

describe("effectiveResources", () => {
  test("requests default to limits per resource, an explicit request wins", () => {
    const { requests } = effectiveResources(
      container({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "100m" } }),
    );
    expect(Object.keys(requests).sort()).toEqual(["cpu", "memory"]);
    expect(requests.cpu).toEqual({ numerator: 1n, denominator: 10n });
  });
});
