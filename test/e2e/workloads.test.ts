/**
 * The YAML people ship, played on the real Podman: a ConfigMap, a Secret, a claim, a
 * Deployment of 3, a StatefulSet of 2 with claim templates and a Job of 2 completions whose
 * first pod fails. What the processes inside see (env, files, modes, hostnames), what
 * Podman holds (claims that outlive `down`, no Secret value in any label or output), and how
 * a re-play converges: unchanged is read-only, a scale keeps the pods it keeps, a ConfigMap
 * change reaches the running pods without restarting them, a missing image changes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStore, podman, podmanJson, runKplay, snapshotState } from "../support/podman.ts";

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-workloads-"));
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
  await podman(["secret", "rm", "--all"]);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Drawn per run, so a leak cannot hide behind a value that happens to appear elsewhere. */
const PASSWORD = `pw-${crypto.randomUUID().slice(0, 12)}`;

interface BundleOptions {
  readonly replicas?: number;
  readonly mode?: string;
  readonly image?: string;
}

function bundle(o: BundleOptions = {}): string {
  const image = o.image ?? "localhost/busybox:test";
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: wl-config
data:
  greeting: hello
  app.conf: |
    mode=${o.mode ?? "dev"}
---
apiVersion: v1
kind: Secret
metadata:
  name: wl-secret
stringData:
  password: ${PASSWORD}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: wl-shared
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wl-web
spec:
  replicas: ${o.replicas ?? 3}
  selector: {matchLabels: {app: wl-web}}
  template:
    metadata:
      labels: {app: wl-web}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: app
          image: ${image}
          command: ["sh", "-c", "exec sleep 3600"]
          env:
            - name: GREETING
              valueFrom: {configMapKeyRef: {name: wl-config, key: greeting}}
            - name: PASSWORD
              valueFrom: {secretKeyRef: {name: wl-secret, key: password}}
          volumeMounts:
            - {name: config, mountPath: /etc/app}
            - {name: secret, mountPath: /etc/secret, readOnly: true}
      volumes:
        - name: config
          configMap:
            name: wl-config
            defaultMode: 0440
            items: [{key: app.conf, path: app.conf}]
        - name: secret
          secret: {secretName: wl-secret, defaultMode: 0400}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: wl-db
spec:
  serviceName: wl-db
  replicas: 2
  selector: {matchLabels: {app: wl-db}}
  template:
    metadata:
      labels: {app: wl-db}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: db
          image: ${image}
          command: ["sh", "-c", "hostname >> /data/boots; exec sleep 3600"]
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: wl-migrate
spec:
  completions: 2
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ${image}
          command:
            - sh
            - -c
            - if mkdir /shared/failed-once 2>/dev/null; then echo first try fails >&2; exit 4; fi; echo migrated >> /shared/done
          volumeMounts: [{name: shared, mountPath: /shared}]
      volumes:
        - name: shared
          persistentVolumeClaim: {claimName: wl-shared}
`;
}

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

interface PsPod {
  name: string;
  id: string;
  owner: string;
  status: string;
  running: number;
  total: number;
}

async function ps(): Promise<PsPod[]> {
  const run = await runKplay(["ps", "-o", "json"]);
  expect(run.exitCode).toBe(0);
  return (JSON.parse(run.stdout) as { pods: PsPod[] }).pods;
}

async function exec(container: string, script: string): Promise<string> {
  const run = await podman(["exec", container, "sh", "-c", script]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

async function volumeFile(volume: string, path: string): Promise<string> {
  const [v] = await podmanJson<{ Mountpoint: string }[]>(["volume", "inspect", volume]);
  return Bun.file(join(v?.Mountpoint ?? "/nonexistent", path)).text();
}

function owned(pods: readonly PsPod[], owner: string): PsPod[] {
  return pods.filter((p) => p.owner === owner);
}

describe("a bundle of workloads", () => {
  test("plays with --wait: replicas, ordinals, claims, env, files, a retried Job", async () => {
    const file = write("app.yaml", bundle());
    const played = await runKplay(["play", "--wait=180s", file], { timeoutMs: 240_000 });
    expect(played.stderr).toBe("job/wl-migrate succeeded: 2 completions, after 1 failed pod\n");
    expect(played.exitCode).toBe(0);
    expect(played.stdout).toMatch(/^deployment\/wl-web\s+3 pods\s+created$/m);
    expect(played.stdout).toMatch(/^statefulset\/wl-db\s+2 pods\s+created$/m);

    const pods = await ps();
    const web = owned(pods, "deployment/wl-web");
    expect(web).toHaveLength(3);
    for (const p of web) expect([p.status, p.running, p.total]).toEqual(["Running", 1, 1]);
    expect(owned(pods, "statefulset/wl-db").map((p) => p.name)).toEqual(["wl-db-0", "wl-db-1"]);
    // One failed pod, then the two completions, one after the other (parallelism 1).
    const job = owned(pods, "job/wl-migrate").map((p) => p.status);
    expect(job.sort()).toEqual(["Completed", "Completed", "Error"]);
    expect(await volumeFile("wl-shared", "done")).toBe("migrated\nmigrated\n");
    // Grouped by workload, as kubectl get deploy,sts,jobs shows them.
    const grouped = await runKplay(["ps", "workloads"]);
    expect(grouped.exitCode).toBe(0);
    expect(grouped.stdout).toMatch(/^OWNER\s+NAMESPACE\s+READY\s+COMPLETIONS\s+AGE\n/);
    expect(grouped.stdout).toMatch(/\ndeployment\/wl-web\s+default\s+3\/3\s+-\s/);
    expect(grouped.stdout).toMatch(/\njob\/wl-migrate\s+default\s+0\/3\s+2 completed, 1 failed\s/);
    expect(grouped.stdout).toMatch(/\nstatefulset\/wl-db\s+default\s+2\/2\s+-\s/);

    // What a web pod's process sees: env from both objects, files with their modes.
    const seen = await exec(
      `${web[0]?.name}-app`,
      'echo "$GREETING $PASSWORD"; cat /etc/app/app.conf /etc/secret/password; echo; stat -L -c %a /etc/app/app.conf /etc/secret/password',
    );
    expect(seen).toBe(`hello ${PASSWORD}\nmode=dev\n${PASSWORD}\n440\n400\n`);
    // StatefulSet pods are named by ordinal, see it as their hostname, each with its claim.
    expect(await exec("wl-db-0-db", "hostname")).toBe("wl-db-0\n");
    expect(await volumeFile("data-wl-db-1", "boots")).toBe("wl-db-1\n");

    // No Secret value in anything kplay wrote or printed: labels, plan, ps, a traced re-play.
    const plan = await runKplay(["plan", "-o", "json", file]);
    expect(plan.exitCode).toBe(0);
    const traced = await runKplay(["play", "--debug", file]);
    expect(traced.exitCode).toBe(0);
    const labels = await Promise.all([
      podmanJson<unknown[]>(["pod", "inspect", ...pods.map((p) => p.name)]),
      podmanJson<{ Config: { Labels: unknown } }[]>([
        "container",
        "inspect",
        ...web.map((p) => `${p.name}-app`),
      ]).then((cs) => cs.map((c) => c.Config.Labels)),
      podmanJson<unknown[]>(["volume", "inspect", "--all"]),
      podman(["secret", "ls", "--format", "{{.Name}}"]).then((r) =>
        podmanJson<unknown[]>(["secret", "inspect", ...r.stdout.split("\n").filter(Boolean)]),
      ),
    ]);
    const everything = [
      played.stdout,
      played.stderr,
      plan.stdout,
      traced.stdout,
      traced.stderr,
      JSON.stringify(await ps()),
      JSON.stringify(labels),
    ].join("\n");
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(PASSWORD).toString("base64"));

    // The re-play changed nothing: every request it made was a read.
    const writes = traced.stderr
      .split("\n")
      .filter((l) => l.startsWith("debug: ") && !/^debug: (GET|HEAD) /.test(l));
    expect(writes).toEqual([]);
    expect(traced.stdout).toMatch(/^deployment\/wl-web\s+3 pods\s+unchanged$/m);
    expect((await ps()).map((p) => p.id).sort()).toEqual(pods.map((p) => p.id).sort());
  }, 300_000);

  test("a scale keeps the pods it keeps; a ConfigMap change reaches them in place", async () => {
    const file = write("scale.yaml", bundle());
    expect((await runKplay(["play", file])).exitCode).toBe(0);
    const before = owned(await ps(), "deployment/wl-web");
    const ids = new Map(
      await Promise.all(
        before.map(
          async (p) =>
            [
              p.name,
              (await podmanJson<{ Id: string }[]>(["inspect", `${p.name}-app`]))[0]?.Id,
            ] as const,
        ),
      ),
    );

    const changed = write("scale.yaml", bundle({ replicas: 2, mode: "prod" }));
    const run = await runKplay(["play", changed]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^deployment\/wl-web\s+2 pods\s+scaled$/m);
    const after = owned(await ps(), "deployment/wl-web");
    expect(after).toHaveLength(2);
    for (const p of after) {
      // The same pod and the same container (not restarted), now reading the new file.
      expect(before.map((b) => b.id)).toContain(p.id);
      const [c] = await podmanJson<{ Id: string; RestartCount: number }[]>([
        "inspect",
        `${p.name}-app`,
      ]);
      expect(c?.Id).toBe(ids.get(p.name));
      expect(
        await exec(`${p.name}-app`, "cat /etc/app/app.conf; stat -L -c %a /etc/app/app.conf"),
      ).toBe("mode=prod\n440\n");
    }
    // The StatefulSet was not touched by a change that is not its own.
    expect(run.stdout).toMatch(/^statefulset\/wl-db\s+2 pods\s+unchanged$/m);
  }, 300_000);

  test("claims outlive down; down --volumes removes them", async () => {
    const file = write("claims.yaml", bundle());
    expect((await runKplay(["play", file])).exitCode).toBe(0);
    await exec("wl-db-0-db", "echo kept > /data/mine");
    const down = await runKplay(["down", file]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain(
      "volumes of claims kept: data-wl-db-0, data-wl-db-1, wl-shared (down --volumes removes the ones kplay created)",
    );
    expect((await snapshotState()).pods).toEqual([]);

    expect((await runKplay(["play", file])).exitCode).toBe(0);
    expect(await exec("wl-db-0-db", "cat /data/mine /data/boots")).toBe("kept\nwl-db-0\nwl-db-0\n");

    expect((await runKplay(["down", "--volumes", file])).exitCode).toBe(0);
    expect(await snapshotState()).toEqual({ pods: [], containers: [], volumes: [] });
    expect((await podman(["secret", "ls", "-q"])).stdout).toBe("");
  }, 300_000);

  test("a missing image fails the play before anything is created", async () => {
    const before = await snapshotState();
    const file = write("missing.yaml", bundle({ image: "localhost/kplay-missing:v1" }));
    const run = await runKplay(["play", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'Image "localhost/kplay-missing:v1" for containers "app" of deployment/wl-web',
    );
    expect(run.stderr).toContain("nothing had been created");
    expect(await snapshotState()).toEqual(before);
    expect((await podman(["secret", "ls", "-q"])).stdout).toBe("");
  });

  test("sidecars start first and stop last; hooks run; a Job with a sidecar completes", async () => {
    const out = join(work, "order");
    mkdirSync(out, { recursive: true });
    const trap = (who: string) =>
      `trap 'echo ${who}-stopped >> /out/order; exit 0' TERM; echo ${who}-up >> /out/order; while true; do sleep 0.1; done`;
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: wl-hooks
spec:
  terminationGracePeriodSeconds: 10
  initContainers:
    - name: setup
      image: localhost/busybox:test
      command: ["sh", "-c", "echo setup-done >> /out/order"]
      volumeMounts: [{name: out, mountPath: /out}]
    - name: proxy
      image: localhost/busybox:test
      restartPolicy: Always
      command: ["sh", "-c", ${JSON.stringify(trap("proxy"))}]
      volumeMounts: [{name: out, mountPath: /out}]
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sh", "-c", ${JSON.stringify(`until grep -q proxy-up /out/order; do sleep 0.1; done; ${trap("app")}`)}]
      lifecycle:
        postStart:
          exec: {command: ["sh", "-c", "echo post-start >> /out/hooks"]}
        preStop:
          exec: {command: ["sh", "-c", "echo pre-stop >> /out/order"]}
      volumeMounts: [{name: out, mountPath: /out}]
  volumes:
    - name: out
      hostPath: {path: ${out}, type: Directory}
`;
    const file = write("hooks.yaml", pod);
    const played = await runKplay(["play", "--wait=60s", file]);
    expect(played.stderr).toBe("");
    expect(played.exitCode).toBe(0);
    // play returns after the postStart hook ran.
    expect(readFileSync(join(out, "hooks"), "utf8")).toBe("post-start\n");
    const down = await runKplay(["down", file]);
    expect(down.exitCode).toBe(0);
    const order = readFileSync(join(out, "order"), "utf8").split("\n").filter(Boolean);
    // The app may log "up" before or after the sidecar's first line; the rest is ordered.
    expect(order.filter((l) => l !== "app-up")).toEqual([
      "setup-done",
      "proxy-up",
      "pre-stop",
      "app-stopped",
      "proxy-stopped",
    ]);
    expect(order.indexOf("app-up")).toBeGreaterThan(order.indexOf("proxy-up"));

    // A Job's pod is done when its app containers are: the controller stops the sidecar.
    const job = write(
      "sidejob.yaml",
      `apiVersion: batch/v1
kind: Job
metadata:
  name: wl-sidejob
spec:
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      initContainers:
        - name: proxy
          image: localhost/busybox:test
          restartPolicy: Always
          command: ["sleep", "3600"]
      containers:
        - name: main
          image: localhost/busybox:test
          command: ["sh", "-c", "echo done"]
`,
    );
    const ran = await runKplay(["play", "--wait=60s", job]);
    expect(ran.stderr).toBe("job/wl-sidejob succeeded: 1 completions\n");
    expect(ran.exitCode).toBe(0);
    const [jobPod] = owned(await ps(), "job/wl-sidejob");
    expect(jobPod?.status).toBe("Completed");
    const sidecar = await podmanJson<{ State: { Running: boolean } }[]>([
      "inspect",
      `${jobPod?.name}-proxy`,
    ]);
    expect(sidecar[0]?.State.Running).toBe(false);
  }, 180_000);

  test("an empty Secret value is an empty env value and an empty file, with no Podman secret", async () => {
    const file = write(
      "empty.yaml",
      `apiVersion: v1
kind: Secret
metadata:
  name: wl-empty
stringData:
  token: ""
---
apiVersion: v1
kind: Pod
metadata:
  name: wl-empty
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: app
      image: localhost/busybox:test
      command: ["sleep", "3600"]
      env:
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: wl-empty, key: token}}
      volumeMounts: [{name: s, mountPath: /s}]
  volumes:
    - name: s
      secret: {secretName: wl-empty}
`,
    );
    const run = await runKplay(["play", file]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    // TOKEN is set, to nothing; the file exists, empty.
    expect(await exec("wl-empty-app", 'env | grep "^TOKEN="; wc -c < /s/token')).toBe(
      "TOKEN=\n0\n",
    );
    expect((await podman(["secret", "ls", "-q"])).stdout).toBe("");
  });
});
