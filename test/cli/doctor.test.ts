/**
 * `kplay doctor` against the real test services: what it reports is what Podman reports, it
 * exits 0 where kplay can play and 1 where it cannot, and the registry probe tells a registry
 * that answers from one that does not (against servers on 127.0.0.1, never outside).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { registryAnswers } from "../../src/cli/commands/doctor.ts";
import { freePort } from "../support/http.ts";
import { runKplay } from "../support/kplay.ts";
import { podman } from "../support/podman.ts";
import { ROOTLESS_ENV, rootlessCgroupVersion, runKplayRootless } from "../support/rootless.ts";
import { expectNoStackTrace } from "./helpers.ts";

interface Report {
  canPlay: boolean;
  endpoint?: string;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}
const byName = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.name, c]));

test("rootful test service: exit 0, Podman's own version, rootful, ports unrestricted", async () => {
  const run = await runKplay(["doctor", "-o", "json", "--no-registries"]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  const report = JSON.parse(run.stdout) as Report;
  expect(report.canPlay).toBe(true);
  const checks = byName(report);
  expect(checks.endpoint?.status).toBe("ok");
  expect(checks.endpoint?.detail).toEndWith("(CONTAINER_HOST)");
  const version = (await podman(["version", "--format", "{{.Client.Version}}"])).stdout.trim();
  expect(checks.podman?.detail).toStartWith(`${version} (libpod API `);
  expect(checks.rootless?.detail).toStartWith("no");
  expect(checks.ports?.status).toBe("ok");
  const cgroups = (await podman(["info", "--format", "{{.Host.CgroupsVersion}}"])).stdout.trim();
  expect(checks.cgroups?.detail).toStartWith(`${cgroups}`);
  expect(checks["infra image"]?.status).toBe("ok");
  expect(Object.keys(checks)).toEqual([
    "kplay",
    "endpoint",
    "podman",
    "rootless",
    "runtime",
    "cgroups",
    "network",
    "ports",
    "infra image",
    "registries",
  ]);
  // The table says the same, one line per check, and the verdict last.
  const table = await runKplay(["doctor", "--no-registries"]);
  expect(table.exitCode).toBe(0);
  expect(table.stdout).toMatch(/^ok {4}podman {7}\d/m);
  expect(table.stdout).toEndWith("kplay can play here.\n");
});

test("nothing at --url: exit 1, the reason, and the fix", async () => {
  const run = await runKplay(["doctor", "--url", "unix:///nonexistent-doctor.sock"]);
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toContain("FAIL  endpoint");
  expect(run.stdout).toContain(
    "unix:///nonexistent-doctor.sock (--url): no such socket file (ENOENT)",
  );
  expect(run.stdout).toContain("fix: ");
  expect(run.stdout).toEndWith("kplay cannot play here yet.\n");
  expectNoStackTrace(run.stdout + run.stderr);
});

const rootless = process.env[ROOTLESS_ENV] ? test : test.skip;
rootless(
  "rootless service: rootless, the cgroup verdict and the port floor of this machine",
  async () => {
    const run = await runKplayRootless(["doctor", "-o", "json", "--no-registries"]);
    expect(run.exitCode).toBe(0);
    const checks = byName(JSON.parse(run.stdout) as Report);
    expect(checks.endpoint?.detail).toEndWith("($XDG_RUNTIME_DIR/podman/podman.sock)");
    expect(checks.rootless?.detail).toStartWith("yes");
    const version = await rootlessCgroupVersion();
    expect(checks.cgroups?.status).toBe(version === "v1" ? "warn" : (checks.cgroups?.status ?? ""));
    const floor = (await Bun.file("/proc/sys/net/ipv4/ip_unprivileged_port_start").text()).trim();
    if (floor !== "0") expect(checks.ports?.detail).toContain(`below ${floor} cannot be bound`);
  },
);

describe("the registry probe", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      // A registry asks for a login at /v2/; anything else here is not one.
      res.statusCode = req.url === "/v2/" ? 401 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  test("401 at /v2/ answers; a refused port says why", async () => {
    expect(await registryAnswers(base)).toBeUndefined();
    expect(await registryAnswers(`${base}/not-a-registry`)).toBe("answered 404");
    const closed = await freePort();
    expect(await registryAnswers(`http://127.0.0.1:${closed}`)).toMatch(/ECONNREFUSED|refused/i);
  });
});
