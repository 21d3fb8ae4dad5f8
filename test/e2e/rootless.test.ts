/**
 * kplay against a real ROOTLESS Podman, as its main users run it: the service of
 * scripts/rootless-service.sh (user kplay-rootless, slirp4netns, rootlessport, cgroup v1),
 * through the compiled executable run as that user, as kplay's users run it (it finds the
 * socket under $XDG_RUNTIME_DIR by itself). Needs KPLAY_TEST_ROOTLESS_URL (scripts/test.sh).
 *
 * What differs from rootful Podman, and what these tests pin:
 *  - container root is the rootless user on the host; host root is unmapped (nobody inside).
 *    A hostPath folder must be writable by that user; the DirectoryOrCreate folders kplay
 *    creates are, since kplay runs as that user.
 *  - resource limits are accepted and ignored on cgroup v1; Podman says so in the create
 *    answer's Warnings, which kplay prints as `kplay: warning: ...`.
 *  - a hostPort below 1024 cannot be bound (rootlessport); the play fails and rolls back.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pairManifest } from "../faults/helpers.ts";
import { sweep } from "../faults/sweep.ts";
import { startFaultProxy } from "../support/fault-proxy.ts";
import { waitForFile } from "../support/files.ts";
import { freePort, httpGet } from "../support/http.ts";
import {
  mkdirForRootless,
  ROOTLESS_ENV,
  rootlessCgroupVersion,
  rootlessCleanup,
  rootlessDir,
  rootlessPodman,
  rootlessPodmanJson,
  rootlessSnapshot,
  rootlessSocketPath,
  rootlessUrl,
  rootlessUser,
  runKplayRootless,
} from "../support/rootless.ts";
import { coreScenario } from "./core-scenario.ts";
import { coreManifest } from "./manifests.ts";
import { servicesScenario } from "./services-scenario.ts";
import { workloadsScenario } from "./workloads-scenario.ts";

let work: string;

/**
 * rootlessport accepts on the host before the pod's httpd listens and may then hold the
 * connection without an answer, so each attempt is short, and they go on for 90 s (inside the
 * suite's per-test timeout). CI once took 21 s for a play that takes 2 s here.
 */
const ROOTLESSPORT_RETRY = { timeoutMs: 2000, retryForMs: 90_000 } as const;

function limitedManifest(pod: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${pod}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      resources:
        limits:
          memory: 64Mi
`;
}

function privilegedPortManifest(pod: string, hostPort: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${pod}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      command: ["httpd", "-f", "-p", "8080"]
      ports:
        - containerPort: 8080
          hostPort: ${hostPort}
          hostIP: 127.0.0.1
`;
}

// One visible skip, with its reason, when there is no rootless service to talk to.
if (rootlessUrl() === undefined) {
  test.skip(`rootless Podman: ${ROOTLESS_ENV} is not set (scripts/test.sh starts scripts/rootless-service.sh and sets it)`, () => {});
} else {
  describe("rootless Podman", rootlessSuite);
}

