import type { InputReader } from "./input-reader.ts";

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
  /** Files, folders and stdin (see input-reader.ts). */
  readonly inputs: InputReader;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** stdin and the terminal, for `exec`; absent where there is none (tests). */
  readonly terminal?: TerminalIo;
}

/** A terminal's rows and columns. */
export interface TerminalSize {
  readonly rows: number;
  readonly columns: number;
}

/** What `exec -i/-t` needs of the process's own stdin and terminal. */
export interface TerminalIo {
  readonly stdinIsTTY: boolean;
  /** stdin's bytes as they come, until end of file or until `signal` aborts. */
  stdin(signal: AbortSignal): AsyncIterable<Uint8Array>;
  /** Puts the stdin terminal in raw mode (keys go through as bytes, ^C included); returns undo. */
  raw(): () => void;
  /** The size of the terminal kplay writes to, if it writes to one. */
  size(): TerminalSize | undefined;
  /** Calls `listener` when that terminal is resized (SIGWINCH); returns the unsubscribe. */
  onResize(listener: () => void): () => void;
  /** Writes bytes as they are, in order with the text of CliIo's stdout and stderr. */
  write(stream: "stdout" | "stderr", bytes: Uint8Array): void;
}

export const EXIT_OK = 0;
/** Something failed while talking to Podman (and what this run made was rolled back). */
export const EXIT_FAILURE = 1;
/** The command line or a manifest is invalid; nothing was sent to Podman. */
export const EXIT_USAGE = 2;
/** A rollback itself failed: something this run created is still there. */
export const EXIT_ROLLBACK_FAILED = 3;

/** Interrupted (SIGINT, SIGTERM) before anything was sent to Podman: exit 128 + signal. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor(
    message: string,
    /** 130 for SIGINT, 143 for SIGTERM, as a shell reports a process the signal ended. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The InterruptedError for an aborted `signal` (main.ts aborts with the signal's name). */
export function interrupted(signal: AbortSignal, what: string): InterruptedError {
  const name = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
  return new InterruptedError(`${name} received while ${what}`, name === "SIGTERM" ? 143 : 130);
}

/** A command-line mistake: exit 2 with this message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
