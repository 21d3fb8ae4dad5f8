import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
} from "node:fs";
import { dirname } from "node:path";
import type { HostPathType } from "../plan/types.ts";

/** A hostPath that does not satisfy its declared type. The message is for the user. */
export class HostPathError extends Error {
  override readonly name = "HostPathError";
}

/** What preparing a hostPath created, so a rollback can take exactly that away. */
export type HostPathCreated =
  | { readonly kind: "file"; readonly path: string }
  /** `first` is the outermost folder that did not exist before. */
  | { readonly kind: "dir"; readonly path: string; readonly first: string }
  | undefined;

/** The host filesystem operations the executor needs; injected so tests can fake faults. */
export interface HostFs {
  prepare(path: string, type: HostPathType): HostPathCreated;
  undo(created: NonNullable<HostPathCreated>): void;
}

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

const CHECKS: Partial<Record<HostPathType, [string, (s: Stats) => boolean]>> = {
  Directory: ["a directory", (s) => s.isDirectory()],
  File: ["a file", (s) => s.isFile()],
  Socket: ["a unix socket", (s) => s.isSocket()],
  CharDevice: ["a character device", (s) => s.isCharacterDevice()],
  BlockDevice: ["a block device", (s) => s.isBlockDevice()],
  DirectoryOrCreate: ["a directory", (s) => s.isDirectory()],
  FileOrCreate: ["a file", (s) => s.isFile()],
};

/** Checks and creates hostPaths the way the kubelet does for each `type`. */
export const nodeHostFs: HostFs = {
  prepare(path, type) {
    const found = stat(path);
    if (!found) {
      if (
        type === "File" ||
        type === "Socket" ||
        type === "CharDevice" ||
        type === "BlockDevice" ||
        type === "Directory"
      ) {
        throw new HostPathError(`hostPath "${path}" does not exist (type ${type} requires it)`);
      }
      if (type === "FileOrCreate") {
        // Like the kubelet, FileOrCreate does not create missing parent folders.
        try {
          closeSync(openSync(path, "wx", 0o644));
        } catch (e) {
          throw new HostPathError(`Cannot create hostPath file "${path}": ${(e as Error).message}`);
        }
        return { kind: "file", path };
      }
      // DirectoryOrCreate, and no type: the runtime creates a missing folder (as containerd does).
      const first = mkdirSync(path, { recursive: true, mode: 0o755 });
      return first ? { kind: "dir", path, first } : undefined;
    }
    const check = CHECKS[type];
    if (check && !check[1](found))
      throw new HostPathError(`hostPath "${path}" is not ${check[0]} (type ${type})`);
    return undefined;
  },
  undo(created) {
    try {
      if (created.kind === "file") {
        if (lstatSync(created.path).size === 0) unlinkSync(created.path);
      } else {
        // Remove the folders this run made, innermost first, and only while they are empty.
        for (let dir = created.path; dir.length >= created.first.length; dir = dirname(dir)) {
          rmdirSync(dir);
          if (dir === created.first) break;
        }
      }
    } catch {
      // Something was written there since: leave it, it is the user's data now.
    }
  },
};
