/**
 * Podman's named connections, read from where Podman itself keeps them, so that
 * `kplay --connection NAME`, CONTAINER_CONNECTION and the default connection (what
 * `podman system connection default` or `podman machine init` set) reach the same service
 * `podman --connection NAME` would:
 *
 * - Podman 5: `podman-connections.json` in the user's config folder
 *   ($XDG_CONFIG_HOME/containers, else ~/.config/containers; PODMAN_CONNECTIONS_CONF names
 *   another file). It wins over containers.conf, as in Podman.
 * - Podman 4 (and read-only in 5): containers.conf `[engine] active_service` and
 *   `[engine.service_destinations.NAME] uri/identity`, merged over Podman's usual files
 *   (CONTAINERS_CONF alone when set; CONTAINERS_CONF_OVERRIDE last).
 *
 * Only the few keys that name connections are read; the rest of containers.conf is Podman's.
 */
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { readTomlTables } from "./toml-lite.ts";

export interface Connection {
  readonly name: string;
  readonly uri: string;
  /** The ssh private key of an ssh:// connection. */
  readonly identity?: string;
  /** Where it was read, for messages and `kplay doctor`. */
  readonly from: string;
}

export interface Connections {
  readonly byName: ReadonlyMap<string, Connection>;
  /** The default connection's name, and the file that made it the default. */
  readonly defaultName?: string;
  readonly defaultFrom?: string;
  /** Files that exist but could not be read as Podman reads them (said by doctor). */
  readonly problems: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

function configHome(env: Env): string {
  return env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** `DIR/*.conf`, sorted as Podman sorts a drop-in folder. */
function dropIns(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".conf"))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The containers.conf files Podman reads, lowest priority first. */
export function containersConfFiles(env: Env, isRoot: boolean): string[] {
  const override = env.CONTAINERS_CONF_OVERRIDE ? [env.CONTAINERS_CONF_OVERRIDE] : [];
  if (env.CONTAINERS_CONF) return [env.CONTAINERS_CONF, ...override];
  const user = join(configHome(env), "containers");
  const files = [
    "/usr/share/containers/containers.conf",
    ...dropIns("/usr/share/containers/containers.conf.d"),
    "/etc/containers/containers.conf",
    ...dropIns("/etc/containers/containers.conf.d"),
    ...(isRoot
      ? dropIns("/etc/containers/containers.rootful.conf.d")
      : dropIns("/etc/containers/containers.rootless.conf.d")),
    join(user, "containers.conf"),
    ...dropIns(join(user, "containers.conf.d")),
  ];
  return [...files, ...override];
}

/** The podman-connections.json Podman 5 reads and writes. */
export function connectionsJsonFile(env: Env): string {
  return (
    env.PODMAN_CONNECTIONS_CONF || join(configHome(env), "containers", "podman-connections.json")
  );
}

/** A JSON key as Go's decoder matches it: case-insensitively. */
function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (obj as Record<string, unknown>)[key];
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : undefined;

/** Reads every connection Podman would know about, as Podman ranks them. */
export function readConnections(env: Env, isRoot: boolean): Connections {
  const byName = new Map<string, Connection>();
  const problems: string[] = [];
  let defaultName: string | undefined;
  let defaultFrom: string | undefined;

  for (const file of containersConfFiles(env, isRoot)) {
    const source = readOptional(file);
    if (source === undefined) continue;
    const tables = readTomlTables(source);
    if (tables.problem) problems.push(`${file}: ${tables.problem}`);
    const engine = tables.get("engine");
    const active = text(engine?.get("active_service"));
    if (active !== undefined) {
      defaultName = active;
      defaultFrom = file;
    }
    for (const [table, values] of tables) {
      const m = /^engine\.service_destinations\.(.+)$/.exec(table);
      if (!m?.[1]) continue;
      const uri = text(values.get("uri"));
      if (uri === undefined) continue;
      const identity = text(values.get("identity"));
      byName.set(m[1], { name: m[1], uri, ...(identity ? { identity } : {}), from: file });
    }
  }

  const jsonFile = connectionsJsonFile(env);
  const json = readOptional(jsonFile);
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      problems.push(`${jsonFile}: not JSON (${(e as Error).message})`);
    }
    const connection = field(parsed, "Connection");
    const list = field(connection, "Connections");
    if (list && typeof list === "object") {
      for (const [name, value] of Object.entries(list)) {
        const uri = text(field(value, "URI"));
        if (uri === undefined) continue;
        const identity = text(field(value, "Identity"));
        byName.set(name, { name, uri, ...(identity ? { identity } : {}), from: jsonFile });
      }
    }
    const def = text(field(connection, "Default"));
    if (def !== undefined) {
      defaultName = def;
      defaultFrom = jsonFile;
    }
  }
  return {
    byName,
    ...(defaultName === undefined || defaultFrom === undefined ? {} : { defaultName, defaultFrom }),
    problems,
  };
}
