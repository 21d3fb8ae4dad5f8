/**
 * The core scenario of issue 2, written once and run against each Podman of `npm test`
 * (4.3.1 rootful through the compiled executable, rootless, 5.4): an init container seeds an
 * emptyDir, httpd serves it on a 127.0.0.1 hostPort, a sidecar fetches it over the pod's
 * localhost into a hostPath folder; then what Podman reports, `ps`, an unchanged re-play that
 * changes no ID, and a `down` that leaves the store as it was.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { writeManifest } from "../faults/helpers.ts";
import { waitForFile } from "../support/files.ts";
import { freePort, httpGet } from "../support/http.ts";
import { FINISHED_STATES } from "../support/states.ts";
import { cliJson, type PodmanTarget, podIdsWith, storeSnapshot } from "../support/store.ts";
import { coreManifest } from "./manifests.ts";

export interface CoreScenarioOptions {
  readonly pod: string;
  /** Where the manifest and the hostPath folder go (must be reachable by the service). */
  readonly dir: string;
  readonly message: string;
  /** Makes the hostPath folder beforehand (rootless: the user's, so containers can write). */
  readonly prepareOutDir?: (path: string) => void;
  /** Extra checks on the sidecar's reply file, on the host. */
  readonly checkReply?: (path: string) => void;
}

export async function coreScenario(t: PodmanTarget, o: CoreScenarioOptions): Promise<void> {
  const json = <T>(args: readonly string[]) => cliJson<T>(t.cli, t.which, args);
  const snapshot = () => storeSnapshot(t.cli, t.which);
  const podIds = (name: string) => podIdsWith(t.cli, t.which, name);
  const { pod, message } = o;

  const before = await snapshot();
  const port = await freePort();
  const outDir = join(o.dir, `${pod}-out`);
  o.prepareOutDir?.(outDir);
  const file = writeManifest(
    o.dir,
    `${pod}.yaml`,
    coreManifest({ pod, hostPort: port, outDir, message }),
  );

  const played = await t.kplay(["play", file]);
  expect(played.stderr).toBe("");
  expect(played.exitCode).toBe(0);
  expect(played.stdout).toContain(`pod/${pod}`);

  // The HTTP answer from the host, through the hostPort on 127.0.0.1.
  const res = await httpGet(`http://127.0.0.1:${port}/index.html`, {
    ...t.http,
    retryForMs: 60_000,
    until: (r) => r.body === `${message}\n`,
  });
  expect(res.status).toBe(200);
  expect(res.body).toBe(`${message}\n`);
  // The sidecar reached httpd over the pod's localhost and wrote the reply into the hostPath.
  const reply = join(outDir, "reply.html");
  expect(await waitForFile(reply, 30_000)).toBe(`${message}\n`);
  o.checkReply?.(reply);

  // What Podman reports: a pod with an infra container and kplay's container names.
  const ids = await podIds(pod);
  expect(ids.infra).toMatch(/^[0-9a-f]{64}$/);
  expect(Object.keys(ids.containers).sort()).toEqual([
    `${pod}-fetcher`,
    `${pod}-seed`,
    `${pod}-web`,
  ]);
  const inspect = await json<unknown>(["pod", "inspect", pod]);
  const raw = (Array.isArray(inspect) ? inspect[0] : inspect) as {
    SharedNamespaces: string[];
    Containers: { Id: string }[];
  };
  expect(raw.Containers.map((c) => c.Id)).toContain(ids.infra);
  expect([...raw.SharedNamespaces].sort()).toEqual(["ipc", "net", "uts"]);
  const [seed] = await json<{ State: { ExitCode: number; Status: string } }[]>([
    "container",
    "inspect",
    `${pod}-seed`,
  ]);
  expect(FINISHED_STATES).toContain(seed?.State.Status ?? "missing");
  expect(seed?.State.ExitCode).toBe(0);
  expect((await snapshot()).volumes).toEqual([...before.volumes, `${pod}_www`].sort());

  const ps = await t.kplay(["ps"]);
  expect(ps.exitCode).toBe(0);
  expect(ps.stdout).toMatch(/^NAME\s+OWNER\s+STATUS\s+READY\s+RESTARTS\s+PORTS\s+AGE\n/);
  expect(ps.stdout).toMatch(
    new RegExp(
      `\\n${pod}\\s+-\\s+Running\\s+2/2\\s+0\\s+127\\.0\\.0\\.1:${port}->8080/tcp\\s+\\d+[smhd]\\n`,
    ),
  );
  const psJson = JSON.parse((await t.kplay(["ps", "-o", "json"])).stdout) as {
    pods: { name: string; id: string; status: string; running: number; total: number }[];
  };
  expect(psJson.pods.map((p) => [p.name, p.id, p.status, p.running, p.total])).toEqual([
    [pod, ids.pod, "Running", 2, 2],
  ]);

  // Playing the same file again converges: nothing to do, every ID unchanged.
  const state = await snapshot();
  const again = await t.kplay(["play", "-o", "json", file]);
  expect(again.stderr).toBe("");
  expect(again.exitCode).toBe(0);
  const replayed = JSON.parse(again.stdout) as {
    pods: {
      action: string;
      id: string;
      infraId: string;
      containers: { name: string; id: string; action: string }[];
    }[];
  };
  expect(replayed.pods.map((p) => [p.id, p.infraId, p.action])).toEqual([
    [ids.pod, ids.infra, "unchanged"],
  ]);
  expect(replayed.pods[0]?.containers.map((c) => [c.name, c.id, c.action])).toEqual(
    [`${pod}-seed`, `${pod}-web`, `${pod}-fetcher`].map((n) => [
      n,
      ids.containers[n] ?? "",
      "unchanged",
    ]),
  );
  expect(await podIds(pod)).toEqual(ids);
  expect(await snapshot()).toEqual(state);

  const down = await t.kplay(["down", file]);
  expect(down).toEqual({
    stdout: `pod/${pod} removed (and volume ${pod}_www)\n`,
    stderr: "",
    exitCode: 0,
  });
  // Nothing is left: no pod, no container, no volume beyond what was there before.
  expect(await snapshot()).toEqual(before);
}
