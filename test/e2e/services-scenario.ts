/**
 * The Services scenario of issue 9, written once and run against each Podman of `npm test`
 * (4.3.1 rootful, rootless, 5.4): a Deployment of 2 behind a Service whose port 80 reaches
 * the named container port 8080, a headless Service over a StatefulSet, a LoadBalancer on
 * 127.0.0.1, and a client pod. What the client resolves (short name, FQDN, POD.SERVICE) and
 * reaches, its Service env vars, what the host reaches on loopback, a changed Service port
 * converging without touching the StatefulSet, and `down` removing the network.
 *
 * Traffic: the client pod talks to the pods on the namespace network kplay created for this
 * play; the host only to 127.0.0.1. The static busybox's wget crashes resolving names through
 * DNS, so the client resolves with nslookup and connects to the addresses it returns.
 */
import { expect } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, httpGet } from "../support/http.ts";
import { pollUntil } from "../support/poll.ts";
import { type PodmanTarget, storeSnapshot } from "../support/store.ts";

export function servicesBundle(o: { lbPort: number; webPort?: number }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sv-web
spec:
  replicas: 2
  selector:
    matchLabels: {app: sv-web}
  template:
    metadata:
      labels: {app: sv-web}
    spec:
      containers:
        - name: httpd
          image: localhost/busybox:test
          command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            tcpSocket: {port: http}
            periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: sv-web
spec:
  selector: {app: sv-web}
  ports:
    - name: web
      port: ${o.webPort ?? 80}
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: sv-lb
spec:
  type: LoadBalancer
  selector: {app: sv-web}
  ports:
    - port: ${o.lbPort}
      targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: sv-db
spec:
  clusterIP: None
  selector: {app: sv-db}
  ports:
    - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sv-db
spec:
  serviceName: sv-db
  replicas: 1
  selector:
    matchLabels: {app: sv-db}
  template:
    metadata:
      labels: {app: sv-db}
    spec:
      containers:
        - name: db
          image: localhost/busybox:test
          command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: sv-client
spec:
  containers:
    - name: client
      image: localhost/busybox:test
      command: ["sleep", "3600"]
`;
}

export async function servicesScenario(t: PodmanTarget, dir: string): Promise<void> {
  const file = join(dir, "services.yaml");
  try {
    await scenario(t, file);
  } catch (e) {
    await t.kplay(["down", file]).catch(() => undefined);
    throw e;
  }
}

async function scenario(t: PodmanTarget, file: string): Promise<void> {
  const exec = async (container: string, script: string): Promise<string> => {
    const run = await t.cli(["exec", container, "sh", "-c", script]);
    expect(run.exitCode).toBe(0);
    return run.stdout;
  };
  /** The addresses nslookup gives for a name, from the client pod; [] when it has none. */
  const resolve = async (name: string): Promise<string[]> => {
    const run = await t.cli(["exec", "sv-client-client", "nslookup", name]);
    // Answers follow the "Name:" line; the server's own address comes before it.
    const answers = run.stdout
      .split(/^Name:/m)
      .slice(1)
      .join("\n");
    return [...answers.matchAll(/^Address: ([0-9.]+)$/gm)].map((m) => m[1] ?? "").sort();
  };
  /** A page through the client pod: retried while the pod's proxy may still be starting. */
  const fetchVia = async (ip: string, port: number): Promise<string> => {
    const run = await pollUntil(
      () => t.cli(["exec", "sv-client-client", "wget", "-q", "-O-", `http://${ip}:${port}/`]),
      (r) => r.exitCode === 0,
      30_000,
      250,
    );
    expect(run.exitCode).toBe(0);
    return run.stdout.trim();
  };
  /** The addresses of a name once it has `count` (aardvark-dns may lag a new network). */
  const resolveAll = (name: string, count: number) =>
    pollUntil(
      () => resolve(name),
      (a) => a.length === count,
      30_000,
      250,
    );
  const networks = async () =>
    (await t.cli(["network", "ls", "--format", "{{.Name}}"])).stdout.split("\n").filter(Boolean);
  const before = await storeSnapshot(t.cli, t.which);
  expect(await networks()).not.toContain("kplay-default");
  const lbPort = await freePort();
  writeFileSync(file, servicesBundle({ lbPort }));

  const played = await t.kplay(["play", "--wait=120s", file]);
  expect(played.stderr).toBe("");
  expect(played.exitCode).toBe(0);
  expect(played.stdout).toMatch(/^network\s+kplay-default\s+created$/m);
  expect(played.stdout).toMatch(
    new RegExp(
      `^service/sv-lb: 127\\.0\\.0\\.1:${lbPort} -> port ${lbPort}/tcp \\(pod sv-web-`,
      "m",
    ),
  );
  expect(await networks()).toContain("kplay-default");

  // The two replicas, by the Service's short name and FQDN: port 80 reaches their 8080.
  const webPods = (await t.cli(["pod", "ps", "--format", "{{.Name}}"])).stdout
    .split("\n")
    .filter((n) => n.startsWith("sv-web-"))
    .sort();
  expect(webPods).toHaveLength(2);
  const short = await resolveAll("sv-web", 2);
  expect(short).toHaveLength(2);
  expect(await resolve("sv-web.default.svc.cluster.local")).toEqual(short);
  expect(await resolve("sv-web.default")).toEqual(short);
  const served = await Promise.all(short.map((ip) => fetchVia(ip, 80)));
  expect(served.sort()).toEqual(webPods);
  // The unmapped port answers too (8080 is the pod's own), the mapped one only through kplay.
  expect(await fetchVia(short[0] ?? "", 8080)).toMatch(/^sv-web-/);

  // The StatefulSet pod by POD.SERVICE (headless), at the address it has itself.
  const dbIp = (await exec("sv-db-0-db", "hostname -i")).trim().split(/\s+/);
  expect(await resolveAll("sv-db-0.sv-db", dbIp.length)).toEqual(dbIp);
  expect(await resolve("sv-db-0.sv-db.default.svc.cluster.local")).toEqual(dbIp);
  expect(await resolve("sv-db")).toEqual(dbIp);

  // Service env vars, as the kubelet sets them (no headless Service among them).
  const env = (await exec("sv-client-client", "env")).split("\n");
  for (const line of [
    "SV_WEB_SERVICE_HOST=sv-web",
    "SV_WEB_SERVICE_PORT=80",
    "SV_WEB_SERVICE_PORT_WEB=80",
    "SV_WEB_PORT=tcp://sv-web:80",
    "SV_WEB_PORT_80_TCP=tcp://sv-web:80",
    "SV_WEB_PORT_80_TCP_PROTO=tcp",
    "SV_WEB_PORT_80_TCP_PORT=80",
    "SV_WEB_PORT_80_TCP_ADDR=sv-web",
    `SV_LB_SERVICE_PORT=${lbPort}`,
  ])
    expect(env).toContain(line);
  expect(env.some((l) => l.startsWith("SV_DB_"))).toBe(false);

  // The LoadBalancer from the host, on loopback.
  const fromHost = await httpGet(`http://127.0.0.1:${lbPort}/`, t.http ?? {});
  expect(fromHost.status).toBe(200);
  expect(webPods).toContain(fromHost.body.trim());

  // ps counts the app's containers, not kplay's proxy.
  const ps = JSON.parse((await t.kplay(["ps", "-o", "json"])).stdout) as {
    pods: { name: string; running: number; total: number }[];
  };
  for (const p of ps.pods.filter((x) => x.name.startsWith("sv-web-")))
    expect([p.running, p.total]).toEqual([1, 1]);

  // A changed Service port: the web pods keep their addresses (only their proxy is replaced),
  // the other pods are not touched (as on a cluster, running containers keep the Service
  // env vars they started with), and the new port answers.
  writeFileSync(file, servicesBundle({ lbPort, webPort: 81 }));
  const changed = await t.kplay(["play", "--wait=120s", file]);
  expect(changed.exitCode).toBe(0);
  expect(changed.stdout).toMatch(/^statefulset\/sv-db\s+1 pod\s+unchanged$/m);
  expect(changed.stdout).toMatch(/^deployment\/sv-web\s+2 pods\s+updated$/m);
  expect(
    changed.stdout.match(/^ {2}pod\s+sv-web-\S+\s+\S+\s+updated \(kplay-proxy\)$/gm),
  ).toHaveLength(2);
  expect(changed.stdout).toMatch(/^pod\/sv-client\s+sv-client\s+\S+\s+unchanged$/m);
  expect(await resolve("sv-web")).toEqual(short);
  expect(webPods).toContain(await fetchVia(short[0] ?? "", 81));
  expect(await exec("sv-client-client", "echo $SV_WEB_SERVICE_PORT")).toBe("80\n");

  const down = await t.kplay(["down", file]);
  expect(down.exitCode).toBe(0);
  expect(down.stdout).toContain("network/kplay-default removed\n");
  expect(await networks()).not.toContain("kplay-default");
  expect(await storeSnapshot(t.cli, t.which)).toEqual(before);
}
