/**
 * `kplay up FILE...`: kplay as the controller, in the foreground, for as long as a developer
 * works on the app. It plays the files (as `play --wait`), then until Ctrl-C:
 *  - shows every container's log, each line prefixed `pod/container | `;
 *  - keeps the workloads as declared: a pod of a Deployment, ReplicaSet, StatefulSet or
 *    DaemonSet that is removed or ends is recreated (a standalone Pod is not: its
 *    containers follow its restartPolicy, as Podman already does);
 *  - runs liveness probes (startup-gated) and restarts what fails them (up/liveness.ts);
 *  - runs CronJobs on their schedule (up/cron.ts);
 *  - converges on every save of an input file (in place where it can), and leaves what runs
 *    untouched when the saved file is invalid;
 *  - on Ctrl-C removes what the files describe (claims kept), unless `--keep`.
 * Every action is one line on stderr, `kplay up: …`. Podman's event stream drives it, not
 * polling; when the stream breaks (the service restarted) it reconnects and reconciles.
 */
import { type FSWatcher, watch } from "node:fs";
import { platform } from "node:os";
import { basename, dirname, resolve } from "node:path";
import { downPod } from "../../apply/down.ts";
import type { PlayedPod } from "../../apply/execute.ts";
import type { ObjectResult } from "../../apply/rollout.ts";
import type { DesiredObject } from "../../graph/types.ts";
import { objectId, planState } from "../../plan/index.ts";
import { LABEL_MANAGED, LABEL_OWNER } from "../../plan/labels.ts";
import type { Plan } from "../../plan/types.ts";
import { listPodContainers, listPods, type PodListEntry } from "../../podman/objects.ts";
import { cronJobName, nextFire } from "../../up/cron.ts";
import { type PodmanEvent, watchEvents } from "../../up/events.ts";
import { type ProbedContainer, Prober } from "../../up/liveness.ts";
import { LogMux } from "../../up/logs.ts";
import { connect } from "../connect.ts";
import { DEFAULT_WAIT_MS } from "../duration.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { type Loaded, loadForCommand } from "../load.ts";
import { runDown } from "./down.ts";
import { type PlayFlags, playLoaded } from "./play.ts";

export interface UpFlags extends PlayFlags {
  /** Leave everything running on Ctrl-C. */
  readonly keep: boolean;
  /** Prefix log lines with `pod/container | ` (default). */
  readonly logPrefix: boolean;
  /** Show no container logs, only kplay's own lines. */
  readonly quietLogs: boolean;
}

type Ok = Extract<Loaded, { ok: true }>;

/** Pod states after which a controller replaces the pod. */
const ENDED = new Set(["Exited", "Dead", "Error", "Stopped"]);

/** `deployment/default/web` as users write it. */
function short(object: string): string {
  const [kind = "", namespace = "", ...name] = object.split("/");
  const shown = `${kind}/${name.join("/")}`;
  return namespace === "default" ? shown : `${shown} -n ${namespace}`;
}

const isController = (o: { rollout: { kind: string } }) =>
  o.rollout.kind === "replicas" || o.rollout.kind === "ordered";

/** An io whose output is kept (for JSON reports of converges), sharing the caller's env. */
function captured(io: CliIo, signal: AbortSignal) {
  let out = "";
  let err = "";
  const child: CliIo = {
    ...io,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    signal,
  };
  return { io: child, out: () => out, err: () => err };
}

/** The containers whose liveness probes kplay runs, from the plan. */
function probedContainers(plan: Plan): ProbedContainer[] {
  return plan.objects.flatMap((o) =>
    o.pods.flatMap((p) =>
      p.steps.flatMap((s) => {
        if (s.action !== "create-container" || s.init) return [];
        const probes = s.probes ?? [];
        if (!probes.some((x) => x.kind === "liveness" && !x.healthcheck)) return [];
        const body = s.request.body as { restart_policy?: string };
        return [
          {
            pod: p.name,
            name: s.name,
            container: s.container,
            owner: short(o.object),
            probes,
            graceSeconds: p.gracePeriodSeconds ?? 30,
            restartNever: body.restart_policy === "no",
          },
        ];
      }),
    ),
  );
}

