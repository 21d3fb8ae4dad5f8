import { PlayError, PodPlayFailed } from "../apply/errors.ts";
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

/** Explains one pod's failure, then what the rollback removed or could not remove. */
export function describePodFailure(e: PodPlayFailed): { text: string; code: number } {
  const lines = [
    `kplay: pod "${e.pod}" failed: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}`,
  ];
  if (e.kept) {
    lines.push("  --keep-on-error: what was created is left in place");
  } else if (e.leftovers.length > 0) {
    lines.push("  rollback incomplete; still present:");
    for (const l of e.leftovers) lines.push(`    ${l.kind} ${l.name}: ${l.error}`);
  } else if (e.rolledBack.length > 0) {
    lines.push(`  rolled back: removed ${e.rolledBack.join(", ")}`);
  } else {
    lines.push("  nothing had been created");
  }
  return {
    text: `${lines.join("\n")}\n`,
    code: e.leftovers.length > 0 ? EXIT_ROLLBACK_FAILED : EXIT_FAILURE,
  };
}
