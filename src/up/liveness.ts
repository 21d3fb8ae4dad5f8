/**
 * Liveness (and startup) probes as the kubelet runs them, from kplay, for `kplay up`:
 * httpGet, tcpSocket and grpc from the host through the port Podman published (so the image
 * needs no curl), exec through libpod's exec. A startup probe gates liveness; after
 * `failureThreshold` failures in a row the container is ended as the kubelet ends it (SIGTERM,
 * then SIGKILL after the grace period) and its restartPolicy decides: Podman restarts it and
 * counts the restart (`ps` RESTARTS). An exec liveness probe is Podman's own healthcheck
 * (see plan/probes.ts) and is left to it.
 *
 * The kill goes to the container's PID on this host: that is how the runtime ends it, and
 * the only way Podman's restart policy sees an exit it did not ask for (a kill or restart
 * through the API counts as stopped by the user: no policy restart, no count). Where kplay
 * cannot signal it (Podman on another machine, a rootless container running as a
 * subordinate uid), it restarts the container through the API and says that it is not
 * counted.
 */
import process from "node:process";
import { runProbe } from "../apply/probe.ts";
import type { PlannedProbe } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { inspectPod } from "../podman/objects.ts";

export interface ProbedContainer {
  /** Podman's pod name and the container's Podman name. */
  readonly pod: string;
  readonly name: string;
  /** Its Kubernetes name and the object it belongs to, for messages. */
  readonly container: string;
  readonly owner: string;
  readonly probes: readonly PlannedProbe[];
  readonly graceSeconds: number;
  readonly restartNever: boolean;
}

interface ContainerState {
  readonly running: boolean;
  readonly startedAt: string;
  readonly pid: number;
}

