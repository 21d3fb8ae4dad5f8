/** One way to run a child process in tests: Bun.spawn, output captured, bounded in time. */
import { constants } from "node:os";

/** What a finished child process left: both streams in full and its exit code. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit status; 128 + N when killed by signal N (as a shell reports it). */
  readonly exitCode: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. Without it stdin is /dev/null. */
  readonly stdin?: string;
  /** SIGKILL the child after this long (default 120 s, the per-test timeout). */
  readonly timeoutMs?: number;
}

/** Runs `cmd` to completion and returns its output; never throws for a non-zero exit. */
export async function runCommand(
  cmd: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const proc = Bun.spawn([...cmd], {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
    timeout: options.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ]);
  await proc.exited;
  return { stdout, stderr, exitCode: exitCodeOf(proc.exitCode, proc.signalCode) };
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | number | null): number {
  if (code !== null) return code;
  if (typeof signal === "number") return 128 + signal;
  const number = signal === null ? undefined : constants.signals[signal];
  return number === undefined ? -1 : 128 + number;
}
