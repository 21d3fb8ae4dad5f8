/**
 * The workloads scenario of issue 8, written once and run against each Podman of `npm test`
 * (4.3.1 rootful, rootless, 5.4): a ConfigMap, a Secret, a claim, a Deployment of 3, a
 * StatefulSet of 2 with claim templates and a Job of 2 completions whose first pod fails.
 * What the processes inside see (env, files, modes, hostnames), that no Secret value shows
 * in any output or label, that an unchanged re-play only reads, that a scale 3 -> 2 keeps two
 * of the original pods and a ConfigMap change reaches them in place, that claims outlive
 * `down`, and that `down --volumes` leaves the store as it was.
 */
import { expect } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliJson, type PodmanTarget, storeSnapshot } from "../support/store.ts";

/** Drawn per run, so a leak cannot hide behind a value that happens to appear elsewhere. */
export const PASSWORD = `pw-${crypto.randomUUID().slice(0, 12)}`;

export interface BundleOptions {
  readonly replicas?: number;
  readonly mode?: string;
  readonly image?: string;
}

export function bundle(o: BundleOptions = {}): string {
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

export interface PsPod {
  name: string;
  id: string;
  owner: string;
  status: string;
  running: number;
  total: number;
}

export function owned(pods: readonly PsPod[], owner: string): PsPod[] {
  return pods.filter((p) => p.owner === owner);
}

/** Runs the whole scenario on `t`; `dir` holds the manifests. */
export async function workloadsScenario(t: PodmanTarget, dir: string): Promise<void> {
  const file = join(dir, "workloads.yaml");
  try {
    await scenario(t, file);
  } catch (e) {
    // A failure must not leave its pods to the scenarios that share this Podman.
    await t.kplay(["down", "--volumes", file]).catch(() => undefined);
    throw e;
  }
}

async function scenario(t: PodmanTarget, file: string): Promise<void> {
  const json = <T>(args: readonly string[]) => cliJson<T>(t.cli, t.which, args);
  const ps = async (): Promise<PsPod[]> => {
    const run = await t.kplay(["ps", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    return (JSON.parse(run.stdout) as { pods: PsPod[] }).pods;
  };
  const exec = async (container: string, script: string): Promise<string> => {
    const run = await t.cli(["exec", container, "sh", "-c", script]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    return run.stdout;
  };
  const secrets = async () =>
    (await t.cli(["secret", "ls", "--format", "{{.Name}}"])).stdout.split("\n").filter(Boolean);
  const before = await storeSnapshot(t.cli, t.which);
  writeFileSync(file, bundle());

  const played = await t.kplay(["play", "--wait=180s", file]);
  expect(played.stderr).toBe(
    "job/wl-migrate succeeded: 2 completions, after 1 failed pod\n" +
      "kplay: note: claims' sizes and access modes are recorded on their volumes, not enforced: a Podman volume has neither\n",
  );
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
  expect(await exec("wl-db-0-db", "hostname")).toBe("wl-db-0\n");
  const [claim] = await json<{ Labels: Record<string, string> }[]>([
    "volume",
    "inspect",
    "data-wl-db-1",
  ]);
  expect(claim?.Labels).toMatchObject({
    "io.kplay.claim-size": "1Gi",
    "io.kplay.claim-access-modes": "ReadWriteOnce",
  });

  // What a web pod's process sees: env from both objects, files with their modes.
  const seen = await exec(
    `${web[0]?.name}-app`,
    'echo "$GREETING $PASSWORD"; cat /etc/app/app.conf /etc/secret/password; echo; stat -L -c %a /etc/app/app.conf /etc/secret/password',
  );
  expect(seen).toBe(`hello ${PASSWORD}\nmode=dev\n${PASSWORD}\n440\n400\n`);

  // Grouped by workload, as kubectl get deploy,sts,jobs shows them.
  const grouped = await t.kplay(["ps", "workloads"]);
  expect(grouped.exitCode).toBe(0);
  expect(grouped.stdout).toMatch(/^OWNER\s+NAMESPACE\s+READY\s+COMPLETIONS\s+AGE\n/);
  expect(grouped.stdout).toMatch(/\ndeployment\/wl-web\s+default\s+3\/3\s+-\s/);
  expect(grouped.stdout).toMatch(/\njob\/wl-migrate\s+default\s+0\/3\s+2 completed, 1 failed\s/);
  expect(grouped.stdout).toMatch(/\nstatefulset\/wl-db\s+default\s+2\/2\s+-\s/);

  // No Secret value in anything kplay wrote or printed: labels, plan, ps, a traced re-play.
  const plan = await t.kplay(["plan", "-o", "json", file]);
  expect(plan.exitCode).toBe(0);
  const traced = await t.kplay(["play", "--debug", file]);
  expect(traced.exitCode).toBe(0);
  const labels = await Promise.all([
    json<unknown[]>(["pod", "inspect", ...pods.map((p) => p.name)]),
    json<{ Config: { Labels: unknown } }[]>([
      "container",
      "inspect",
      ...web.map((p) => `${p.name}-app`),
    ]).then((cs) => cs.map((c) => c.Config.Labels)),
    json<unknown[]>(["volume", "inspect", "--all"]),
    secrets().then((names) => json<unknown[]>(["secret", "inspect", ...names])),
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

  // Scale 3 -> 2 with a new ConfigMap file: two original pods stay, same containers, new file.
  const appIds = new Map<string, string | undefined>();
  for (const p of web)
    appIds.set(p.name, (await json<{ Id: string }[]>(["inspect", `${p.name}-app`]))[0]?.Id);
  writeFileSync(file, bundle({ replicas: 2, mode: "prod" }));
  const scaled = await t.kplay(["play", file]);
  expect(scaled.stderr).toBe("");
  expect(scaled.exitCode).toBe(0);
  expect(scaled.stdout).toMatch(/^deployment\/wl-web\s+2 pods\s+scaled$/m);
  expect(scaled.stdout).toMatch(/^statefulset\/wl-db\s+2 pods\s+unchanged$/m);
  const kept = owned(await ps(), "deployment/wl-web");
  expect(kept).toHaveLength(2);
  for (const p of kept) {
    expect(web.map((w) => w.id)).toContain(p.id);
    expect((await json<{ Id: string }[]>(["inspect", `${p.name}-app`]))[0]?.Id).toBe(
      appIds.get(p.name),
    );
    expect(await exec(`${p.name}-app`, "cat /etc/app/app.conf")).toBe("mode=prod\n");
  }

  // Claims outlive down: a StatefulSet pod finds what its first life wrote.
  await exec("wl-db-0-db", "echo kept > /data/mine");
  const down = await t.kplay(["down", file]);
  expect(down.exitCode).toBe(0);
  expect(down.stdout).toContain(
    "volumes of claims kept: data-wl-db-0, data-wl-db-1, wl-shared (down --volumes removes the ones kplay created)",
  );
  expect((await storeSnapshot(t.cli, t.which)).pods).toEqual(before.pods);
  expect((await t.kplay(["play", file])).exitCode).toBe(0);
  expect(await exec("wl-db-0-db", "cat /data/mine /data/boots")).toBe("kept\nwl-db-0\nwl-db-0\n");

  const gone = await t.kplay(["down", "--volumes", file]);
  expect(gone.exitCode).toBe(0);
  expect(await storeSnapshot(t.cli, t.which)).toEqual(before);
  expect(await secrets()).toEqual([]);
}
