import { PlayError } from "../../apply/errors.ts";
import type { ExecuteOptions, PlayedPod } from "../../apply/execute.ts";
import { nodeHostFs } from "../../apply/hostpath.ts";
import type { ImageFacts } from "../../apply/images.ts";
import { type JobOutcome, runJob } from "../../apply/jobs.ts";
import { executePlan, type PlayReport } from "../../apply/play.ts";
import type { ObjectResult } from "../../apply/rollout.ts";
import { secretValues } from "../../apply/secrets.ts";
import { waitForPod } from "../../apply/wait.ts";
import type { DesiredState } from "../../graph/types.ts";
import { needsNodeFacts, needsPortFloor, objectId, planPod, planState } from "../../plan/index.ts";
import { LABEL_CLAIM_ACCESS, LABEL_CLAIM_SIZE } from "../../plan/labels.ts";
import type { Plan, PlanOptions } from "../../plan/types.ts";
import type { PodmanClient } from "../../podman/client.ts";
import { readHostInfo } from "../../podman/info.ts";
import { describeEndpoint } from "../../transport/types.ts";
import { connect } from "../connect.ts";
import { type EndpointLock, lockForCommand } from "../endpoint-lock.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { type Loaded, loadForCommand } from "../load.ts";
import { podmanNodeFacts, unprivilegedPortStart } from "../node-facts.ts";
import { type OutputFormat, renderData, renderTable, shortId } from "../render.ts";

export interface PlayFlags {
  /** Read the sub-folders of folder arguments too (`-R`). */
  readonly recursive?: boolean;
  /** The namespace of objects that name none (`-n`). */
  readonly namespace?: string;
  readonly url?: string;
  /** A Podman connection name (`--connection`). */
  readonly connection?: string;
  readonly strict: boolean;
  readonly start: boolean;
  readonly replace: boolean;
  readonly keepOnError: boolean;
  readonly infraImage?: string;
  /** Host address of NodePort and LoadBalancer Services. */
  readonly serviceAddress?: string;
  /** Wait this long for every container to run and be ready. */
  readonly waitMs?: number;
  readonly quiet: boolean;
  readonly output: OutputFormat;
  readonly debug: boolean;
  /** Played by `kplay up`, which runs every liveness probe itself: no warning about them. */
  readonly underUp?: boolean;
}

/** Objects played at once, and pods at once within one object; each object is a transaction. */
const CONCURRENCY = { objects: 4, pods: 4 };

