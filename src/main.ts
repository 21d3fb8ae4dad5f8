#!/usr/bin/env -S deno run -A
/**
 * The entry point: the only place that reads process globals, prints, and exits.
 * Runs unchanged under Bun (and `bun build --compile`), Deno, and Node (bundled).
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { runCli } from "./cli/app.ts";

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
const write = (stream: NodeJS.WriteStream, text: string) => {
  try {
    stream.write(text);
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
  readFile: (path) => readFileSync(path),
  readStdin: () => readFileSync(0),
  signal: controller.signal,
});
// Let piped output drain before exiting: process.exit does not wait for it on Node.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
await new Promise<void>((resolve) => process.stderr.write("", () => resolve()));
process.exit(code);
