/**
 * kplay against Podman 5.4 (Debian trixie, scripts/podman5-service.sh), the version most of its
 * users run, while everything else in the suite runs on the host's 4.3.1. kplay's libpod
 * requests were written against 4.x (`/v4.0.0/libpod/...`); these are its key scenarios
 * again, through the compiled executable with `--url`, to show they behave the same on 5.4.
 *
 * Differences between the versions that kplay already absorbs (measured): 5.4 adds
 * `RawInput` to pod start/stop answers, and `pods/NAME/stop?t=0` waits the 10 s stop timeout
 * (kplay kills instead). Each test leaves the store as it found it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { coreScenario } from "../e2e/core-scenario.ts";
import { servicesScenario } from "../e2e/services-scenario.ts";
import { workloadsScenario } from "../e2e/workloads-scenario.ts";
import { pairManifest, writeManifest } from "../faults/helpers.ts";
import { freePort, httpGetBody } from "../support/http.ts";
import {
  PODMAN5_ENV,
  podman5,
  podman5Cleanup,
  podman5Snapshot,
  podman5Url,
  podman5WorkDir,
  runKplay5,
} from "../support/podman5.ts";
import { pollUntil } from "../support/poll.ts";
import { type PodIds, podIdsWith } from "../support/store.ts";
import { httpReadinessScenario, timed, writePod } from "../wait/helpers.ts";

let work: string;

/** The pod's own ID, its infra container's and each container's by name. */
function podIds(name: string): Promise<PodIds> {
  return podIdsWith(podman5, " (5.4)", name);
}

// One visible skip, with its reason, when there is no Podman 5 service to talk to.
if (podman5Url() === undefined) {
  test.skip(`Podman 5.4: ${PODMAN5_ENV} is not set (scripts/test.sh starts scripts/podman5-service.sh when run as root, and sets it)`, () => {});
} else {
  describe("Podman 5.4", podman5Suite);
}

