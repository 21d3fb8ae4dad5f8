import { dirname, join, resolve } from "node:path";
import { MAX_FILE_BYTES } from "../manifest/limits.ts";
import type { SourceFile } from "../manifest/source.ts";
import { type CliIo, interrupted, UsageError } from "./io.ts";

/** How the command's file arguments are read. */
export interface InputOptions {
  /** Descend into the sub-folders of a folder argument (`-R`), as `kubectl apply -R -f`. */
  readonly recursive?: boolean;
}

/** The file names a folder contributes, as `kubectl apply -f DIR` picks them. */
const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * Reads each argument into SourceFiles: `-` is stdin, a folder gives its `*.yaml`, `*.yml`
 * and `*.json` files in name order (and those of its sub-folders with `recursive`). An input
 * over the size limit is not read past it: it comes back empty with its `size` set, for the
 * loader to refuse. Anything unreadable is a usage error.
 */
export async function readInputs(
  io: CliIo,
  files: readonly string[],
  options: InputOptions = {},
): Promise<SourceFile[]> {
  if (files.length === 0)
    throw new UsageError("No manifest given: name one or more files, or - for stdin");
  const out: SourceFile[] = [];
  for (const file of files) {
    if (file === "-") out.push(await readOne(io, "-", "<stdin>", io.cwd, file));
    else await readArgument(io, file, resolve(io.cwd, file), options, out, true);
  }
  return out;
}

async function readArgument(
  io: CliIo,
  shown: string,
  abs: string,
  options: InputOptions,
  out: SourceFile[],
  named: boolean,
): Promise<void> {
  const read = await io.inputs.read(abs, MAX_FILE_BYTES, io.signal);
  if (read.kind !== "folder") {
    out.push(toSource(io, shown, dirname(abs), read, shown));
    return;
  }
  if (!named && !options.recursive) return;
  let entries: Awaited<ReturnType<CliIo["inputs"]["list"]>>;
  try {
    entries = await io.inputs.list(abs);
  } catch (e) {
    throw new UsageError(`Cannot read "${shown}": ${(e as Error).message}`);
  }
  for (const entry of entries) {
    const path = join(shown, entry.name);
    if (entry.folder) {
      if (options.recursive)
        await readArgument(io, path, join(abs, entry.name), options, out, false);
    } else if (MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      out.push(await readOne(io, join(abs, entry.name), path, abs, path));
    }
  }
}

async function readOne(
  io: CliIo,
  path: string,
  name: string,
  dir: string,
  shown: string,
): Promise<SourceFile> {
  const read = await io.inputs.read(path, MAX_FILE_BYTES, io.signal);
  if (read.kind === "folder") {
    const what = path === "-" ? "stdin" : `"${shown}"`;
    throw new UsageError(`Cannot read ${what}: it is a folder`);
  }
  return toSource(io, name, dir, read, shown);
}

function toSource(
  io: CliIo,
  name: string,
  dir: string,
  read: Exclude<Awaited<ReturnType<CliIo["inputs"]["read"]>>, { kind: "folder" }>,
  shown: string,
): SourceFile {
  switch (read.kind) {
    case "bytes":
      return { name, dir, bytes: read.bytes };
    case "too-large":
      return { name, dir, bytes: new Uint8Array(), tooLarge: read.size ?? null };
    case "error": {
      const what = shown === "-" ? "stdin" : `"${shown}"`;
      if (read.code === "EINTR") throw interrupted(io.signal, `reading ${what}`);
      throw new UsageError(`Cannot read ${what}: ${readableReason(read.code, read.message)}`);
    }
  }
}

function readableReason(code: string, message: string): string {
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    case "EBADF":
      return "it is closed";
    default:
      return message.replace(/^[A-Z]+: /, "");
  }
}
