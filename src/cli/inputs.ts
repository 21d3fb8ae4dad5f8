import { dirname, resolve } from "node:path";
import type { SourceFile } from "../manifest/source.ts";
import { type CliIo, UsageError } from "./io.ts";

/** Reads each named file (`-` is stdin) into a SourceFile; a missing file is a usage error. */
export function readInputs(io: CliIo, files: readonly string[]): SourceFile[] {
  if (files.length === 0)
    throw new UsageError("No manifest given: name one or more files, or - for stdin");
  return files.map((file) => {
    if (file === "-") return { name: "<stdin>", dir: io.cwd, bytes: io.readStdin() };
    const abs = resolve(io.cwd, file);
    try {
      return { name: file, dir: dirname(abs), bytes: io.readFile(abs) };
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why =
        code === "ENOENT"
          ? "no such file"
          : code === "EISDIR"
            ? "it is a folder"
            : (e as Error).message;
      throw new UsageError(`Cannot read "${file}": ${why}`);
    }
  });
}
