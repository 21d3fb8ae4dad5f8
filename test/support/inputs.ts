/** An in-memory InputReader for tests that run the CLI in-process. */
import type { InputReader } from "../../src/cli/input-reader.ts";

/** Serves `files` (absolute path -> text); folders are the paths' parents. Stdin is `stdin`. */
export function memoryInputs(files: Record<string, string>, stdin = ""): InputReader {
  const encode = (s: string) => new TextEncoder().encode(s);
  const isFolder = (path: string) => Object.keys(files).some((f) => f.startsWith(`${path}/`));
  return {
    async read(path, max) {
      const text = path === "-" ? stdin : files[path];
      if (text === undefined) {
        if (isFolder(path)) return { kind: "folder" };
        return { kind: "error", code: "ENOENT", message: `no such file: ${path}` };
      }
      const bytes = encode(text);
      return bytes.length > max
        ? { kind: "too-large", size: bytes.length }
        : { kind: "bytes", bytes };
    },
    async list(path) {
      const names = new Map<string, boolean>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(`${path}/`)) continue;
        const [first, ...rest] = f.slice(path.length + 1).split("/");
        if (first !== undefined) names.set(first, rest.length > 0);
      }
      return [...names]
        .map(([name, folder]) => ({ name, folder }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
  };
}