function podman5Suite(): void {
  beforeAll(async () => {
    // Under DIR/share: the only folder whose paths mean the same to kplay and to the
    // chroot's Podman (hostPath volumes).
    work = podman5WorkDir("work-");
    await podman5Cleanup();
  });
  afterAll(async () => {
    await podman5Cleanup();
  });

  test("version: kplay reports Podman 5.4", async () => {
    const run = await runKplay5(["version"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^podman 5\.4\.\d+ \(API 5\.4\.\d+\)$/m);
  });

  test("core play: init + emptyDir, hostPort on 127.0.0.1, sidecar into hostPath, ps, re-play, down", async () => {
    // hostPort traffic: netavark's nftables rules live in the host's network namespace, which
    // the chroot shares.
    await coreScenario(
      { cli: podman5, which: " (5.4)", kplay: (args) => runKplay5(args) },
      { pod: "p5-core", dir: work, message: "hello from podman 5" },
    );
  });

  test("workloads: Deployment, StatefulSet with claims, a retried Job, ConfigMap and Secret", async () => {
    await workloadsScenario(
      { cli: podman5, which: " (5.4)", kplay: (args) => runKplay5(args) },
      work,
    );
  }, 400_000);

  test("services: names, port mapping, headless StatefulSet names, env, LoadBalancer, down", async () => {
    await servicesScenario(
      { cli: podman5, which: " (5.4)", kplay: (args) => runKplay5(args) },
      work,
    );
  }, 400_000);

  test("one container's env changed: only that container is replaced, pod and infra kept", async () => {
    const before = await podman5Snapshot();
    const port = await freePort();
    const v1 = writeManifest(
      work,
      "env1.yaml",
      pairManifest({ pod: "p5-env", hostPort: port, sideEnv: "one" }),
    );
    const v2 = writeManifest(
      work,
      "env2.yaml",
      pairManifest({ pod: "p5-env", hostPort: port, sideEnv: "two" }),
    );
    const first = await runKplay5(["play", v1]);
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    expect((await httpGetBody(`${base}/side.txt`, "one\n")).body).toBe("one\n");
    const ids = await podIds("p5-env");

    const run = await runKplay5(["play", v2]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^pod\/p5-env\s+p5-env\s+[0-9a-f]{12}\s+updated$/m);
    expect(run.stdout).toMatch(/^ {2}web\s+p5-env-web\s+[0-9a-f]{12}\s+unchanged$/m);
    expect(run.stdout).toMatch(/^ {2}side\s+p5-env-side\s+[0-9a-f]{12}\s+updated$/m);

    const after = await podIds("p5-env");
    expect(after.pod).toBe(ids.pod);
    expect(after.infra).toBe(ids.infra);
    expect(after.containers["p5-env-web"]).toBe(ids.containers["p5-env-web"] ?? "");
    expect(after.containers["p5-env-side"]).not.toBe(ids.containers["p5-env-side"] ?? "");
    expect(Object.keys(after.containers).sort()).toEqual(["p5-env-side", "p5-env-web"]);
    // The new container runs with the new env, in the volume that was kept.
    expect((await httpGetBody(`${base}/side.txt`, "two\n")).body).toBe("two\n");
    expect((await podman5Snapshot()).volumes).toEqual(["p5-env_data"]);

    const down = await runKplay5(["down", v2]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toBe("pod/p5-env removed (and volume p5-env_data)\n");
    expect(await podman5Snapshot()).toEqual(before);
  });

  test("a command that does not exist fails the pod start, exit 1, and is rolled back", async () => {
    const before = await podman5Snapshot();
    const file = writeManifest(
      work,
      "nocmd.yaml",
      pairManifest({ pod: "p5-nocmd", hostPort: await freePort(), sideCommand: ["/no/such/cmd"] }),
    );
    const run = await runKplay5(["play", file]);
    const [first, ...rest] = run.stderr.split("\n");
    expect(first).toStartWith(
      'kplay: pod "p5-nocmd" failed: [POST] "/pods/p5-nocmd/start": 409 Conflict: starting container "p5-nocmd-side": ',
    );
    expect(first).toContain('exec: "/no/such/cmd": stat /no/such/cmd: no such file or directory');
    expect(rest.join("\n")).toBe(
      "  rolled back: removed container p5-nocmd-web, container p5-nocmd-side, pod p5-nocmd, volume p5-nocmd_data\n",
    );
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
    expect(await podman5Snapshot()).toEqual(before);
  });

  describe("play --wait", () => {
    /** Seconds each server takes to become ready after its container starts. */
    const DELAY = 2;

    test("httpGet readiness on a 127.0.0.1 hostPort: exit 0 once /ready answers 200, not before", async () => {
      await httpReadinessScenario(
        { cli: podman5, which: " (5.4)", kplay: (args) => runKplay5(args) },
        {
          dir: work,
          pod: "p5-wait-http",
          delay: DELAY,
          table: [
            "OBJECT             NAME               ID             ACTION",
            "pod/p5-wait-http   p5-wait-http       <id>   created",
            "  infra                               <id>",
            "  web              p5-wait-http-web   <id>   created",
            "",
          ].join("\n"),
        },
      );
    });

    // An exec probe runs through libpod's exec API, in the container. (It is also what
    // showed that the service must pivot_root into its chroot: under a plain chroot, every
    // exec ran in the host's root filesystem and this probe never passed.)
    test("exec readiness: `test -f /tmp/ready` becomes true after a delay", async () => {
      const before = await podman5Snapshot();
      const file = writePod(
        work,
        "p5-wait-exec",
        `  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", "sleep ${DELAY}; touch /tmp/ready; exec sleep 3600"]
      readinessProbe:
        exec:
          command: ["test", "-f", "/tmp/ready"]
        periodSeconds: 1
        # An exec through libpod can take over the 1 s default on a loaded machine.
        timeoutSeconds: 10
`,
      );
      const run = await timed(() => runKplay5(["play", "--wait=120s", file]));
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
      expect(run.ms).toBeGreaterThanOrEqual(DELAY * 1000);
      const inside = await podman5(["exec", "p5-wait-exec-app", "ls", "/tmp"]);
      expect(inside).toEqual({ stdout: "ready\n", stderr: "", exitCode: 0 });
      const down = await runKplay5(["down", file]);
      expect(down).toEqual({ stdout: "pod/p5-wait-exec removed\n", stderr: "", exitCode: 0 });
      expect(await podman5Snapshot()).toEqual(before);
    });
  });

  test("logs: stdout and stderr frames apart, container by Kubernetes name, --tail, -f --tail", async () => {
    const before = await podman5Snapshot();
    const file = writeManifest(
      work,
      "logs.yaml",
      `apiVersion: v1
kind: Pod
metadata:
  name: p5-logs
spec:
  terminationGracePeriodSeconds: 0
  restartPolicy: Never
  containers:
    - name: talker
      image: localhost/busybox:test
      # conmon reads stdout and stderr from two pipes: pauses keep the log file in this order
      # (a second each, so that a busy machine's conmon still reads them apart).
      command: ["sh", "-c", "echo out1; sleep 1; echo err1 >&2; sleep 1; echo 'out2 héllo'; exec sleep 3600"]
    - name: counter
      image: localhost/busybox:test
      command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; exec sleep 3600"]
    - name: burst
      image: localhost/busybox:test
      command: ["sh", "-c", "for i in 1 2 3 4 5; do echo b$i; done"]
`,
    );
    const played = await runKplay5(["play", file]);
    expect(played.exitCode).toBe(0);
    // Poll until both are done talking, so the test does not race them.
    for (const [container, last] of [
      ["talker", "out2"],
      ["counter", "line5"],
      ["burst", "b5"],
    ] as const) {
      const run = await pollUntil(
        () => runKplay5(["logs", "p5-logs", "-c", container]),
        (r) => r.stdout.includes(last),
        60_000,
      );
      if (!run.stdout.includes(last)) throw new Error(`${container} never logged ${last}`);
    }
    expect(await runKplay5(["logs", "p5-logs", "-c", "talker"])).toEqual({
      stdout: "out1\nout2 héllo\n",
      stderr: "err1\n",
      exitCode: 0,
    });
    expect(await runKplay5(["logs", "p5-logs", "-c", "counter", "--tail", "2"])).toEqual({
      stdout: "line4\nline5\n",
      stderr: "",
      exitCode: 0,
    });
    // -f --tail reads Podman 5's nanosecond stamps and follows `since` the window (see
    // src/podman/log-tail.ts); the lines of one burst can share a stamp. The container has
    // exited, so following ends by itself.
    expect(await runKplay5(["logs", "p5-logs", "-c", "burst", "-f", "--tail", "2"])).toEqual({
      stdout: "b4\nb5\n",
      stderr: "",
      exitCode: 0,
    });
    const down = await runKplay5(["down", file]);
    expect(down).toEqual({ stdout: "pod/p5-logs removed\n", stderr: "", exitCode: 0 });
    expect(await podman5Snapshot()).toEqual(before);
  });

  // Podman 4.3 cannot mount a subPath of a Podman volume, so kplay refuses it there (see the
  // parity table); from 4.4 on, libpod's SubPath does it. Only this suite can show it working.
  test("subPath in a claim and in an emptyDir: the folders inside the volumes; down --volumes", async () => {
    const before = await podman5Snapshot();
    const file = writeManifest(
      work,
      "subpath.yaml",
      `apiVersion: v1
kind: Pod
metadata:
  name: p5-sub
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: writer
      image: localhost/busybox:test
      command: ["sh", "-c", "echo claim > /out/f; echo scratch > /scratch/g; exec sleep 3600"]
      volumeMounts:
        - {name: data, mountPath: /out, subPath: nested/dir}
        - {name: cache, mountPath: /scratch, subPath: x}
    - name: reader
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      volumeMounts:
        - {name: data, mountPath: /all, readOnly: true}
        - {name: cache, mountPath: /e}
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: p5-sub-data
    - name: cache
      emptyDir: {}
`,
    );
    // A helper container left behind by a run that was killed outright does not block play.
    const stale = await podman5([
      "create",
      "--name",
      "p5-sub-kplay_volumes",
      "localhost/busybox:test",
    ]);
    expect(stale.exitCode).toBe(0);
    const played = await runKplay5(["play", "--wait=120s", file]);
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    expect((await podman5Snapshot()).containers).not.toContain("p5-sub-kplay_volumes");
    const read = async (path: string): Promise<string> =>
      (
        await pollUntil(
          () => podman5(["exec", "p5-sub-reader", "cat", path]),
          (r) => r.exitCode === 0,
          60_000,
        )
      ).stdout;
    expect(await read("/all/nested/dir/f")).toBe("claim\n");
    expect(await read("/e/x/g")).toBe("scratch\n");
    expect((await podman5Snapshot()).volumes).toEqual(["p5-sub-data", "p5-sub_cache"]);

    const down = await runKplay5(["down", "--volumes", file]);
    expect(down).toEqual({
      stdout: "pod/p5-sub removed (and volume p5-sub_cache)\nvolume/p5-sub-data removed\n",
      stderr: "",
      exitCode: 0,
    });
    expect(await podman5Snapshot()).toEqual(before);
  });

  test("down leaves nothing: the 5.4 store is empty after the suite's plays", async () => {
    expect(await podman5Snapshot()).toEqual({ pods: [], containers: [], volumes: [] });
  });
}
