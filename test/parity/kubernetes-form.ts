/**
 * Spot checks in Kubernetes' own terms, written by hand from the Kubernetes documentation:
 * for the fixtures whose point is an intentional difference, what kplay's pod must show.
 */
import { expect } from "bun:test";
import type { PodView } from "./normalize.ts";

type Check = (pods: Readonly<Record<string, PodView>>) => void;

const container = (pods: Readonly<Record<string, PodView>>, pod: string, name: string) => {
  const c = pods[pod]?.containers[name];
  if (!c) throw new Error(`no container ${pod}/${name}`);
  return c;
};
const MI = 1024 * 1024;

export const KUBERNETES_FORM: Readonly<Record<string, Check>> = {
  "fixtures/parity/env-expansion.yaml": (pods) => {
    const c = container(pods, "parity-env-expansion", "main");
    expect(c.argv).toEqual(["sh", "-c", "echo hello world $(GREETING) $(NOPE)", "later"]);
    expect(c.env).toMatchObject({
      GREETING: "hello world",
      ESCAPED: "$(NAME) and $world",
      FORWARD: "$(LATER)",
      LATER: "later",
      IMAGE_PATH: "$(PATH)",
    });
  },
  "fixtures/parity/env-resourcefieldref.yaml": (pods) => {
    expect(container(pods, "parity-env-resourcefieldref", "main").env).toMatchObject({
      CPU_LIMIT: "2",
      CPU_LIMIT_MILLI: "1500",
      CPU_REQUEST_MILLI: "250",
      MEMORY_LIMIT: "100000000",
      MEMORY_LIMIT_MI: "96",
      MEMORY_REQUEST_KI: "65536",
    });
  },
  "fixtures/parity/env-fieldref-node.yaml": (pods) => {
    expect(container(pods, "parity-env-fieldref-node", "main").env.NAMESPACE).toBe("default");
  },
  "fixtures/parity/env-precedence.yaml": (pods) => {
    expect(container(pods, "parity-env-precedence", "main").env).toMatchObject({
      PATH: "/custom/bin",
      TWICE: "second",
    });
  },
  "fixtures/parity/resources-requests.yaml": (pods) => {
    expect(container(pods, "parity-resources-requests", "main").resources).toMatchObject({
      CpuQuota: 200_000,
      CpuPeriod: 100_000,
      CpuShares: 512,
      Memory: 512 * MI,
      MemoryReservation: 128 * MI,
    });
    expect(container(pods, "parity-resources-requests", "requests-only").resources).toMatchObject({
      CpuShares: 102,
      MemoryReservation: 64 * MI,
    });
  },
  "fixtures/parity/resources-tiny-cpu.yaml": (pods) => {
    expect(container(pods, "parity-resources-tiny-cpu", "main").resources).toMatchObject({
      CpuQuota: 1000,
      CpuShares: 5,
    });
  },
  "fixtures/parity/sc-fsgroup.yaml": (pods) => {
    expect(container(pods, "parity-sc-fsgroup", "main").groups).toEqual(["4000", "2000"]);
  },
  "fixtures/parity/sc-users.yaml": (pods) => {
    expect(container(pods, "parity-sc-users", "inherits").user).toBe("1000:3000");
    expect(container(pods, "parity-sc-users", "overrides").user).toBe("2000:3000");
  },
  "fixtures/parity/sc-readonly.yaml": (pods) => {
    // Kubernetes mounts no tmpfs for a read-only root filesystem, and neither does kplay.
    expect(container(pods, "parity-sc-readonly", "main").tmpfs).toEqual({});
    expect(container(pods, "parity-sc-readonly", "main").readOnlyRootfs).toBe(true);
    expect(container(pods, "parity-sc-readonly", "tmp-volume").tmpfs).toEqual({});
  },
  "fixtures/parity/probe-exec.yaml": (pods) => {
    expect(container(pods, "parity-probe-exec", "main").healthcheck).toEqual({
      Test: ["CMD", "sh", "-c", "test -d /tmp && echo 'two  spaces'"],
      StartPeriod: 5e9,
      Interval: 7e9,
      Timeout: 2e9,
      Retries: 4,
    });
  },
  "fixtures/parity/probe-startup.yaml": (pods) => {
    expect(container(pods, "parity-probe-startup", "main").healthcheck).toMatchObject({
      StartPeriod: 32e9,
      Interval: 5e9,
    });
  },
  "fixtures/parity/host-pid.yaml": (pods) => {
    expect(container(pods, "parity-host-pid", "main").namespaces.pid).toBe("host");
  },
  "fixtures/parity/host-ipc.yaml": (pods) => {
    expect(pods["parity-host-ipc"]?.sharedNamespaces).toEqual(["net", "uts"]);
  },
  "fixtures/parity/grace-period.yaml": (pods) => {
    expect(container(pods, "parity-grace-period", "main").stopTimeout).toBe(3);
  },
  "fixtures/parity/emptydir.yaml": (pods) => {
    expect(container(pods, "parity-emptydir", "reader").mounts).toEqual([
      { destination: "/data", type: "volume", rw: false, source: "parity-emptydir_shared" },
    ]);
  },
  "fixtures/parity/subpath.yaml": (pods) => {
    const mounts = container(pods, "parity-subpath", "main").mounts;
    expect(
      mounts.map((m) => [m.destination, m.source.split("/").slice(-3).join("/"), m.rw]),
    ).toEqual([
      ["/a", "subpath/data/a", true],
      ["/all", "scratch/subpath/data", true],
      ["/b", "data/nested/b", false],
    ]);
  },
  "fixtures/parity/hostpath-relative.yaml": (pods) => {
    expect(container(pods, "parity-hostpath-relative", "main").mounts[0]?.source).toMatch(
      /\/manifests\/hostpath-relative\/relative-data$/,
    );
  },
  "fixtures/parity/dns-none.yaml": (pods) => {
    expect(pods["parity-dns-none"]?.dns).toEqual({
      servers: ["192.0.2.53"],
      search: ["."],
      options: [],
    });
  },
};