async function state(client: PodmanClient, name: string): Promise<ContainerState | undefined> {
  try {
    const c = await client.call<{
      State?: { Running?: boolean; StartedAt?: string; Pid?: number };
    }>({
      method: "GET",
      path: `/containers/${encodeURIComponent(name)}/json`,
    });
    return {
      running: c?.State?.Running === true,
      startedAt: c?.State?.StartedAt ?? "",
      pid: c?.State?.Pid ?? 0,
    };
  } catch {
    return undefined;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export class Prober {
  readonly #loops = new Map<string, AbortController>();

  constructor(
    private readonly client: PodmanClient,
    private readonly say: (line: string) => void,
    /** Whether Podman runs on this machine (its container PIDs are ours to signal). */
    private readonly local: boolean,
  ) {}

  /** Runs the probes of exactly these containers: new ones start, gone ones stop. */
  sync(containers: readonly ProbedContainer[]): void {
    const wanted = new Map(
      containers.map((c) => [`${c.name}\u0000${JSON.stringify(c.probes)}`, c]),
    );
    for (const [key, loop] of this.#loops) {
      if (!wanted.has(key)) {
        loop.abort();
        this.#loops.delete(key);
      }
    }
    for (const [key, c] of wanted) {
      if (this.#loops.has(key)) continue;
      const loop = new AbortController();
      this.#loops.set(key, loop);
      void this.#run(c, loop.signal);
    }
  }

  close(): void {
    for (const loop of this.#loops.values()) loop.abort();
    this.#loops.clear();
  }

  async #run(c: ProbedContainer, signal: AbortSignal): Promise<void> {
    const liveness = c.probes.find((p) => p.kind === "liveness" && !p.healthcheck);
    if (!liveness) return;
    const startup = c.probes.find((p) => p.kind === "startup");
    while (!signal.aborted) {
      const s = await state(this.client, c.name);
      if (!s?.running) {
        await sleep(1000, signal);
        continue;
      }
      const ended = await this.#watchOneStart(c, s, liveness, startup, signal);
      if (ended) await this.#end(c, s, ended);
    }
  }

  /**
   * Probes one run of the container (one StartedAt). Returns the reason it must be ended, or
   * undefined when it ended or restarted by itself.
   */
  async #watchOneStart(
    c: ProbedContainer,
    s: ContainerState,
    liveness: PlannedProbe,
    startup: PlannedProbe | undefined,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const started = Date.parse(s.startedAt) || Date.now();
    const same = async () => {
      const now = await state(this.client, c.name);
      return now?.running === true && now.startedAt === s.startedAt;
    };
    const attempt = async (probe: PlannedProbe) => {
      const pod = await inspectPod(this.client, c.pod);
      if (!pod) return { ok: false as const, reason: "its pod is gone" };
      return runProbe(this.client, pod, c.name, probe);
    };
    const run = async (probe: PlannedProbe, kind: string): Promise<string | "ok" | undefined> => {
      await sleep(Math.max(0, started + probe.initialDelaySeconds * 1000 - Date.now()), signal);
      let failures = 0;
      while (!signal.aborted) {
        if (!(await same())) return undefined;
        const r = await attempt(probe);
        if (signal.aborted || !(await same())) return undefined;
        if (r.ok) {
          if (kind === "startup") return "ok";
          failures = 0;
        } else if (++failures >= probe.failureThreshold) {
          return `its ${kind} probe failed ${failures} time${failures === 1 ? "" : "s"} (${r.reason})`;
        }
        await sleep(probe.periodSeconds * 1000, signal);
      }
      return undefined;
    };
    if (startup && !startup.healthcheck) {
      const r = await run(startup, "startup");
      if (r !== "ok") return r;
    }
    return run(liveness, "liveness");
  }

  /** Ends the container as the kubelet does, so that its restartPolicy decides. */
  async #end(c: ProbedContainer, s: ContainerState, why: string): Promise<void> {
    const what = `${c.owner === `pod/${c.pod}` ? c.owner : `${c.owner}: pod ${c.pod}`}: container "${c.container}"`;
    const then = c.restartNever
      ? "restartPolicy Never: not restarted"
      : "restarted by its restartPolicy";
    if (this.local && s.pid > 0) {
      try {
        process.kill(s.pid, "SIGTERM");
        const deadline = Date.now() + c.graceSeconds * 1000;
        while (Date.now() < deadline) {
          const now = await state(this.client, c.name);
          if (!now || now.startedAt !== s.startedAt || !now.running) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const now = await state(this.client, c.name);
        if (now?.running && now.startedAt === s.startedAt) process.kill(s.pid, "SIGKILL");
        this.say(`${what}: ${why}, killed; ${then}`);
        if (!(await this.#waitRestart(c, s))) {
          // The policy did not bring it back: start it, so the pod does not stay degraded.
          await this.client
            .call(
              { method: "POST", path: `/containers/${encodeURIComponent(c.name)}/start` },
              { ok: [304] },
            )
            .then(() =>
              this.say(
                `${what}: Podman did not restart it within 10 s; started it (not counted as a restart)`,
              ),
            )
            .catch((e) =>
              this.say(
                `${what}: Podman did not restart it, nor could kplay: ${(e as Error).message}`,
              ),
            );
        }
        return;
      } catch {
        // not ours to signal: through the API instead
      }
    }
    try {
      await this.client.call(
        {
          method: "POST",
          path: `/containers/${encodeURIComponent(c.name)}/${c.restartNever ? "stop" : "restart"}`,
          query: { t: String(c.graceSeconds) },
        },
        { ok: [304] },
      );
      this.say(
        `${what}: ${why}, ${c.restartNever ? "stopped (restartPolicy Never)" : "restarted through Podman's API (kplay cannot signal it here, so Podman does not count this restart)"}`,
      );
    } catch (e) {
      this.say(`${what}: ${why}, and could not be restarted: ${(e as Error).message}`);
    }
  }

  /**
   * Waits (at most 10 s) for the restart policy to start it again, so it is probed afresh.
   * False when it did not (a policy of Never needs no wait and counts as done).
   */
  async #waitRestart(c: ProbedContainer, s: ContainerState): Promise<boolean> {
    if (c.restartNever) return true;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const now = await state(this.client, c.name);
      if (!now || (now.running && now.startedAt !== s.startedAt)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }
}
