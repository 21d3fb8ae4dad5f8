#!/usr/bin/env -S deno run -A
/**
 * The entry point: the only place that reads process globals, prints, and exits.
 * Runs unchanged under Bun (and `bun build --compile`), Deno, and Node (bundled).
 */
import { writeSync } from "node:fs";
import process from "node:process";
import { runCli } from "./cli/app.ts";
import { nodeInputReader } from "./cli/input-reader.ts";
import { openStdio } from "./stdio.ts";
import { openTerminal } from "./terminal.ts";

const stdio = openStdio();
const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: string) => {
  interrupts += 1;
  // The first signal asks for a clean stop (a play in progress rolls back and says what it
  // removed; logs -f just ends); a second one quits at once.
  if (interrupts > 1) {
    // Synchronously: the process ends on the next line. What was in flight is not undone.
    writeSync(
      2,
      `kplay: second ${signal}: quitting at once; what was being made or removed may be left (kplay ps shows it, kplay down FILE removes it)\n`,
    );
    process.exit(130);
  }
  stdio.stderr(`kplay: ${signal} received, stopping…\n`);
  controller.abort(new Error(signal));
};
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  get stdoutIsTTY() {
    return stdio.stdoutIsTTY;
  },
  get stderrIsTTY() {
    return stdio.stderrIsTTY;
  },
  stdout: stdio.stdout,
  stderr: stdio.stderr,
  inputs: nodeInputReader,
  signal: controller.signal,
  terminal: openTerminal(stdio),
});
// Let piped output drain before exiting: process.exit waits for it on no runtime.
await stdio.drain();
process.exit(code);