/** `kplay play FILE...`: validate, plan, then create and start every object's pods. */
export async function runPlay(
  io: CliIo,
  files: readonly string[],
  flags: PlayFlags,
): Promise<number> {
  const loaded = await loadForCommand(io, files, {
    strict: flags.strict,
    recursive: flags.recursive === true,
    digests: true,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
  if (!loaded.ok) return EXIT_USAGE;
  return playLoaded(io, loaded, flags);
}

/**
 * Liveness probes only `kplay up` runs: httpGet, tcpSocket and grpc (an exec one is Podman's
 * healthcheck, enforced detached too). One line per probe, never silent.
 */
export function upOnlyLiveness(plan: Plan): string[] {
  return plan.objects.flatMap((o) =>
    o.pods.flatMap((p) =>
      p.steps.flatMap((s) =>
        s.action === "create-container"
          ? (s.probes ?? [])
              .filter((probe) => probe.kind === "liveness" && !probe.healthcheck)
              .map(
                (probe) =>
                  `${shortObject(o.object)}: container "${s.container}": its ${Object.keys(probe.handler)[0]} liveness probe acts only under \`kplay up\` (a detached play starts nothing that runs it)`,
              )
          : [],
      ),
    ),
  );
}

/** `play` of an already loaded and validated state (also what `kplay up` converges with). */
export async function playLoaded(
  io: CliIo,
  loaded: Extract<Loaded, { ok: true }>,
  flags: PlayFlags,
): Promise<number> {
  const { client, apiVersion } = await connect(
    flags,
    io.env,
    flags.debug ? io.stderr : undefined,
    io.stderr,
  );
  const progress = io.stderrIsTTY && !flags.quiet;
  let lock: EndpointLock | undefined;
  try {
    // One changing command at a time per Podman: a second play waits, then converges.
    lock = await lockForCommand(
      io,
      describeEndpoint(client.transport.endpoint),
      "play",
      flags.quiet,
    );
    // GET /info costs ~0.3 s: asked only when a pod reads host facts or a low host port.
    const pods = loaded.state.objects.flatMap((o) => o.pods.map((p) => p.doc.pod));
    const endpoint = client.transport.endpoint;
    const wantsNode = needsNodeFacts(pods);
    const lowServicePort = loaded.state.services.some((s) =>
      s.published.some((p) => p.hostPort < 1024),
    );
    const info =
      wantsNode || needsPortFloor(pods) || lowServicePort ? await readHostInfo(client) : undefined;
    const node = info && wantsNode ? podmanNodeFacts(info, endpoint) : undefined;
    const portStart = info ? unprivilegedPortStart(info, endpoint) : undefined;
    const planOptions: PlanOptions = {
      ...(node ? { node } : {}),
      start: flags.start,
      ...(flags.infraImage ? { infraImage: flags.infraImage } : {}),
      ...(flags.serviceAddress ? { serviceAddress: flags.serviceAddress } : {}),
    };
    const plan = planState(loaded.state, planOptions);
    if (!flags.underUp) {
      const lines = upOnlyLiveness(plan);
      const kind = flags.strict ? "error" : "warning";
      for (const line of lines) io.stderr(`kplay: ${kind}: ${line}\n`);
      // --strict: refused before anything is sent that changes Podman.
      if (flags.strict && lines.length > 0) return EXIT_USAGE;
    }
    const deadline = Date.now() + (flags.waitMs ?? 0);
    // Each image is inspected once for the whole play, whatever number of pods use it.
    const images = new Map<string, ImageFacts>();
    const options = {
      hostFs: nodeHostFs,
      images,
      apiVersion,
      ...(portStart === undefined ? {} : { unprivilegedPortStart: portStart }),
      replace: flags.replace,
      keepOnError: flags.keepOnError,
      signal: io.signal,
      onEvent: (e: { type: string; image: string }) => {
        if (e.type === "pulling" && progress) io.stderr(`Pulling ${e.image}…\n`);
      },
    };
    let report: PlayReport;
    try {
      report = await executePlan(client, plan, secretValues(loaded.secrets), options, CONCURRENCY);
    } catch (e) {
      const failure = describeFailure(e, flags.debug);
      io.stderr(failure.text);
      return failure.code;
    }
    let code = EXIT_OK;
    for (const f of report.failures) {
      const failure = describeFailure(f.error, flags.debug);
      io.stderr(failure.text);
      code = Math.max(code, failure.code);
    }
    if (report.rolledBack.length > 0)
      io.stderr(
        `  rolled back what only failed objects used: removed ${report.rolledBack.join(", ")}\n`,
      );
    let shown = report;
    if (flags.waitMs !== undefined && flags.start) {
      const waited = await waitForAll(client, plan, report, deadline, io.signal);
      // Jobs run to their end under --wait: the controller retries and starts later waves.
      const jobs = await runJobs(client, loaded.state, plan, planOptions, report, options, {
        deadline,
        signal: io.signal,
      });
      for (const j of jobs.outcomes) {
        if (j.status === "failed") {
          io.stderr(`kplay: error: ${shortObject(j.object)} failed: ${j.reason ?? "?"}\n`);
          code = Math.max(code, EXIT_FAILURE);
        } else if (!flags.quiet) {
          const retried =
            j.failed > 0 ? `, after ${j.failed} failed pod${j.failed === 1 ? "" : "s"}` : "";
          io.stderr(`${shortObject(j.object)} succeeded: ${j.succeeded} completions${retried}\n`);
        }
      }
      for (const { error } of [...waited, ...jobs.errors]) {
        const failure = describeFailure(error, flags.debug);
        io.stderr(failure.text);
        code = Math.max(code, failure.code);
      }
      // An object that did not become ready is told as a failure, not listed as played.
      const unready = new Set(waited.map((w) => w.object));
      shown = { ...report, objects: report.objects.filter((o) => !unready.has(o.object)) };
    } else if (flags.start) {
      const started = new Set(
        report.objects.filter((o) => o.action !== "unchanged").map((o) => o.object),
      );
      for (const o of plan.objects) {
        const r = o.rollout;
        const partial = r.kind === "job" && r.completions > o.pods.length && o.pods.length > 0;
        if (partial && started.has(o.object))
          io.stderr(
            `kplay: warning: ${shortObject(o.object)}: started ${o.pods.length} of its ${r.completions} completions; play --wait (or kplay up) runs the rest and retries failed pods\n`,
          );
      }
    }
    for (const o of report.objects)
      for (const p of o.pods) for (const w of p.warnings) io.stderr(`kplay: warning: ${w}\n`);
    if (!flags.quiet && sizedClaimsCreated(plan, report))
      io.stderr(
        "kplay: note: claims' sizes and access modes are recorded on their volumes, not enforced: a Podman volume has neither\n",
      );
    printPlayed(io, shown, flags, plan.objects.length, published(loaded.state, flags));
    return code;
  } finally {
    lock?.release();
    await client.transport.close();
  }
}

/** `--wait`: every pod of every object that played runs and is ready. */
async function waitForAll(
  client: PodmanClient,
  plan: Plan,
  report: PlayReport,
  deadline: number,
  signal: AbortSignal,
): Promise<{ object: string; error: unknown }[]> {
  const played = new Set(report.objects.map((o) => o.object));
  const pods = plan.objects
    .filter((o) => played.has(o.object) && o.rollout.kind !== "job")
    .flatMap((o) => o.pods.map((p) => ({ object: o.object, p })));
  const results = await Promise.allSettled(
    pods.map(({ p }) => waitForPod(client, p, deadline, signal)),
  );
  return results.flatMap((r, i) =>
    r.status === "rejected" ? [{ object: pods[i]?.object ?? "", error: r.reason }] : [],
  );
}

/** `--wait` for Jobs: each played Job's controller runs until the Job succeeds or fails. */
async function runJobs(
  client: PodmanClient,
  state: DesiredState,
  plan: Plan,
  planOptions: PlanOptions,
  report: PlayReport,
  options: ExecuteOptions,
  until: { deadline: number; signal: AbortSignal },
): Promise<{ outcomes: JobOutcome[]; errors: { object: string; error: unknown }[] }> {
  const played = new Set(report.objects.map((o) => o.object));
  const jobs = plan.objects.filter((o) => o.rollout.kind === "job" && played.has(o.object));
  const results = await Promise.allSettled(
    jobs.map(async (o) => {
      const desired = state.objects.find((d) => objectId(d.ref) === o.object);
      const template = desired?.template;
      if (!template) throw new PlayError(`${o.object}: no pod template`);
      const make = (index: number, attempt: number) =>
        planPod(template(index, attempt), { data: state.data }, planOptions);
      return runJob(client, o, make, options, until.deadline, until.signal);
    }),
  );
  const outcomes: JobOutcome[] = [];
  const errors: { object: string; error: unknown }[] = [];
  for (const [i, r] of results.entries()) {
    if (r.status === "fulfilled") outcomes.push(r.value);
    else errors.push({ object: jobs[i]?.object ?? "", error: r.reason });
  }
  return { outcomes, errors };
}

/** `job/default/x` as users write it: `job/x`, `job/x -n ns`. */
function shortObject(object: string): string {
  const [kind = "", namespace = "", ...name] = object.split("/");
  const shown = `${kind}/${name.join("/")}`;
  return namespace === "default" ? shown : `${shown} -n ${namespace}`;
}

/** The NodePort and LoadBalancer ports the play published on the host. */
function published(
  state: DesiredState,
  flags: PlayFlags,
): { service: string; address: string; port: number; protocol: string; pod: string }[] {
  const address = flags.serviceAddress ?? "127.0.0.1";
  return state.services.flatMap((s) =>
    s.published.flatMap((p) =>
      p.pod === undefined
        ? []
        : [
            {
              service: shortObject(`service/${s.ref.namespace}/${s.ref.name}`),
              address: address.includes(":")
                ? `[${address}]:${p.hostPort}`
                : `${address}:${p.hostPort}`,
              port: p.port,
              protocol: p.protocol,
              pod: p.pod,
            },
          ],
    ),
  );
}

function printPlayed(
  io: CliIo,
  report: PlayReport,
  flags: PlayFlags,
  total: number,
  services: ReturnType<typeof published>,
): void {
  const played = report.objects;
  if (flags.output !== "table") {
    const pods = played.flatMap((o) => o.pods);
    io.stdout(
      renderData(
        {
          objects: played,
          pods,
          secrets: report.secrets,
          claims: report.claims,
          networks: report.networks,
          services,
        },
        flags.output,
      ),
    );
    return;
  }
  if (flags.quiet || (played.length === 0 && report.secrets.length === 0)) return;
  const rows: string[][] = [];
  for (const s of report.secrets) rows.push([`secret`, s.name, "", s.action]);
  for (const c of report.claims) rows.push([`claim`, c.name, "", c.action]);
  for (const n of report.networks) rows.push([`network`, n.name, "", n.action]);
  for (const o of played) {
    if (o.object.startsWith("pod/")) for (const p of o.pods) podRows(rows, p, "pod/", "  ");
    else objectRows(rows, o);
  }
  io.stdout(renderTable(["OBJECT", "NAME", "ID", "ACTION"], rows));
  if (played.length < total) io.stdout(`${played.length} of ${total} objects played\n`);
  for (const s of services)
    io.stdout(`${s.service}: ${s.address} -> port ${s.port}/${s.protocol} (pod ${s.pod})\n`);
}

/** A standalone pod, as kplay has always printed it: the pod, its infra, its containers. */
function podRows(rows: string[][], p: PlayedPod, prefix: string, indent: string): void {
  rows.push([
    `${prefix}${p.name}`,
    p.name,
    shortId(p.id),
    p.reason ? `${p.action} (${p.reason})` : p.action,
  ]);
  if (p.infraId) rows.push([`${indent}infra`, "", shortId(p.infraId), ""]);
  for (const c of p.containers) {
    rows.push([`${indent}${c.init ? "init " : ""}${c.container}`, c.name, shortId(c.id), c.action]);
  }
}

/** A workload: one line for it, one per pod it played or removed. */
function objectRows(rows: string[][], o: ObjectResult): void {
  const [kind = "", namespace = "", ...name] = o.object.split("/");
  const shown = `${kind}/${name.join("/")}`;
  const count = `${o.pods.length} pod${o.pods.length === 1 ? "" : "s"}`;
  rows.push([
    namespace === "default" ? shown : `${shown} -n ${namespace}`,
    o.note ?? count,
    "",
    o.action,
  ]);
  for (const p of o.pods) {
    const changed = p.containers.filter((c) => c.action !== "unchanged");
    const detail =
      p.action === "updated" && changed.length > 0
        ? ` (${changed.map((c) => c.container).join(", ")})`
        : "";
    rows.push([
      "  pod",
      p.name,
      shortId(p.id),
      `${p.reason ? `${p.action} (${p.reason})` : p.action}${detail}`,
    ]);
  }
  for (const r of o.removed) rows.push(["  pod", r, "", "removed"]);
}

/** Whether this play created a claim volume whose claim asked for a size or access modes. */
function sizedClaimsCreated(plan: Plan, report: PlayReport): boolean {
  const created = new Set(report.claims.filter((c) => c.action === "created").map((c) => c.name));
  return plan.claims.some((step) => {
    const labels = (step.request.body as { Label?: Record<string, string> }).Label ?? {};
    return (
      created.has(step.name) &&
      (Object.hasOwn(labels, LABEL_CLAIM_SIZE) || Object.hasOwn(labels, LABEL_CLAIM_ACCESS))
    );
  });
}