/** One line per pod a converge made or changed. */
function describeConverge(objects: readonly ObjectResult[], why: string): string[] {
  const lines: string[] = [];
  for (const o of objects) {
    if (o.action === "unchanged" && o.removed.length === 0) continue;
    const changed = (p: PlayedPod) => p.action !== "unchanged";
    for (const p of o.pods.filter(changed)) {
      const containers = p.containers
        .filter((c) => c.action !== "unchanged")
        .map((c) => c.container);
      const detail =
        p.action === "updated"
          ? ` in place (${containers.join(", ")} replaced; pod and IP kept)`
          : p.reason
            ? ` (${p.reason})`
            : "";
      lines.push(`${short(o.object)}: pod ${p.name} ${p.action}${detail}${why}`);
    }
    for (const r of o.removed) lines.push(`${short(o.object)}: pod ${r} removed${why}`);
  }
  return lines;
}

export async function runUp(io: CliIo, files: readonly string[], flags: UpFlags): Promise<number> {
  const loadFlags = {
    strict: flags.strict,
    recursive: flags.recursive === true,
    digests: true,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  };
  const first = await loadForCommand(io, files, loadFlags);
  if (!first.ok) return EXIT_USAGE;
  let loaded: Ok = first;
  let plan = planState(loaded.state, { start: true });
  const say = (line: string) => io.stderr(`kplay up: ${line}\n`);
  const trace = flags.debug ? io.stderr : undefined;
  const { client } = await connect(flags, io.env, trace, io.stderr);
  const local = client.transport.endpoint.kind === "unix" && platform() === "linux";
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  io.signal.addEventListener("abort", onAbort, { once: true });
  const mux = new LogMux(client, {
    prefix: flags.logPrefix,
    colour: io.stdoutIsTTY && !io.env.NO_COLOR,
    write: io.stdout,
  });
  const prober = new Prober(client, say, local);
  const playFlags: PlayFlags = { ...flags, underUp: true };

  // Converges one at a time: the endpoint lock guards against other processes only.
  let chain: Promise<void> = Promise.resolve();
  const serial = (what: string, fn: () => Promise<void>) => {
    chain = chain.then(fn).catch((e) => {
      if (!stop.signal.aborted)
        say(`${what} failed: ${describeFailure(e, flags.debug).text.trim()}`);
    });
    return chain;
  };

  /**
   * Plays `state` through play's own code with its output kept: its messages become
   * `kplay up:` lines (`relay`), its JSON report is returned. Every converge of `up` goes
   * through here.
   */
  const playCaptured = async (
    state: Ok,
    extra: Partial<PlayFlags> = {},
  ): Promise<{ code: number; objects: ObjectResult[]; relay: () => void }> => {
    const c = captured(io, stop.signal);
    const code = await playLoaded(c.io, state, {
      ...playFlags,
      output: "json",
      quiet: true,
      ...extra,
    });
    let objects: ObjectResult[] = [];
    try {
      objects = (JSON.parse(c.out() || "{}") as { objects?: ObjectResult[] }).objects ?? [];
    } catch {
      // a failure: its message is in what relay() says
    }
    const relay = () => {
      for (const line of c.err().split("\n")) if (line.trim()) say(line.replace(/^kplay: /, ""));
    };
    return { code, objects, relay };
  };

  /** Plays the saved files, reporting one line per change and a summary. */
  const converge = async (state: Ok, why: string): Promise<number> => {
    const { code, objects, relay } = await playCaptured(state);
    relay();
    const lines = describeConverge(objects, why);
    for (const line of lines) say(line);
    const changes = lines.length;
    say(
      code === EXIT_OK
        ? `converged the saved files (${changes === 0 ? "no change" : `${changes} change${changes === 1 ? "" : "s"}`})`
        : "the saved files did not converge (above); what could not change is as it was",
    );
    return code;
  };

  // --- what is ours ---------------------------------------------------------------------
  const ownedBy = new Map<string, string>();
  const cronJobs = new Set<string>();
  const refreshOwned = () => {
    ownedBy.clear();
    for (const o of plan.objects) for (const p of o.pods) ownedBy.set(p.name, o.object);
  };
  refreshOwned();
  const ours = (pod: PodListEntry) =>
    ownedBy.has(pod.Name) || [...cronJobs].some((j) => pod.Labels?.[LABEL_OWNER] === `job/${j}`);

  // --- logs -------------------------------------------------------------------------------
  const seen = new Set<string>();
  let syncing: Promise<void> | undefined;
  let again = false;
  const syncLogs = () => {
    if (flags.quietLogs) return;
    if (syncing) {
      again = true;
      return;
    }
    syncing = (async () => {
      do {
        again = false;
        const pods = await listPods(client, `${LABEL_MANAGED}=true`).catch(() => []);
        for (const pod of pods.filter(ours)) {
          const containers = await listPodContainers(client, pod.Id).catch(() => []);
          for (const c of containers) {
            const k8s = c.Labels?.["io.kplay.container"];
            // Running, or ended before it was ever followed (a short Job's container).
            if (!k8s || mux.following(c.Id)) continue;
            if (c.State !== "running" && (seen.has(c.Id) || c.State === "created")) continue;
            seen.add(c.Id);
            mux.follow(c.Id, pod.Name, k8s);
          }
        }
      } while (again && !stop.signal.aborted);
    })().finally(() => {
      syncing = undefined;
    });
  };

  // --- the controller -------------------------------------------------------------------
  const told = new Set<string>();
  let reconcileTimer: ReturnType<typeof setTimeout> | undefined;
  const reconcile = () =>
    serial("keeping the workloads as declared", async () => {
      const pods = new Map(
        (await listPods(client, `${LABEL_MANAGED}=true`)).map((p) => [p.Name, p] as const),
      );
      let needed = false;
      const reasons = new Map<string, string>();
      for (const o of plan.objects) {
        for (const p of o.pods) {
          const found = pods.get(p.name);
          if (!isController(o)) {
            if (o.rollout.kind === "pod" && !found && !told.has(p.name)) {
              told.add(p.name);
              say(
                `${short(o.object)}: pod ${p.name} is gone; a standalone Pod is not recreated (save its file to play it again)`,
              );
            }
            if (found) told.delete(p.name);
            continue;
          }
          if (!found) {
            needed = true;
            reasons.set(p.name, "was removed");
          } else if (ENDED.has(found.Status)) {
            needed = true;
            reasons.set(p.name, `ended (${found.Status.toLowerCase()})`);
            await downPod(client, p.name);
          }
        }
      }
      if (!needed || stop.signal.aborted) return;
      const state = {
        ...loaded,
        state: { ...loaded.state, objects: loaded.state.objects.filter(isController) },
      };
      const { objects, relay } = await playCaptured(state);
      relay();
      for (const o of objects) {
        for (const p of o.pods) {
          if (p.action === "unchanged") continue;
          say(
            `${short(o.object)}: pod ${p.name} ${reasons.get(p.name) ?? "was missing"}, recreated`,
          );
        }
      }
      syncLogs();
    });
  const scheduleReconcile = () => {
    if (reconcileTimer) clearTimeout(reconcileTimer);
    reconcileTimer = setTimeout(() => {
      reconcileTimer = undefined;
      void reconcile();
    }, 200);
  };

  const onEvent = (e: PodmanEvent) => {
    if (stop.signal.aborted) return;
    if (e.type === "container" && e.action === "start") syncLogs();
    const pod = e.type === "pod" ? e.name : (e.attributes["io.kplay.pod"] ?? "");
    if (!pod) return;
    const owner = ownedBy.get(pod);
    if (!owner) return;
    if (["remove", "died", "stop", "kill", "exited"].includes(e.action)) scheduleReconcile();
  };

  // --- watch the files --------------------------------------------------------------------
  const watchers: FSWatcher[] = [];
  let fileTimer: ReturnType<typeof setTimeout> | undefined;
  const onSave = () =>
    serial("converging the saved files", async () => {
      const next = await loadForCommand(io, files, loadFlags);
      if (!next.ok) {
        say("the saved files are invalid (above); what runs is left as it is");
        return;
      }
      const code = await converge(next, ", for the saved file");
      if (code !== EXIT_OK) return;
      loaded = next;
      plan = planState(loaded.state, { start: true });
      refreshOwned();
      prober.sync(probedContainers(plan));
      syncLogs();
    });
  const watchedDirs = new Map<string, Set<string>>();
  for (const f of files) {
    if (f === "-") continue;
    const full = resolve(io.cwd, f);
    const dir = dirname(full);
    const names = watchedDirs.get(dir) ?? new Set<string>();
    names.add(basename(full));
    watchedDirs.set(dir, names);
  }
  for (const [dir, names] of watchedDirs) {
    try {
      // The folder, not the file: editors save by writing a new file and renaming it over.
      watchers.push(
        watch(dir, (_event, name) => {
          if (name !== null && !names.has(String(name)) && !names.has(basename(dir))) return;
          if (fileTimer) clearTimeout(fileTimer);
          fileTimer = setTimeout(() => {
            fileTimer = undefined;
            void onSave();
          }, 150);
        }),
      );
    } catch {
      // a folder argument or one that cannot be watched: converge on nothing there
    }
  }

  // --- start: events first, so no container start is missed, then the play ----------------
  const events = watchEvents(
    async () => (await connect(flags, io.env, trace, io.stderr)).client,
    onEvent,
    (reconnected) => {
      if (reconnected) {
        say("reconnected to Podman; reconciling");
        scheduleReconcile();
      }
      syncLogs();
    },
    (reason) => {
      if (!stop.signal.aborted) say(`lost Podman's event stream (${reason}); reconnecting`);
    },
    stop.signal,
  );

  let code = await playLoaded(io, loaded, {
    ...playFlags,
    waitMs: flags.waitMs ?? DEFAULT_WAIT_MS,
  });
  if (code !== EXIT_OK || stop.signal.aborted) {
    stop.abort();
    await shutdown();
    return code;
  }
  prober.sync(probedContainers(plan));
  syncLogs();
  say(
    `running ${plan.objects.length} object${plan.objects.length === 1 ? "" : "s"}; watching ${files.filter((f) => f !== "-").join(", ") || "stdin"}; Ctrl-C removes them${flags.keep ? " (--keep: leaves them)" : ""}`,
  );
  const crons = startCrons();

  await new Promise<void>((r) => {
    if (stop.signal.aborted) r();
    else stop.signal.addEventListener("abort", () => r(), { once: true });
  });
  await crons;
  code = await shutdown();
  return code;

  async function shutdown(): Promise<number> {
    io.signal.removeEventListener("abort", onAbort);
    if (reconcileTimer) clearTimeout(reconcileTimer);
    if (fileTimer) clearTimeout(fileTimer);
    for (const w of watchers) w.close();
    prober.close();
    mux.close();
    await events;
    await chain;
    try {
      if (flags.keep) {
        say(`left running (--keep); \`kplay down ${files.join(" ")}\` removes it`);
        return EXIT_OK;
      }
      // A fresh signal: the one that ended `up` must not interrupt the clean-up it asks for.
      const quiet = new AbortController();
      const downIo: CliIo = { ...io, signal: quiet.signal };
      for (const job of cronJobs) {
        for (const pod of await listPods(client, `${LABEL_OWNER}=job/${job}`))
          await downPod(client, pod.Name);
      }
      return await runDown(downIo, files, {
        ...(flags.url === undefined ? {} : { url: flags.url }),
        ...(flags.connection === undefined ? {} : { connection: flags.connection }),
        ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
        recursive: flags.recursive === true,
        strict: false,
        quiet: flags.quiet,
        output: "table",
        debug: flags.debug,
      });
    } finally {
      await client.transport.close();
    }
  }

  /** Runs each CronJob on its schedule until `up` stops. */
  async function startCrons(): Promise<void> {
    const objects = loaded.state.objects.filter((o) => o.rollout.kind === "cron" && o.job);
    await Promise.all(objects.map((o) => runCron(o)));
  }

  async function runCron(o: DesiredObject): Promise<void> {
    const rollout = o.rollout;
    if (rollout.kind !== "cron" || !o.job) return;
    const name = objectId(o.ref);
    const outcomes: { job: string; ok: boolean }[] = [];
    const running = new Set<string>();
    const started = new Date();
    let after = started;
    while (!stop.signal.aborted) {
      const at = nextFire(rollout.schedule, after, rollout.timeZone, started);
      if (!at) return;
      after = at;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(0, at.getTime() - Date.now()));
        stop.signal.addEventListener("abort", () => {
          clearTimeout(t);
          r();
        });
      });
      if (stop.signal.aborted) return;
      const current = loaded.state.objects.find((x) => objectId(x.ref) === name);
      const cron = current?.rollout.kind === "cron" ? current.rollout : rollout;
      if (cron.suspend) continue;
      const late = (Date.now() - at.getTime()) / 1000;
      if (cron.startingDeadlineSeconds !== undefined && late > cron.startingDeadlineSeconds) {
        say(
          `${short(name)}: missed the run of ${at.toISOString()} (startingDeadlineSeconds ${cron.startingDeadlineSeconds})`,
        );
        continue;
      }
      if (running.size > 0 && cron.concurrencyPolicy === "Forbid") {
        say(
          `${short(name)}: skipped the run of ${at.toISOString()}: ${[...running].join(", ")} still runs (concurrencyPolicy Forbid)`,
        );
        continue;
      }
      if (running.size > 0 && cron.concurrencyPolicy === "Replace") {
        for (const j of running)
          for (const pod of await listPods(client, `${LABEL_OWNER}=job/${j}`))
            await downPod(client, pod.Name);
        say(`${short(name)}: replaced ${[...running].join(", ")} (concurrencyPolicy Replace)`);
      }
      const jobName = cronJobName(o.ref.name, at);
      const job = (current?.job ?? o.job)(jobName);
      cronJobs.add(jobName);
      running.add(jobName);
      say(`${short(name)}: scheduled run of ${at.toISOString()}: job/${jobName} started`);
      void (async () => {
        const { code, relay } = await playCaptured(
          { ...loaded, state: { ...loaded.state, objects: [job], services: [] } },
          { quiet: false, waitMs: 24 * 3600_000 },
        ).catch(() => ({ code: EXIT_FAILURE, relay: () => {} }));
        running.delete(jobName);
        if (stop.signal.aborted) return;
        relay();
        outcomes.push({ job: jobName, ok: code === EXIT_OK });
        syncLogs();
        // History limits: the oldest finished Jobs beyond them are removed.
        for (const [ok, limit] of [
          [true, cron.successfulJobsHistoryLimit],
          [false, cron.failedJobsHistoryLimit],
        ] as const) {
          const kept = outcomes.filter((x) => x.ok === ok);
          for (const old of kept.slice(0, Math.max(0, kept.length - limit))) {
            for (const pod of await listPods(client, `${LABEL_OWNER}=job/${old.job}`).catch(
              () => [],
            ))
              await downPod(client, pod.Name).catch(() => {});
            outcomes.splice(outcomes.indexOf(old), 1);
            cronJobs.delete(old.job);
          }
        }
      })();
    }
  }
}
