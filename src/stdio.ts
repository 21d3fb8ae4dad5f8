/**
 * stdout and stderr for main.ts: the only writers of the process's output.
 *
 * Under Bun, through Bun's own file sinks: touching `process.stdout` or `process.stderr`
 * builds Node's stream machinery (net, stream, webstreams adapters), about 22 ms of the
 * compiled executable's start-up here (a bun-compiled "hello" through process.stdout 29 ms,
 * through Bun.stdout 7 ms; measured with bun 1.4.5). Elsewhere (Deno, the Node bundle),
 * through the process streams as before.
 *
 * Both keep the same contract: writes keep their order, `drain()` resolves once everything
 * written has reached the file or pipe (exiting before that cut piped output at 128 KiB),
 * and a reader that closed the pipe (`kplay ps | head -1`) ends the process quietly (exit 0).
 * Whether a stream is a terminal is asked only when someone reads `isTTY` (node:tty costs
 * a few ms too, and only diagnostics and play's progress need it).
 */
import process from "node:process";

export interface Stdio {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Text, or bytes as they are (exec's output). */
  stdout(text: string | Uint8Array): void;
  stderr(text: string | Uint8Array): void;
  /** Resolves when everything written so far has been handed to the OS. */
  drain(): Promise<void>;
}

const isBrokenPipe = (e: unknown) => (e as { code?: string } | null)?.code === "EPIPE";

interface BunSink {
  write(chunk: string | Uint8Array): number;
  flush(): number | Promise<number>;
}
interface BunGlobal {
  stdout: { writer(): BunSink };
  stderr: { writer(): BunSink };
}

/** The streams' terminal-ness, computed on first use. */
function lazyTty(fd: number): () => boolean {
  let value: boolean | undefined;
  return () => {
    if (value === undefined) {
      // A synchronous require keeps the getter synchronous; node:tty exists on every runtime.
      const { isatty } = require("node:tty") as typeof import("node:tty");
      value = isatty(fd);
    }
    return value;
  };
}

function bunStdio(bun: BunGlobal): Stdio {
  const sinks = [bun.stdout.writer(), bun.stderr.writer()] as const;
  const pending = new Set<Promise<unknown>>();
  const write = (sink: BunSink, text: string | Uint8Array) => {
    try {
      sink.write(text);
      // A sink buffers; flush now so output appears as it is written (logs -f, progress),
      // and remember the flushes a full pipe has not taken yet.
      const flushed = sink.flush();
      if (typeof flushed !== "number") {
        const p = flushed.catch((e) => {
          if (isBrokenPipe(e)) process.exit(0);
          throw e;
        });
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
    } catch (e) {
      if (isBrokenPipe(e)) process.exit(0);
      throw e;
    }
  };
  const out = lazyTty(1);
  const err = lazyTty(2);
  return {
    get stdoutIsTTY() {
      return out();
    },
    get stderrIsTTY() {
      return err();
    },
    stdout: (text) => write(sinks[0], text),
    stderr: (text) => write(sinks[1], text),
    drain: async () => {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

function processStdio(): Stdio {
  process.stdout.on("error", (e) => {
    if (isBrokenPipe(e)) process.exit(0);
  });
  /**
   * The writes still buffered per stream: a write that returned false has not reached the
   * pipe yet, and exiting before its `drain` cuts the output.
   */
  const backlog = new Map<NodeJS.WriteStream, Promise<void>>();
  const write = (stream: NodeJS.WriteStream, text: string | Uint8Array) => {
    try {
      if (!stream.write(text) && !backlog.has(stream)) {
        backlog.set(
          stream,
          new Promise<void>((resolve) => {
            stream.once("drain", () => {
              backlog.delete(stream);
              resolve();
            });
          }),
        );
      }
    } catch (e) {
      if (isBrokenPipe(e)) process.exit(0);
      throw e;
    }
  };
  return {
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdout: (text) => write(process.stdout, text),
    stderr: (text) => write(process.stderr, text),
    drain: async () => {
      // process.exit waits for piped output on no runtime.
      while (backlog.size > 0) await Promise.all(backlog.values());
      await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
      await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
    },
  };
}

export function openStdio(): Stdio {
  const bun = (globalThis as { Bun?: BunGlobal }).Bun;
  return bun ? bunStdio(bun) : processStdio();
}
