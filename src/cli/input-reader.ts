/**
 * Reading the command's inputs (files, folders, stdin, FIFOs, `<(…)`) without ever blocking
 * the event loop and without reading more than the size limit.
 *
 * Regular files are stat'ed first (a sparse 1 TB file is refused without a read) and read in
 * one bounded read. Everything else (a pipe, a FIFO, a character device such as /dev/zero,
 * stdin that is not a file) is read through a `cat` child: a blocking open or read of a FIFO
 * with no writer then blocks that child, not a thread of ours, so SIGINT and SIGTERM are
 * handled at once (Node cannot exit while one of its pool threads sits in a blocking read).
 * Reading stops at the limit and the child is killed.
 */
import { close, fstat, open, read, readdir, type Stats, stat } from "node:fs";

// node:fs's callback forms, not node:fs/promises and node:util's promisify, and
// node:child_process imported where `cat` is spawned: a bundle loads every builtin it imports
// statically before main runs (~1 ms each), and every command reads its inputs here.
const call = <T>(f: (done: (e: NodeJS.ErrnoException | null, r: T) => void) => void) =>
  new Promise<T>((resolve, reject) => f((e, r) => (e ? reject(e) : resolve(r))));

/** What reading one input gave. */
export type InputRead =
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "folder" }
  /** Longer than the limit; `size` when it was known without reading. */
  | { readonly kind: "too-large"; readonly size?: number }
  | { readonly kind: "error"; readonly code: string; readonly message: string };

/** The input side of the outside world, injected into the CLI (tests use a fake). */
export interface InputReader {
  /** Reads `path` (`-`: stdin) up to `max` bytes; a folder is reported, not read. */
  read(path: string, max: number, signal: AbortSignal): Promise<InputRead>;
  /** A folder's entries, sorted by name, each with whether it is a folder itself. */
  list(path: string): Promise<{ readonly name: string; readonly folder: boolean }[]>;
}

/** The real reader, for main.ts. */
export const nodeInputReader: InputReader = {
  async read(path, max, signal) {
    try {
      return path === "-" ? await readStdin(max, signal) : await readPath(path, max, signal);
    } catch (e) {
      return failure(e);
    }
  },
  async list(path) {
    const entries = await call<import("node:fs").Dirent[]>((done) =>
      readdir(path, { withFileTypes: true }, done),
    );
    return entries
      .map((e) => ({ name: e.name, folder: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  },
};

async function readPath(path: string, max: number, signal: AbortSignal): Promise<InputRead> {
  const info = await call<Stats>((done) => stat(path, done));
  if (info.isDirectory()) return { kind: "folder" };
  if (!info.isFile()) {
    // `<(helm template …)` names one of our own descriptors, which a child does not have.
    const fd = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path)?.[1];
    return fd === undefined
      ? readThroughCat([path], "ignore", max, signal)
      : readThroughCat([], Number(fd), max, signal);
  }
  if (info.size > max) return { kind: "too-large", size: info.size };
  const fd = await call<number>((done) => open(path, "r", done));
  try {
    return await readBounded(
      (buffer, length) =>
        call<number>((done) => read(fd, buffer, 0, length, null, done)).then((bytesRead) => ({
          bytesRead,
        })),
      max,
    );
  } finally {
    await call<void>((done) => close(fd, (e) => done(e, undefined)));
  }
}

async function readStdin(max: number, signal: AbortSignal): Promise<InputRead> {
  // fd 0 itself: a file (`< pod.yaml`) is read directly, a folder refused, the rest streamed.
  let info: Stats;
  try {
    info = await call<Stats>((done) => fstat(0, done));
  } catch (e) {
    if ((e as { code?: string }).code === "EBADF")
      return { kind: "error", code: "EBADF", message: "stdin is closed" };
    throw e;
  }
  if (info.isDirectory()) return { kind: "folder" };
  if (!info.isFile()) return readThroughCat([], "inherit", max, signal);
  if (info.size > max) return { kind: "too-large", size: info.size };
  return readBounded(
    (buffer, length) =>
      call<number>((done) => read(0, buffer, 0, length, null, done)).then((bytesRead) => ({
        bytesRead,
      })),
    max,
  );
}

/** Reads to the end or to `max + 1` bytes, whichever comes first. */
async function readBounded(
  readSome: (buffer: Uint8Array, length: number) => Promise<{ bytesRead: number }>,
  max: number,
): Promise<InputRead> {
  const buffer = new Uint8Array(Math.min(max + 1, 64 * 1024));
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead } = await readSome(buffer, Math.min(buffer.length, max + 1 - total));
    if (bytesRead === 0) break;
    chunks.push(buffer.slice(0, bytesRead));
    total += bytesRead;
    if (total > max) return { kind: "too-large" };
  }
  return { kind: "bytes", bytes: concat(chunks, total) };
}

/**
 * Streams `cat [path]` (reading `stdin`, ours or a descriptor, when there is no path) into memory, stopping at
 * `max + 1` bytes or when `signal` aborts; either way the child is killed.
 */
function readThroughCat(
  args: string[],
  stdin: "inherit" | "ignore" | number,
  max: number,
  signal: AbortSignal,
): Promise<InputRead> {
  return import("node:child_process").then(({ spawn }) => catInto(spawn, args, stdin, max, signal));
}

function catInto(
  spawn: typeof import("node:child_process").spawn,
  args: string[],
  stdin: "inherit" | "ignore" | number,
  max: number,
  signal: AbortSignal,
): Promise<InputRead> {
  return new Promise((resolve) => {
    const child = spawn("cat", ["--", ...args], { stdio: [stdin, "pipe", "pipe"] });
    const chunks: Uint8Array[] = [];
    let total = 0;
    let stderr = "";
    let settled = false;
    const finish = (result: InputRead) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if (child.exitCode === null) child.kill("SIGKILL");
      resolve(result);
    };
    const onAbort = () => finish({ kind: "error", code: "EINTR", message: "interrupted" });
    signal.addEventListener("abort", onAbort);
    if (signal.aborted) onAbort();
    child.stdout?.on("data", (chunk: Uint8Array) => {
      total += chunk.length;
      if (total > max) finish({ kind: "too-large" });
      else chunks.push(chunk);
    });
    child.stderr?.on("data", (chunk: Uint8Array) => {
      stderr += new TextDecoder().decode(chunk);
    });
    child.on("error", (e) => finish(failure(e)));
    child.on("close", (code) => {
      if (code === 0) finish({ kind: "bytes", bytes: concat(chunks, total) });
      else finish(catFailure(stderr));
    });
  });
}

/** cat's message is `cat: PATH: Reason`; keep the reason, as the other errors give one. */
function catFailure(stderr: string): InputRead {
  const reason = stderr.trim().split(": ").pop() ?? "";
  const code = /directory/i.test(reason) ? "EISDIR" : "EIO";
  return { kind: "error", code, message: reason.toLowerCase() || "cannot be read" };
}

function failure(e: unknown): InputRead {
  const code = (e as { code?: string }).code ?? "EIO";
  const message = e instanceof Error ? e.message : String(e);
  return { kind: "error", code, message };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
