#!/usr/bin/env -S deno run -A
/**
 * The entry point: the only place that reads process globals, prints, and exits.
 * Runs unchanged under Bun (and `bun build --compile`), Deno, and Node (bundled).
 */
import process from "node:process";
import { runCli } from "./cli/app.ts";
import { nodeInputReader } from "./cli/input-reader.ts";

const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: string) => {
  interrupts += 1;
  // The first signal asks for a clean stop (a play in progress rolls back and says what it
  // removed; logs -f just ends); a second one quits at once.
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`kplay: ${signal} received, stopping…\n`);
  controller.abort(new Error(signal));
};
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

/**
 * A reader that stops early (`kplay ps | head -1`) closes the pipe: the work is done, so
 * leave quietly instead of with a stack trace. Node reports it as an event, Deno throws.
 */
const isBrokenPipe = (e: unknown) => (e as { code?: string } | null)?.code === "EPIPE";
process.stdout.on("error", (e) => {
  if (isBrokenPipe(e)) process.exit(0);
});
/**
 * The writes still buffered per stream: a write that returned false has not reached the
 * pipe yet, and exiting before its `drain` cuts the output (Bun stopped piped output at
 * 128 KiB that way; a file or a terminal takes it all at once).
 */
const backlog = new Map<NodeJS.WriteStream, Promise<void>>();
const write = (stream: NodeJS.WriteStream, text: string) => {
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

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdout: (text) => write(process.stdout, text),
  stderr: (text) => write(process.stderr, text),
  inputs: nodeInputReader,
  signal: controller.signal,
});
// Let piped output drain before exiting: process.exit waits for it on no runtime.
while (backlog.size > 0) await Promise.all(backlog.values());
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
process.exit(code);
