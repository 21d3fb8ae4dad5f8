/**
 * Everything the CLI needs from the outside world. `main.ts` builds the real one; tests
 * build their own. Nothing under cli/ touches process globals.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Uint8Array;
  readStdin(): Uint8Array;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

export const EXIT_OK = 0;
/** Something failed while talking to Podman (and what this run made was rolled back). */
export const EXIT_FAILURE = 1;
/** The command line or a manifest is invalid; nothing was sent to Podman. */
export const EXIT_USAGE = 2;
/** A rollback itself failed: something this run created is still there. */
export const EXIT_ROLLBACK_FAILED = 3;

/** A command-line mistake: exit 2 with this message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
