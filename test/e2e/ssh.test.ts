/**
 * Podman on "another machine", reached as podman-remote reaches it: an ssh:// address, the
 * system ssh, the user's key and known_hosts. The other machine is a throwaway sshd on
 * 127.0.0.1 (its own config, host key and port; openssh-server from scripts/setup.sh) that
 * logs the rootless test user in with a throwaway key; the socket at the end is that user's
 * Podman service. kplay runs as root, as a developer's kplay runs as them; the ssh found on
 * PATH is the system one with a config naming the test's known_hosts file (as a user's
 * ~/.ssh/config would).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { join } from "node:path";
import process from "node:process";
import { repoRoot } from "../support/env.ts";
import { freePort } from "../support/http.ts";
import { kplayCommand } from "../support/kplay.ts";
import { markOwned, runCommand } from "../support/process.ts";
import {
  ROOTLESS_ENV,
  rootlessCleanup,
  rootlessPodmanJson,
  rootlessSocketPath,
  rootlessUser,
} from "../support/rootless.ts";

const SSHD = "/usr/sbin/sshd";
const skip = !process.env[ROOTLESS_ENV]
  ? `${ROOTLESS_ENV} is not set (scripts/test.sh starts the rootless service and sets it)`
  : process.getuid?.() !== 0
    ? "needs root (it runs an sshd)"
    : Bun.which("ssh") === null || !(await Bun.file(SSHD).exists())
      ? "needs openssh-server and openssh-client (scripts/setup.sh installs them)"
      : undefined;

let dir: string;
let port: number;
let sshd: ReturnType<typeof Bun.spawn> | undefined;
let url: string;

/** Waits (bounded) until something accepts on 127.0.0.1:port. */
async function listening(p: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = tcpConnect({ host: "127.0.0.1", port: p }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return true;
    await Bun.sleep(50);
  }
  return false;
}

function env(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = {
    ...process.env,
    // The system ssh, with the test's config in front of it (see bin/ssh below).
    PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    XDG_RUNTIME_DIR: join(dir, "xdg"),
    CONTAINERS_CONF: join(dir, "none.conf"),
    XDG_CONFIG_HOME: join(dir, "config"),
    ...extra,
  };
  delete e.CONTAINER_HOST;
  delete e.CONTAINER_CONNECTION;
  return e;
}

const kplay = (args: string[], extra?: Record<string, string>) =>
  runCommand([...kplayCommand("bin"), ...args], { env: env(extra), timeoutMs: 120_000 });

