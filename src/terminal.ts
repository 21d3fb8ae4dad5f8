/**
 * The process's stdin and terminal for main.ts, as `exec -i/-t` uses them. Nothing here is
 * touched until a command asks (process.stdin builds Node's stream machinery, which every
 * other command would pay for at start-up). Output goes through `stdio`, so exec's bytes
 * keep their order with kplay's own messages.
 */
import process from "node:process";
import type { TerminalIo, TerminalSize } from "./cli/io.ts";
import type { Stdio } from "./stdio.ts";

interface RawStdin {
  isTTY?: boolean;
  setRawMode?(on: boolean): unknown;
}

export function openTerminal(stdio: Stdio): TerminalIo {
  const tty = () => require("node:tty") as typeof import("node:tty");
  return {
    get stdinIsTTY() {
      return tty().isatty(0);
    },
    stdin: readStdin,
    raw() {
      const stdin = process.stdin as unknown as RawStdin;
      if (!stdin.isTTY || !stdin.setRawMode) return () => {};
      stdin.setRawMode(true);
      return () => stdin.setRawMode?.(false);
    },
    size(): TerminalSize | undefined {
      for (const fd of [1, 2, 0]) {
        if (!tty().isatty(fd)) continue;
        const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
        const [columns, rows] = stream?.getWindowSize?.() ?? [stream?.columns, stream?.rows];
        if (rows && columns) return { rows, columns };
      }
      return undefined;
    },
    onResize(listener) {
      process.on("SIGWINCH", listener);
      return () => {
        process.off("SIGWINCH", listener);
      };
    },
    write: (stream, bytes) => (stream === "stdout" ? stdio.stdout(bytes) : stdio.stderr(bytes)),
  };
}

/** stdin's chunks until end of file; leaving the loop pauses stdin so the process can exit. */
async function* readStdin(signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const stdin = process.stdin;
  const queue: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const onData = (d: Uint8Array | string) => {
    queue.push(typeof d === "string" ? new TextEncoder().encode(d) : d);
    wake?.();
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  stdin.on("data", onData);
  stdin.once("end", onEnd);
  stdin.once("error", onEnd);
  signal.addEventListener("abort", onEnd, { once: true });
  stdin.resume();
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (ended || signal.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    stdin.off("error", onEnd);
    signal.removeEventListener("abort", onEnd);
    stdin.pause();
  }
}
