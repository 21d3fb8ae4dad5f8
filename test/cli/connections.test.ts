/**
 * Podman's own connections: read from containers.conf (Podman 4) and podman-connections.json
 * (Podman 5) as Podman ranks them, chosen in Podman's order (--url/--connection,
 * CONTAINER_HOST, CONTAINER_CONNECTION, the default connection, the usual sockets), and used
 * against the real test service.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { endpointCandidates } from "../../src/cli/connect.ts";
import { readConnections } from "../../src/cli/connections.ts";
import { readTomlTables } from "../../src/cli/toml-lite.ts";
import { testUrl } from "../support/env.ts";
import { kplayCommand } from "../support/kplay.ts";
import { runCommand } from "../support/process.ts";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kplay-connections-"));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("the TOML containers.conf is read in", () => {
  test("tables, dotted and quoted keys, inline tables; other values are stepped over", () => {
    const tables = readTomlTables(`# a real file's shape
[containers]
default_ulimits = [
  "nofile=20000:20000",   # a comment inside
  "nproc=1000:1000",
]
log_size_max = -1
[engine]
active_service = "prod"  # trailing comment
runtime = 'runc'
env = ["A=1", "B=]"]
[engine.service_destinations]
prod = { uri = "ssh://core@10.0.0.5:22/run/podman/podman.sock", identity = "/home/me/.ssh/id" }
[engine.service_destinations."with space"]
uri = "unix:///run/\\u0070odman/podman.sock"
[[farms.list]]
uri = "not a table of ours"
`);
    expect(tables.problem).toBeUndefined();
    expect(tables.get("engine")?.get("active_service")).toBe("prod");
    expect(tables.get("engine")?.get("runtime")).toBe("runc");
    expect(tables.get("engine.service_destinations.prod")?.get("uri")).toBe(
      "ssh://core@10.0.0.5:22/run/podman/podman.sock",
    );
    expect(tables.get("engine.service_destinations.prod")?.get("identity")).toBe(
      "/home/me/.ssh/id",
    );
    expect(tables.get("engine.service_destinations.with space")?.get("uri")).toBe(
      "unix:///run/podman/podman.sock",
    );
    expect(tables.get("containers")?.get("log_size_max")).toBe(true);
    expect(tables.has("farms.list")).toBe(false);
  });

  test("a line it cannot read stops it, keeps what came before and says where", () => {
    const tables = readTomlTables(`[engine]\nactive_service = "a"\nthis is not toml\n`);
    expect(tables.get("engine")?.get("active_service")).toBe("a");
    expect(tables.problem).toBe("line 3: expected =");
  });
});

function files(name: string, contents: Record<string, string>): string {
  const dir = join(work, name);
  for (const [file, text] of Object.entries(contents)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe("connections are read as Podman ranks them", () => {
  test("containers.conf destinations and active_service; podman-connections.json wins", () => {
    const dir = files("ranked", {
      "containers.conf": `[engine]\nactive_service = "old"\n[engine.service_destinations.old]\nuri = "unix:///old.sock"\n[engine.service_destinations.both]\nuri = "unix:///from-toml.sock"\n`,
      "config/containers/podman-connections.json": JSON.stringify({
        Connection: {
          Default: "machine",
          Connections: {
            machine: {
              URI: "ssh://core@127.0.0.1:40123/run/user/501/podman/podman.sock",
              Identity: "/id",
              IsMachine: true,
            },
            both: { uri: "unix:///from-json.sock" },
          },
        },
        Farm: {},
      }),
    });
    const found = readConnections(
      { CONTAINERS_CONF: join(dir, "containers.conf"), XDG_CONFIG_HOME: join(dir, "config") },
      false,
    );
    expect(found.defaultName).toBe("machine");
    expect(found.defaultFrom).toBe(join(dir, "config/containers/podman-connections.json"));
    expect(found.byName.get("old")?.uri).toBe("unix:///old.sock");
    expect(found.byName.get("both")?.uri).toBe("unix:///from-json.sock");
    expect(found.byName.get("machine")).toEqual({
      name: "machine",
      uri: "ssh://core@127.0.0.1:40123/run/user/501/podman/podman.sock",
      identity: "/id",
      from: join(dir, "config/containers/podman-connections.json"),
    });
    expect(found.problems).toEqual([]);
  });

  test("PODMAN_CONNECTIONS_CONF names the JSON file; a broken one is a problem, not a crash", () => {
    const dir = files("broken", { "c.json": "{ not json", "none.conf": "" });
    const found = readConnections(
      { CONTAINERS_CONF: join(dir, "none.conf"), PODMAN_CONNECTIONS_CONF: join(dir, "c.json") },
      false,
    );
    expect(found.byName.size).toBe(0);
    expect(found.problems.length).toBe(1);
    expect(found.problems[0]).toStartWith(`${join(dir, "c.json")}: not JSON`);
  });
});

describe("where kplay looks, in Podman's order", () => {
  const conns = () =>
    readConnections(
      {
        CONTAINERS_CONF: join(
          files("order", {
            "containers.conf": `[engine]\nactive_service = "dev"\n[engine.service_destinations.dev]\nuri = "unix:///dev.sock"\n[engine.service_destinations.ci]\nuri = "tcp://127.0.0.1:1"\n`,
          }),
          "containers.conf",
        ),
        PODMAN_CONNECTIONS_CONF: join(work, "no-such.json"),
      },
      false,
    );
  const urls = (where: Parameters<typeof endpointCandidates>[0], env: Record<string, string>) => {
    const c = endpointCandidates(where, env, conns);
    return { named: c.named, list: c.list.map((x) => `${x.url} (${x.source.replace(work, "W")})`) };
  };

  test("named places are the only ones: --url, --connection, CONTAINER_HOST, CONTAINER_CONNECTION", () => {
    expect(urls({ url: "unix:///u.sock" }, { CONTAINER_HOST: "unix:///h.sock" })).toEqual({
      named: true,
      list: ["unix:///u.sock (--url)"],
    });
    expect(urls({ connection: "ci" }, { CONTAINER_HOST: "unix:///h.sock" })).toEqual({
      named: true,
      list: ['tcp://127.0.0.1:1 (--connection "ci" from W/order/containers.conf)'],
    });
    expect(urls({}, { CONTAINER_HOST: "unix:///h.sock", CONTAINER_CONNECTION: "ci" })).toEqual({
      named: true,
      list: ["unix:///h.sock (CONTAINER_HOST)"],
    });
    expect(urls({}, { CONTAINER_CONNECTION: "ci" })).toEqual({
      named: true,
      list: ['tcp://127.0.0.1:1 (CONTAINER_CONNECTION "ci" from W/order/containers.conf)'],
    });
  });

  test("else the default connection, the usual sockets and kplay's own service", () => {
    expect(urls({}, { XDG_RUNTIME_DIR: "/run/user/1000" })).toEqual({
      named: false,
      list: [
        'unix:///dev.sock (the default connection "dev" from W/order/containers.conf)',
        "unix:///run/user/1000/podman/podman.sock ($XDG_RUNTIME_DIR/podman/podman.sock)",
        "unix:///run/podman/podman.sock (the rootful default)",
        "unix:///run/user/1000/kplay/podman.sock (kplay's own service)",
      ],
    });
  });

  test("an unknown name, or --url with --connection, is a usage error naming what Podman has", () => {
    expect(() => endpointCandidates({ connection: "nope" }, {}, conns)).toThrow(
      '--connection "nope": Podman has no connection of that name (it has ci, dev; see `podman system connection list`)',
    );
    expect(() => endpointCandidates({ url: "unix:///a", connection: "ci" }, {}, conns)).toThrow(
      "--url and --connection name two places: give one of them",
    );
  });
});

describe("against the real test service", () => {
  const env = (extra: Record<string, string>) => {
    const e: Record<string, string | undefined> = { ...process.env, ...extra };
    delete e.CONTAINER_HOST;
    delete e.CONTAINER_CONNECTION;
    // Nothing to fall back on: only the connection can make these pass.
    e.PATH = "";
    e.XDG_RUNTIME_DIR = join(work, "empty-xdg");
    return e;
  };

  test("--connection read from a containers.conf reaches Podman", async () => {
    const dir = files("real-toml", {
      "containers.conf": `[engine]\n[engine.service_destinations.test]\nuri = "${testUrl()}"\n`,
    });
    const run = await runCommand(
      [...kplayCommand("bin"), "ps", "--connection", "test", "-o", "json"],
      {
        env: env({ CONTAINERS_CONF: join(dir, "containers.conf") }),
      },
    );
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("pods");
  });

  test("CONTAINER_CONNECTION and the default connection read from a podman-connections.json", async () => {
    const dir = files("real-json", {
      "none.conf": "",
      "containers/podman-connections.json": JSON.stringify({
        Connection: { Default: "test", Connections: { test: { URI: testUrl() } } },
      }),
    });
    const base = { CONTAINERS_CONF: join(dir, "none.conf"), XDG_CONFIG_HOME: dir };
    const named = await runCommand([...kplayCommand("bin"), "ps", "-o", "json"], {
      env: env({ ...base, CONTAINER_CONNECTION: "test" }),
    });
    expect(named.stderr).toBe("");
    expect(named.exitCode).toBe(0);
    const byDefault = await runCommand([...kplayCommand("bin"), "version", "-o", "json"], {
      env: env(base),
    });
    expect(byDefault.exitCode).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toHaveProperty("podman");
  });
});
