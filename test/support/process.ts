/** One way to run a child process in tests: Bun.spawn, output captured, bounded in time. */
import { readFileSync, writeFileSync } from "node:fs";
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

/**
 * The pid of the scripts/test.sh this test runs under (walking up the parents), if any: a
 * test that makes a folder under .tmp/ writes it to DIR/owner.pid, so that another test.sh
 * starting meanwhile leaves the folder alone, and one starting after a killed run cleans it.
 */
export function testRunOwner(): number | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 16 && pid > 1; depth++) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (/test\.sh/.test(cmdline)) return pid;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Writes DIR/owner.pid (see testRunOwner) when this test runs under scripts/test.sh. */
export function markOwned(dir: string): void {
  const owner = testRunOwner();
  if (owner !== undefined) writeFileSync(`${dir}/owner.pid`, `${owner}\n`);
}