if (skip) {
  test.skip(`kplay over ssh://: ${skip}`, () => {});
} else {
  beforeAll(async () => {
    mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
    dir = mkdtempSync(join(repoRoot, ".tmp/ssh-"));
    markOwned(dir);
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "xdg"), { mode: 0o700 });
    mkdirSync(join(dir, "config/containers"), { recursive: true });
    writeFileSync(join(dir, "none.conf"), "");
    for (const key of ["host", "client", "stranger"]) {
      const made = await runCommand(
        [
          "ssh-keygen",
          "-q",
          "-t",
          "ed25519",
          "-N",
          "",
          "-C",
          `kplay-test-${key}`,
          "-f",
          join(dir, key),
        ],
        {},
      );
      expect(made.exitCode).toBe(0);
    }
    port = await freePort();
    const user = rootlessUser().name;
    // sshd reads the key list as the user it logs in: the folder must let that user through.
    chmodSync(dir, 0o711);
    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client.pub")), {
      mode: 0o644,
    });
    writeFileSync(
      join(dir, "sshd_config"),
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(dir, "host")}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        `AllowUsers ${user}`,
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        // The test user's password is locked ("!"), which sshd without PAM reads as a locked
        // account; PAM's account check lets a key in (the user has no password to use).
        "UsePAM yes",
        // The checkout's folders may be group-writable; this sshd serves one throwaway key.
        "StrictModes no",
        // Only socket forwarding is used; note AllowTcpForwarding no would deny it too (measured).
        "AllowStreamLocalForwarding yes",
        "PermitTTY no",
        "X11Forwarding no",
        ...(process.env.KPLAY_DEBUG_SSHD ? ["LogLevel DEBUG1"] : []),
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "known_hosts"),
      `[127.0.0.1]:${port} ${readFileSync(join(dir, "host.pub"), "utf8").split(" ").slice(0, 2).join(" ")}\n`,
    );
    writeFileSync(
      join(dir, "ssh_config"),
      `Host *\n  UserKnownHostsFile ${join(dir, "known_hosts")}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  IdentitiesOnly yes\n`,
    );
    writeFileSync(
      join(dir, "bin/ssh"),
      `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, "ssh_config")} "$@"\n`,
    );
    chmodSync(join(dir, "bin/ssh"), 0o755);
    // sshd's privilege separation folder (made by the package's service, never started here).
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    sshd = Bun.spawn([SSHD, "-D", "-e", "-f", join(dir, "sshd_config")], {
      stdout: "ignore",
      stderr: Bun.file(join(dir, "sshd.log")),
    });
    if (!(await listening(port, 20_000)))
      throw new Error(`sshd did not listen: ${readFileSync(join(dir, "sshd.log"), "utf8")}`);
    url = `ssh://${user}@127.0.0.1:${port}${rootlessSocketPath()}`;
  });

  afterAll(async () => {
    if (process.env.KPLAY_DEBUG_SSHD) console.log(readFileSync(join(dir, "sshd.log"), "utf8"));
    sshd?.kill("SIGTERM");
    await sshd?.exited;
    await rootlessCleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("an ssh:// address", () => {
    test("plays, lists and removes a pod on the rootless user's Podman, with CONTAINER_SSHKEY", async () => {
      const manifest = join(dir, "pod.yaml");
      writeFileSync(
        manifest,
        `apiVersion: v1
kind: Pod
metadata:
  name: over-ssh
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["sleep", "3600"]
`,
      );
      const key = { CONTAINER_SSHKEY: join(dir, "client") };
      const play = await kplay(["play", "--url", url, manifest], key);
      expect(play.stderr).toBe("");
      expect(play.exitCode).toBe(0);
      // What the rootless user's own Podman says, not kplay.
      const pods = await rootlessPodmanJson<{ Name: string; Status: string }[]>([
        "pod",
        "ps",
        "--format",
        "json",
      ]);
      expect(pods.map((p) => `${p.Name}:${p.Status}`)).toContain("over-ssh:Running");
      const ps = await kplay(["ps", "--url", url, "-o", "json"], key);
      expect(ps.exitCode).toBe(0);
      expect(
        (JSON.parse(ps.stdout) as { pods: { name: string }[] }).pods.map((p) => p.name),
      ).toEqual(["over-ssh"]);
      const down = await kplay(["down", "--url", url, manifest], key);
      expect(down.exitCode).toBe(0);
      expect(await rootlessPodmanJson<unknown[]>(["pod", "ps", "--format", "json"])).toEqual([]);
      // The forward's ssh is gone with kplay, and so is its local socket folder.
      const left = await runCommand(["pgrep", "-f", `${port}.*${rootlessSocketPath()}`], {});
      expect(left.stdout).toBe("");
    }, 180_000);

    test("a connection of podman-connections.json brings its own identity", async () => {
      writeFileSync(
        join(dir, "config/containers/podman-connections.json"),
        JSON.stringify({
          Connection: { Connections: { remote: { URI: url, Identity: join(dir, "client") } } },
        }),
      );
      const run = await kplay(["version", "--connection", "remote", "-o", "json"]);
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toHaveProperty("podman");
    }, 60_000);

    test("a key the server does not know, or a host key not in known_hosts: exit 1 with ssh's reason", async () => {
      const stranger = await kplay(["ps", "--url", url], {
        CONTAINER_SSHKEY: join(dir, "stranger"),
      });
      expect(stranger.exitCode).toBe(1);
      expect(stranger.stderr).toContain(`${url} (--url): ssh: `);
      expect(stranger.stderr).toContain("Permission denied (publickey)");
      expect(stranger.stderr).not.toMatch(/\n\s+at /);

      const hosts = readFileSync(join(dir, "known_hosts"), "utf8");
      writeFileSync(join(dir, "known_hosts"), "");
      try {
        const unknown = await kplay(["ps", "--url", url], {
          CONTAINER_SSHKEY: join(dir, "client"),
        });
        expect(unknown.exitCode).toBe(1);
        expect(unknown.stderr).toContain("Host key verification failed.");
      } finally {
        writeFileSync(join(dir, "known_hosts"), hosts);
      }
    }, 60_000);
  });
}
