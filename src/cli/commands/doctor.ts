/**
 * `kplay doctor`: what kplay found, what it means for playing manifests, and the fix for each
 * thing that is not right. Exit 0 when kplay can play here, 1 when it cannot (no Podman, or
 * one too old). Reads only: it asks Podman, never changes anything, and probes a registry
 * only where Podman is configured to search one (`--no-registries` skips that).
 */
import { existsSync } from "node:fs";
import { platform } from "node:os";
import process from "node:process";
import { readVersion } from "../../podman/version.ts";
import type { Endpoint } from "../../transport/types.ts";
import { describeEndpoint } from "../../transport/types.ts";
import { findPodman, OWN_SERVICE_IDLE_SECONDS } from "../autostart.ts";
import { connect } from "../connect.ts";
import { readConnections } from "../connections.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "../io.ts";
import { type OutputFormat, renderData } from "../render.ts";

export type CheckStatus = "ok" | "warn" | "fail" | "info";

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorFlags {
  readonly url?: string;
  readonly connection?: string;
  readonly output: OutputFormat;
  readonly debug?: boolean;
  /** Do not probe the registries Podman searches. */
  readonly registries?: boolean;
}

/** What `GET /libpod/info` says that doctor reads (Podman 4.x and 5.x field names). */
interface Info {
  host?: {
    security?: { rootless?: boolean };
    cgroupVersion?: string;
    cgroupControllers?: string[];
    networkBackend?: string;
    networkBackendInfo?: { dns?: { package?: string; path?: string; version?: string } };
    ociRuntime?: { name?: string };
    os?: string;
    arch?: string;
    remoteSocket?: { path?: string };
  };
  registries?: { search?: string[] } & Record<string, unknown>;
}

const check = (name: string, status: CheckStatus, detail: string, fix?: string): Check =>
  fix === undefined ? { name, status, detail } : { name, status, detail, fix };

