/**
 * The API server's probe rules (validateProbe and its callers): exactly one handler, valid
 * ports and header names, no negative timings, successThreshold 1 for liveness and startup
 * probes, and no probe (nor lifecycle) on an init container that is not a sidecar.
 *
 * Zero timings are valid: the API server defaults 0 to Kubernetes' default before it validates.
 */
import { checkName, checkRange, fail, isSet } from "./check.ts";
import { list, mapping, type ObjectContext } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkHttpHeaderName, checkPortName } from "./names.ts";

/** The probe handlers, in the order the API server counts them. */
export const PROBE_HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const TIMINGS = [
  "initialDelaySeconds",
  "timeoutSeconds",
  "periodSeconds",
  "successThreshold",
  "failureThreshold",
] as const;

/** Checks one container's probes; `init` is true for a plain (non-sidecar) init container. */
export function checkProbes(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  init: boolean,
  reported: ReadonlySet<string>,
): void {
  if (init) {
    for (const field of ["lifecycle", ...PROBES] as const) {
      if (!isSet(container[field])) continue;
      fail(
        ctx,
        "forbidden-field",
        [...at, field],
        "may not be set for init containers without restartPolicy=Always",
        reported,
        {
          anchor: "key",
          hint: "An init container runs to completion before the app containers start: probes and lifecycle belong on app containers",
        },
      );
    }
    return;
  }
  for (const kind of PROBES) {
    const probe = mapping(container[kind]);
    if (probe !== undefined) checkProbe(ctx, probe, [...at, kind], kind, reported);
  }
  const lifecycle = mapping(container.lifecycle);
  for (const hook of ["postStart", "preStop"] as const) {
    const handler = mapping(lifecycle?.[hook]);
    if (handler !== undefined)
      checkHandlers(ctx, handler, [...at, "lifecycle", hook], reported, LIFECYCLE_HANDLERS);
  }
}

/** The lifecycle hook handlers, in the order the API server counts them. */
const LIFECYCLE_HANDLERS = ["exec", "httpGet", "tcpSocket", "sleep"] as const;

function checkProbe(
  ctx: ObjectContext,
  probe: Record<string, unknown>,
  at: FieldPath,
  kind: (typeof PROBES)[number],
  reported: ReadonlySet<string>,
): void {
  checkHandlers(ctx, probe, at, reported);
  for (const field of TIMINGS) checkRange(ctx, [...at, field], probe[field], { min: 0 }, reported);
  const success = probe.successThreshold;
  if (kind !== "readinessProbe" && typeof success === "number" && success > 1) {
    fail(
      ctx,
      "number-range",
      [...at, "successThreshold"],
      `must be 1 for a ${kind === "livenessProbe" ? "liveness" : "startup"} probe, not ${success}`,
      reported,
    );
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (kind === "readinessProbe" && isSet(grace)) {
    fail(
      ctx,
      "forbidden-field",
      [...at, "terminationGracePeriodSeconds"],
      "must not be set for readiness probes",
      reported,
      { anchor: "key" },
    );
  } else {
    checkRange(ctx, [...at, "terminationGracePeriodSeconds"], grace, { min: 1 }, reported);
  }
}

/** Exactly one handler; the first one written counts, the others are reported. */
function checkHandlers(
  ctx: ObjectContext,
  probe: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
  handlers: readonly string[] = PROBE_HANDLERS,
): void {
  const given = Object.keys(probe).filter((k) => handlers.includes(k) && isSet(probe[k]));
  const [first, ...extra] = given;
  if (first === undefined) {
    fail(
      ctx,
      "probe-handler",
      at,
      `must specify a handler type: one of ${handlers.join(", ")}`,
      reported,
      { anchor: "key" },
    );
    return;
  }
  for (const k of extra) {
    fail(
      ctx,
      "probe-handler",
      [...at, k],
      `may not specify more than 1 handler type (${first} is already given)`,
      reported,
      { anchor: "key" },
    );
  }
  const handler = mapping(probe[first]);
  if (handler === undefined) return;
  const here = [...at, first];
  if (first === "exec") {
    if (Array.isArray(handler.command) && handler.command.length === 0)
      fail(ctx, "missing-field", [...here, "command"], "must list the command to run", reported);
    return;
  }
  if (first === "sleep") {
    checkRange(ctx, [...here, "seconds"], handler.seconds, { min: 0 }, reported);
    return;
  }
  checkPort(ctx, [...here, "port"], handler.port, reported);
  if (first !== "httpGet") return;
  list(handler.httpHeaders).forEach((h, j) => {
    checkName(
      ctx,
      [...here, "httpHeaders", j, "name"],
      mapping(h)?.name,
      "HTTP header name",
      checkHttpHeaderName,
      reported,
    );
  });
}

/** A probe's port: a number 1-65535 or an IANA port name (the container need not declare it). */
function checkPort(
  ctx: ObjectContext,
  path: FieldPath,
  port: unknown,
  reported: ReadonlySet<string>,
): void {
  if (typeof port === "string") {
    checkName(ctx, path, port, "port name (an IANA service name)", checkPortName, reported);
  } else if (typeof port === "number" && (port < 1 || port > 65535)) {
    fail(ctx, "port-range", path, `${port} is out of range (1-65535)`, reported);
  }
}
