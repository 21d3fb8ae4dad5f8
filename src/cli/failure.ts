import { type Leftover, PlayAborted, PlayError, PodPlayFailed } from "../apply/errors.ts";
import { PodmanApiError, PodmanVersionError } from "../podman/errors.ts";
import { TransportError } from "../transport/types.ts";
import { UnreachableError } from "./connect.ts";
import {
  EXIT_FAILURE,
  EXIT_ROLLBACK_FAILED,
  EXIT_USAGE,
  InterruptedError,
  UsageError,
} from "./io.ts";

/** Turns a failure into the message the user reads and the exit code; unknown errors are bugs. */
export function describeFailure(e: unknown, debug: boolean): { text: string; code: number } {
  if (e instanceof UsageError) return { text: `kplay: ${e.message}\n`, code: EXIT_USAGE };
  if (e instanceof InterruptedError) return { text: `kplay: ${e.message}\n`, code: e.exitCode };
  if (e instanceof PodPlayFailed) return describePodFailure(e);
  if (e instanceof PlayAborted) return describeAborted(e);
  if (
    e instanceof UnreachableError ||
    e instanceof TransportError ||
    e instanceof PodmanApiError ||
    e instanceof PodmanVersionError ||
    e instanceof PlayError
  ) {
    return { text: `kplay: ${e.message}\n`, code: EXIT_FAILURE };
  }
  const detail =
    debug && e instanceof Error ? `\n${e.stack ?? e.message}` : " (run with --debug for details)";
  return {
    text: `kplay: internal error, please report it: ${e instanceof Error ? e.message : String(e)}${detail}\n`,
    code: EXIT_FAILURE,
  };
}

/** Explains a play that stopped before any object was played. */
function describeAborted(e: PlayAborted): { text: string; code: number } {
  return rollbackText(`kplay: ${e.message}`, e.rolledBack, e.leftovers, false);
}

/** A failure's first line, then what the rollback removed or could not remove. */
function rollbackText(
  first: string,
  rolledBack: readonly string[],
  leftovers: readonly Leftover[],
  kept: boolean,
): { text: string; code: number } {
  const lines = [first];
  if (kept) {
    lines.push("  --keep-on-error: what was created is left in place");
  } else if (leftovers.length > 0) {
    lines.push("  rollback incomplete; still present:");
    for (const l of leftovers) lines.push(`    ${l.kind} ${l.name}: ${l.error}`);
  } else if (rolledBack.length > 0) {
    lines.push(`  rolled back: removed ${rolledBack.join(", ")}`);
  } else {
    lines.push("  nothing had been created");
  }
  return {
    text: `${lines.join("\n")}\n`,
    code: leftovers.length > 0 ? EXIT_ROLLBACK_FAILED : EXIT_FAILURE,
  };
}

/** Explains one pod's failure, then what the rollback removed or could not remove. */
export function describePodFailure(e: PodPlayFailed): { text: string; code: number } {
  // A workload's failure names the object (`deployment/default/web`), a pod's the pod.
  const what = e.pod.includes("/") ? objectWord(e.pod) : `pod "${e.pod}"`;
  const first = `kplay: ${what} failed: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}`;
  return rollbackText(first, e.rolledBack, e.leftovers, e.kept);
}

/** `deployment/default/web` as a message names it: `deployment/web` (with `-n` elsewhere). */
function objectWord(id: string): string {
  const [kind = "", namespace = "", ...name] = id.split("/");
  return `${kind}/${name.join("/")}${namespace === "default" ? "" : ` (namespace ${namespace})`}`;
}