function rootlessSuite(): void {
  beforeAll(() => {
    // Inside the service's folder (mode 0711), so that rootless-service.sh stop removes it
    // even after a killed run. mkdtemp makes it 0700: the rootless user (who mounts the
    // hostPath folders inside it, as its user namespace's root) could not reach them.
    work = mkdtempSync(join(rootlessDir(), "work-"));
    chmodSync(work, 0o755);
  });
  afterAll(async () => {
    await rootlessCleanup();
    // As root: the folders hold files the rootless containers wrote (the user's uid).
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("workloads: Deployment, StatefulSet with claims, a retried Job, ConfigMap and Secret", async () => {
    await workloadsScenario(
      {
        cli: rootlessPodman,
        which: " (rootless)",
        kplay: (args) => runKplayRootless(args, { timeoutMs: 240_000 }),
      },
      work,
    );
  }, 400_000);

  test("services: names, port mapping, headless StatefulSet names, env, LoadBalancer, down", async () => {
    await servicesScenario(
      {
        cli: rootlessPodman,
        which: " (rootless)",
        kplay: (args) => runKplayRootless(args, { timeoutMs: 240_000 }),
        http: ROOTLESSPORT_RETRY,
      },
      work,
    );
  }, 400_000);

  test("core play: init + emptyDir, hostPort on 127.0.0.1, sidecar into hostPath, ps, re-play, down", async () => {
    await coreScenario(
      {
        cli: rootlessPodman,
        which: " (rootless)",
        kplay: (args) => runKplayRootless(args),
        http: ROOTLESSPORT_RETRY,
      },
      {
        pod: "rl-core",
        dir: work,
        message: "hello rootless",
        // Container root is the rootless user on the host: the folder must be the user's
        // (see the DirectoryOrCreate test below for a folder kplay creates itself), and so
        // is the file the sidecar writes.
        prepareOutDir: mkdirForRootless,
        checkReply: (reply) => expect(statSync(reply).uid).toBe(rootlessUser().uid),
      },
    );
  });

  // kplay runs as the rootless user, as its users do: a DirectoryOrCreate folder it makes is
  // that user's, which is root inside the rootless containers, so they can write it.
  test("a DirectoryOrCreate folder kplay creates is writable by the rootless container", async () => {
    const before = await rootlessSnapshot();
    const port = await freePort();
    // The user's own folder, as a home directory would be; kplay creates the hostPath in it.
    const parent = join(work, "user-home");
    mkdirForRootless(parent);
    const outDir = join(parent, "created-by-kplay");
    const file = join(work, "doc.yaml");
    writeFileSync(file, coreManifest({ pod: "rl-doc", hostPort: port, outDir, message: "doc" }));

    const played = await runKplayRootless(["play", file]);
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    expect(statSync(outDir).isDirectory()).toBe(true);
    expect(statSync(outDir).uid).toBe(rootlessUser().uid);
    const res = await httpGet(`http://127.0.0.1:${port}/index.html`, ROOTLESSPORT_RETRY);
    expect(res.body).toBe("doc\n");

    const probe = await rootlessPodman([
      "exec",
      "rl-doc-fetcher",
      "sh",
      "-c",
      "stat -c %u /out; touch /out/probe",
    ]);
    // Container root is the user on the host: the folder is root's inside, and writable.
    expect(probe.stdout.trim()).toBe("0");
    expect(probe.exitCode).toBe(0);
    expect(await waitForFile(join(outDir, "reply.html"), 30_000)).toBe("doc\n");

    const down = await runKplayRootless(["down", file]);
    expect(down.exitCode).toBe(0);
    expect(await rootlessSnapshot()).toEqual(before);
  });

  test("resources.limits: plays, and Podman's cgroup v1 warning reaches stderr", async () => {
    const before = await rootlessSnapshot();
    const file = join(work, "limited.yaml");
    writeFileSync(file, limitedManifest("rl-limited"));

    const played = await runKplayRootless(["play", file]);
    expect(played.exitCode).toBe(0);
    expect(played.stdout).toContain("pod/rl-limited");
    if ((await rootlessCgroupVersion()) === "v1") {
      // Podman accepts the limit, ignores it, and says so in the create answer's Warnings.
      expect(played.stderr).toBe(
        "kplay: warning: rl-limited-main: Resource limits are not supported and ignored on cgroups V1 rootless systems\n",
      );
    } else {
      expect(played.stderr).not.toContain("cgroups V1");
    }
    const state = await rootlessPodmanJson<{ State: { Status: string } }[]>([
      "container",
      "inspect",
      "rl-limited-main",
    ]);
    expect(state[0]?.State.Status).toBe("running");

    const down = await runKplayRootless(["down", file]);
    expect(down.exitCode).toBe(0);
    expect(await rootlessSnapshot()).toEqual(before);
  });

  // Podman itself would take ~3 s in pods/start to give up (rootlessport), after everything
  // was created, and its service keeps an orphan slirp4netns per such failure (Podman 4.3.1,
  // measured). kplay asks Podman whether it is rootless and refuses the port up front.
  test("a hostPort below 1024 is refused before anything is created", async () => {
    const start = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));
    // On a host that lets users bind port 80, this is not a failure to test (and the play
    // would really listen on 127.0.0.1:80).
    expect(start).toBeGreaterThan(80);
    const before = await rootlessSnapshot();
    const file = join(work, "privileged.yaml");
    writeFileSync(file, privilegedPortManifest("rl-priv", 80));

    const played = await runKplayRootless(["play", file]);
    expect(played.exitCode).toBe(1);
    expect(played.stdout).toBe("");
    expect(played.stderr).toBe(
      `kplay: pod "rl-priv" failed: hostPort 80 of container "web" is below ${start}, which rootless Podman cannot bind; use a hostPort of ${start} or more (or lower net.ipv4.ip_unprivileged_port_start)\n  nothing had been created\n`,
    );
    expect(await rootlessSnapshot()).toEqual(before);
  });

  test("a LoadBalancer port below the floor is refused before anything is created", async () => {
    const start = Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));
    expect(start).toBeGreaterThan(80);
    const before = await rootlessSnapshot();
    const networks = async () =>
      (await rootlessPodman(["network", "ls", "--format", "{{.Name}}"])).stdout;
    const networksBefore = await networks();
    const file = join(work, "lb-privileged.yaml");
    writeFileSync(
      file,
      `apiVersion: v1
kind: Service
metadata: {name: rl-lb}
spec:
  type: LoadBalancer
  selector: {app: rl-lb}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: rl-lb, labels: {app: rl-lb}}
spec:
  containers: [{name: web, image: localhost/busybox:test, command: ["httpd", "-f", "-p", "8080"]}]
`,
    );
    const played = await runKplayRootless(["play", file]);
    expect(played.exitCode).toBe(1);
    expect(played.stdout).toBe("");
    expect(played.stderr).toContain(
      `Service "rl-lb" publishes port 80 on the host, below ${start}, which rootless Podman cannot bind`,
    );
    expect(played.stderr).toContain(`sudo sysctl net.ipv4.ip_unprivileged_port_start=80`);
    expect(await rootlessSnapshot()).toEqual(before);
    expect(await networks()).toBe(networksBefore);
  });

  test("kill -9 after every request of a one-pod play: the next play converges, down leaves nothing", async () => {
    const proxy = await startFaultProxy(rootlessSocketPath(), { finishOrphans: true });
    try {
      const file = join(work, "crash.yaml");
      writeFileSync(file, pairManifest({ pod: "rl-crash", hostPort: await freePort() }));
      const before = await rootlessSnapshot();
      const covered = await sweep(
        proxy,
        "rootless play",
        async () => {},
        ["play", file],
        async () => {
          const replay = await runKplayRootless(["play", file]);
          expect(replay.stderr).toBe("");
          expect(replay.exitCode).toBe(0);
          const states = await rootlessPodmanJson<{ Names: string[]; State: string }[]>([
            "ps",
            "-a",
            "--format",
            "json",
          ]);
          expect(states.map((c) => `${c.Names[0]} ${c.State}`).sort()).toEqual([
            expect.stringMatching(/-infra running$/),
            "rl-crash-side running",
            "rl-crash-web running",
          ]);
          expect((await runKplayRootless(["down", file])).exitCode).toBe(0);
          expect(await rootlessSnapshot()).toEqual(before);
        },
      );
      expect(covered).toBeGreaterThan(5);
    } finally {
      await proxy.close();
    }
  }, 400_000);
}
