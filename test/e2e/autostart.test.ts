/**
 * Zero set-up: a machine with Podman installed and no API service. Each scenario runs in a
 * private mount namespace (`unshare -m`) where nothing answers at the usual sockets: an
 * empty tmpfs over /run/podman (when it exists) and over XDG_RUNTIME_DIR. There, with no
 * flag and no CONTAINER_HOST, kplay must start Podman's service itself, once for two plays
 * at once, play and remove pods through it, and leave it to exit by itself once idle; an
 * explicit --url to a missing socket must fail as it always did and start nothing.
 *
 * Root's scenario uses its own store (CONTAINERS_CONF and CONTAINERS_STORAGE_CONF name
 * files in the test's folder, so root's real store is never touched); the rootless one a
 * store of its own for the user kplay-rootless (scripts/rootless-service.sh prepare).
 * Everything runs in one namespace per scenario, as the tmpfs is seen only inside it.
 */
import { afterAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { containersConf, repoRoot } from "../support/env.ts";
import { markOwned, runCommand } from "../support/process.ts";
import { ROOTLESS_ENV, rootlessUser } from "../support/rootless.ts";

const isRoot = process.getuid?.() === 0;
const hasUnshare = Bun.which("unshare") !== null && Bun.which("podman") !== null;
const MISSING = "unix:///nonexistent-kplay-autostart.sock";

function pod(name: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["sleep", "3600"]
`;
}

/**
 * The script run inside the namespace, as the user kplay runs as: the --url check first
 * (nothing may be started by it), then two plays at once, ps and down; it records each
 * command's output and exit code in W, and the pid of the service kplay started.
 */
function scenarioScript(kplay: string, w: string, xdg: string): string {
  return `set -u
K=${kplay}; W=${w}; X=${xdg}
run() { name=$1; shift; "$K" "$@" >"$W/$name.out" 2>"$W/$name.err"; echo $? >"$W/$name.rc"; }
run url ps --url ${MISSING}
ls -A "$X" >"$W/xdg-after-url"
run a play "$W/a.yaml" & run b play "$W/b.yaml" & wait
run ps ps -o json
run down down "$W/a.yaml" "$W/b.yaml"
run after ps -o json
cat "$X/kplay/podman.pid" >"$W/pid" 2>/dev/null
`;
}

/** The namespace around it: the tmpfs mounts, then the script as `asUser` (root if empty). */
function namespaceCommand(
  script: string,
  xdg: string,
  asUser: string[],
  xdgOwner: string,
): string[] {
  const mounts = [
    "set -e",
    "if [ -d /run/podman ]; then mount -t tmpfs -o mode=0755 tmpfs /run/podman; fi",
    `mount -t tmpfs -o mode=0700,uid=${xdgOwner},gid=${xdgOwner} tmpfs ${xdg}`,
    'exec "$@"',
  ].join("\n");
  return [
    "unshare",
    "-m",
    "--propagation",
    "private",
    "sh",
    "-c",
    mounts,
    "sh",
    ...asUser,
    "sh",
    "-c",
    script,
  ];
}

const read = (w: string, f: string) => readFileSync(join(w, f), "utf8");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits (bounded) for the service to exit by itself; returns whether it did. */
async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await Bun.sleep(200);
  }
  return !alive(pid);
}

/** What every scenario must show, from the files the script left in W. */
async function expectScenario(w: string): Promise<void> {
  // --url to a missing socket: today's message, exit 1, and no service started for it.
  expect(read(w, "url.rc").trim()).toBe("1");
  expect(read(w, "url.err")).toStartWith("kplay: Cannot reach Podman. kplay looked at:\n");
  expect(read(w, "url.err")).toContain(`${MISSING} (--url): no such socket file (ENOENT)`);
  expect(read(w, "url.err")).not.toContain("started");
  expect(read(w, "xdg-after-url")).toBe("");

  // Two plays at once: both succeed, exactly one says it started the service.
  expect({ a: read(w, "a.rc").trim(), b: read(w, "b.rc").trim() }).toEqual({ a: "0", b: "0" });
  const notices = [read(w, "a.err"), read(w, "b.err")].filter((e) =>
    e.includes("kplay: no Podman service answered; started `podman system service`"),
  );
  expect(notices.length).toBe(1);

  expect(read(w, "ps.rc").trim()).toBe("0");
  const names = (JSON.parse(read(w, "ps.out")) as { pods: { name: string; status: string }[] }).pods
    .map((p) => `${p.name}:${p.status}`)
    .sort();
  expect(names).toEqual(["auto-a:Running", "auto-b:Running"]);
  expect(read(w, "ps.err")).toBe("");
  expect(read(w, "down.rc").trim()).toBe("0");
  expect((JSON.parse(read(w, "after.out")) as { pods: unknown[] }).pods).toEqual([]);

  // The service kplay started exits by itself once idle (10 s), so nothing lingers.
  const pid = Number(read(w, "pid").trim());
  expect(pid).toBeGreaterThan(0);
  expect(await exitsWithin(pid, 60_000)).toBe(true);
}

function writeManifests(w: string): void {
  writeFileSync(join(w, "a.yaml"), pod("auto-a"));
  writeFileSync(join(w, "b.yaml"), pod("auto-b"));
}

const skipReason = !isRoot
  ? "needs root (mount namespaces and tmpfs mounts)"
  : !hasUnshare
    ? "needs unshare and podman on PATH"
    : undefined;

if (skipReason) {
  test.skip(`kplay starts Podman's service itself: ${skipReason}`, () => {});
} else {
  describe("no Podman service anywhere: kplay starts one", () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    test("as root: plays and removes pods with no flags, one service for two plays, gone once idle", async () => {
      mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
      const dir = mkdtempSync(join(repoRoot, ".tmp/autostart-"));
      markOwned(dir);
      const w = join(dir, "w");
      const xdg = join(dir, "xdg");
      mkdirSync(join(dir, "root"), { recursive: true });
      mkdirSync(w);
      mkdirSync(xdg, { mode: 0o700 });
      const podmanFlags = [
        "--root",
        join(dir, "root"),
        "--runroot",
        join(dir, "run"),
        "--tmpdir",
        join(dir, "tmp"),
      ];
      const env: Record<string, string | undefined> = {
        ...process.env,
        KPLAY_CONTAINERS_CONF: containersConf(),
      };
      delete env.CONTAINER_HOST;
      delete env.CONTAINER_CONNECTION;
      cleanups.push(async () => {
        const cliEnv = { ...env, CONTAINERS_CONF: containersConf() };
        await runCommand(
          ["podman", ...podmanFlags, "pod", "rm", "--all", "--force", "--time", "0"],
          { env: cliEnv },
        );
        await runCommand(["rm", "-rf", dir], {});
      });
      const images = await runCommand(["bash", "scripts/test-image.sh", dir], {
        cwd: repoRoot,
        env,
      });
      expect(images.exitCode).toBe(0);
      // Root's own Podman, as a user's configuration would set it up: these two files stand
      // in for /etc/containers/{containers,storage}.conf.
      const conf = readFileSync(containersConf(), "utf8").replace(
        /^\[engine\]$/m,
        `[engine]\ntmp_dir = "${join(dir, "tmp")}"`,
      );
      writeFileSync(join(dir, "containers.conf"), conf);
      writeFileSync(
        join(dir, "storage.conf"),
        `[storage]\ndriver = "overlay"\ngraphroot = "${join(dir, "root")}"\nrunroot = "${join(dir, "run")}"\n`,
      );
      writeManifests(w);
      const script = scenarioScript(join(repoRoot, "dist/kplay"), w, xdg);
      const run = await runCommand(namespaceCommand(script, xdg, [], "0"), {
        env: {
          PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
          HOME: process.env.HOME ?? "/root",
          XDG_RUNTIME_DIR: xdg,
          CONTAINERS_CONF: join(dir, "containers.conf"),
          CONTAINERS_STORAGE_CONF: join(dir, "storage.conf"),
        },
        timeoutMs: 240_000,
      });
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
      await expectScenario(w);
    }, 300_000);

    const rootless = process.env[ROOTLESS_ENV] ? test : test.skip;
    rootless(
      "as the rootless user: the same with its own Podman",
      async () => {
        mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
        const dir = mkdtempSync(join(repoRoot, ".tmp/rootless-autostart-"));
        markOwned(dir);
        cleanups.push(() =>
          runCommand(["bash", "scripts/rootless-service.sh", "stop", dir], { cwd: repoRoot }),
        );
        const prepared = await runCommand(["bash", "scripts/rootless-service.sh", "prepare", dir], {
          cwd: repoRoot,
          timeoutMs: 120_000,
        });
        expect(prepared.stderr).not.toContain("error");
        expect(prepared.exitCode).toBe(0);
        const user = rootlessUser();
        const w = join(dir, "work-autostart");
        mkdirSync(w);
        writeManifests(w);
        const kplay = join(dir, "kplay");
        copyFileSync(join(repoRoot, "dist/kplay"), kplay);
        chmodSync(kplay, 0o755);
        await runCommand(["chown", "-R", `${user.uid}:${user.gid}`, w], {});
        const xdg = join(dir, "run");
        const asUser = [
          "setpriv",
          "--reuid",
          user.name,
          "--regid",
          user.name,
          "--init-groups",
          "env",
          "-i",
          `HOME=${dir}/home`,
          `XDG_RUNTIME_DIR=${xdg}`,
          `USER=${user.name}`,
          `LOGNAME=${user.name}`,
          "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG=C.UTF-8",
        ];
        const run = await runCommand(
          namespaceCommand(scenarioScript(kplay, w, xdg), xdg, asUser, String(user.uid)),
          {
            cwd: "/",
            env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
            timeoutMs: 240_000,
          },
        );
        expect(run.stderr).toBe("");
        expect(run.exitCode).toBe(0);
        await expectScenario(w);
      },
      300_000,
    );
  });
}
