#!/usr/bin/env node
// kplay's npm `bin` (npm install -g, npx, npm link): runs the compiled executable beside it
// where this checkout built one (dist/kplay: it starts in a fraction of Node's time), else
// the Node bundle (dist/kplay.mjs, what an installed package carries). Plain JavaScript that
// Node 20 runs as it is; it forwards arguments, stdio, the exit code and signals.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  process.stderr.write(`kplay: needs Node 20 or later (this is Node ${process.versions.node})\n`);
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const exe = join(root, "dist", process.platform === "win32" ? "kplay.exe" : "kplay");
const bundle = join(root, "dist", "kplay.mjs");

const runnable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

if (process.env.KPLAY_BIN_NODE !== "1" && runnable(exe)) {
  const child = spawn(exe, process.argv.slice(2), { stdio: "inherit" });
  // A terminal's Ctrl-C reaches the whole process group already; a kill aimed at this
  // process (SIGTERM from a supervisor) is passed on, and kplay's own answer decides.
  for (const signal of ["SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  process.on("SIGINT", () => {});
  child.on("error", (e) => {
    process.stderr.write(`kplay: cannot run ${exe}: ${e.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  process.stderr.write(`kplay: not built yet: run \`npm run build\` in ${root}\n`);
  process.exit(1);
}