/** Whether `https://REGISTRY/v2/` answers as a registry does (200, or 401 asking to log in). */
export async function registryAnswers(base: string, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const res = await fetch(`${base}/v2/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 200 || res.status === 401 ? undefined : `answered ${res.status}`;
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (e as Error).message;
  }
}

/** Where the endpoint is, for the checks that depend on this machine being Podman's host. */
const isLocal = (endpoint: Endpoint) => endpoint.kind === "unix" && platform() === "linux";

function cgroupCheck(info: Info, rootless: boolean): Check {
  const version = info.host?.cgroupVersion ?? "unknown";
  const controllers = info.host?.cgroupControllers ?? [];
  if (version === "v1" && rootless) {
    return check(
      "cgroups",
      "warn",
      "v1, rootless: memory and CPU limits are accepted and ignored (Podman says so per container)",
      "boot with cgroup v2 (systemd.unified_cgroup_hierarchy=1) to have resources.limits enforced",
    );
  }
  const missing = ["memory", "cpu", "pids"].filter((c) => !controllers.includes(c));
  if (version === "v2" && missing.length > 0) {
    return check(
      "cgroups",
      "warn",
      `v2 without the ${missing.join(", ")} controller${missing.length > 1 ? "s" : ""}: those limits are not enforced`,
      "delegate them to the user (systemd: Delegate=memory cpu pids in user@.service)",
    );
  }
  return check("cgroups", "ok", `${version}: resources.limits are enforced`);
}

function networkCheck(info: Info, endpoint: Endpoint): Check {
  const backend = info.host?.networkBackend ?? "unknown";
  if (backend === "cni") {
    return check(
      "network",
      "warn",
      "CNI: kplay's per-namespace networks work, Service names need the dnsname plugin",
      'switch to netavark (network_backend = "netavark" in containers.conf, then podman system reset)',
    );
  }
  if (backend !== "netavark") return check("network", "info", `backend ${backend}`);
  const dns = info.host?.networkBackendInfo?.dns;
  const aardvark =
    dns?.path ??
    (isLocal(endpoint)
      ? ["/usr/libexec/podman/aardvark-dns", "/usr/lib/podman/aardvark-dns"].find((p) =>
          existsSync(p),
        )
      : undefined);
  if (aardvark) {
    return check(
      "network",
      "ok",
      `netavark with aardvark-dns (${aardvark}): Service names resolve in pods`,
    );
  }
  if (dns === undefined && !isLocal(endpoint)) {
    return check(
      "network",
      "info",
      "netavark; whether aardvark-dns is installed cannot be seen from here",
    );
  }
  return check(
    "network",
    "warn",
    "netavark without aardvark-dns: pods cannot find Services by name",
    "install aardvark-dns (apt install aardvark-dns, dnf install aardvark-dns)",
  );
}

async function portCheck(rootless: boolean, endpoint: Endpoint): Promise<Check> {
  if (!rootless) return check("ports", "ok", "rootful: every hostPort can be bound");
  if (!isLocal(endpoint)) {
    return check(
      "ports",
      "info",
      "rootless; the unprivileged port floor of Podman's host cannot be read from here",
    );
  }
  const { readFileSync } = await import("node:fs");
  let floor = 1024;
  try {
    floor = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8").trim());
  } catch {
    // no such file: the kernel's default
  }
  if (floor === 0)
    return check(
      "ports",
      "ok",
      "rootless, and every port can be bound (ip_unprivileged_port_start=0)",
    );
  return check(
    "ports",
    "info",
    `rootless: hostPorts and LoadBalancer ports below ${floor} cannot be bound (kplay refuses them before changing anything)`,
    `use ports from ${floor} up, or: sudo sysctl net.ipv4.ip_unprivileged_port_start=80`,
  );
}

/** `kplay doctor`. */
export async function runDoctor(io: CliIo, flags: DoctorFlags): Promise<number> {
  const checks: Check[] = [];
  const { KPLAY_BUILD, KPLAY_COMMIT, KPLAY_VERSION } = await import("./version.ts");
  checks.push(check("kplay", "info", `${KPLAY_VERSION} (commit ${KPLAY_COMMIT}, ${KPLAY_BUILD})`));
  const connections = readConnections(io.env, process.getuid?.() === 0);
  if (connections.byName.size > 0) {
    const names = [...connections.byName.keys()]
      .sort()
      .map((n) => (n === connections.defaultName ? `${n} (default)` : n));
    checks.push(check("connections", "info", `Podman's: ${names.join(", ")}`));
  }
  for (const problem of connections.problems) {
    checks.push(
      check("config", "warn", `cannot read ${problem}`, "fix the file: Podman itself refuses it"),
    );
  }
  let endpointText: string | undefined;
  try {
    const { client, apiVersion, source } = await connect(
      flags,
      io.env,
      flags.debug ? io.stderr : undefined,
      io.stderr,
    );
    const endpoint = client.transport.endpoint;
    endpointText = describeEndpoint(endpoint);
    try {
      const own = source.startsWith("kplay's own service");
      checks.push(
        check(
          "endpoint",
          "ok",
          `${endpointText} (${source})`,
          own
            ? `kplay runs this service itself and it exits after ${OWN_SERVICE_IDLE_SECONDS} s unused; for one that stays: systemctl ${process.getuid?.() === 0 ? "" : "--user "}enable --now podman.socket`
            : undefined,
        ),
      );
      const version = await readVersion(client);
      checks.push(check("podman", "ok", `${version.version} (libpod API ${apiVersion})`));
      const info = await client.call<Info>({ method: "GET", path: "/info" });
      const rootless = info?.host?.security?.rootless === true;
      checks.push(
        check(
          "rootless",
          "info",
          rootless ? "yes: pods run as your user" : "no: Podman runs as root",
        ),
      );
      checks.push(check("runtime", "info", info?.host?.ociRuntime?.name ?? "unknown"));
      checks.push(cgroupCheck(info ?? {}, rootless));
      checks.push(networkCheck(info ?? {}, endpoint));
      checks.push(await portCheck(rootless, endpoint));
      const pause = await client.call<{ Names?: string[] }[]>({
        method: "GET",
        path: "/images/json",
        query: { filters: JSON.stringify({ reference: ["localhost/podman-pause"] }) },
      });
      const pauseName = pause?.[0]?.Names?.[0];
      checks.push(
        check(
          "infra image",
          "ok",
          pauseName
            ? `${pauseName} (Podman's own, built locally)`
            : "Podman's own podman-pause, built locally on the first pod (no registry needed)",
        ),
      );
      const search = Array.isArray(info?.registries?.search)
        ? (info?.registries?.search ?? [])
        : [];
      if (search.length === 0) {
        checks.push(
          check(
            "registries",
            "info",
            "none searched for short image names: write images in full (docker.io/library/nginx), or set unqualified-search-registries",
          ),
        );
      } else if (flags.registries === false) {
        checks.push(
          check("registries", "info", `${search.join(", ")} (not probed: --no-registries)`),
        );
      } else {
        const results = await Promise.all(
          search.map(async (r) => [r, await registryAnswers(`https://${r}`)] as const),
        );
        const down = results.filter(([, why]) => why !== undefined);
        checks.push(
          down.length === 0
            ? check("registries", "ok", `${search.join(", ")} answer`)
            : check(
                "registries",
                "warn",
                results
                  .map(([r, why]) => `${r}: ${why === undefined ? "answers" : why}`)
                  .join("; "),
                "images not in Podman's store cannot be pulled from those: podman load or podman build them, and set imagePullPolicy: Never or IfNotPresent",
              ),
        );
      }
    } finally {
      await client.transport.close();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const podman = findPodman(io.env);
    checks.push(
      check(
        "endpoint",
        "fail",
        message,
        podman === undefined
          ? "install Podman (https://podman.io/docs/installation); kplay then starts its service by itself"
          : "start Podman's service (systemctl --user start podman.socket), or name it with --url, --connection or CONTAINER_HOST",
      ),
    );
  }
  const canPlay = !checks.some((c) => c.status === "fail");
  if (flags.output !== "table") {
    io.stdout(
      renderData(
        { canPlay, ...(endpointText ? { endpoint: endpointText } : {}), checks },
        flags.output,
      ),
    );
  } else {
    const width = Math.max(...checks.map((c) => c.name.length));
    const mark: Record<CheckStatus, string> = {
      ok: "ok  ",
      warn: "warn",
      fail: "FAIL",
      info: "    ",
    };
    const lines = checks.flatMap((c) => {
      const head = `${mark[c.status]}  ${c.name.padEnd(width)}  `;
      const [first, ...rest] = c.detail.split("\n");
      return [
        `${head}${first}`,
        ...rest.map((l) => `${" ".repeat(head.length)}${l}`),
        ...(c.fix
          ? [
              `${" ".repeat(head.length)}${c.status === "warn" || c.status === "fail" ? "fix" : "note"}: ${c.fix}`,
            ]
          : []),
      ];
    });
    io.stdout(
      `${lines.join("\n")}\n${canPlay ? "kplay can play here." : "kplay cannot play here yet."}\n`,
    );
  }
  return canPlay ? EXIT_OK : EXIT_FAILURE;
}
