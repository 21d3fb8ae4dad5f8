/**
 * The manifests of the differential suite: every fixtures/parity/*.yaml (written for it), with
 * `@WORK@` (a scratch folder) and `@SOCKET@` (a unix socket) filled in, each copied into its
 * own folder so relative hostPaths have somewhere to resolve.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../support/podman.ts";

export interface ParityCase {
  /** fixtures/parity/NAME.yaml, or corpus/PATH#N. */
  readonly id: string;
  /** The manifest as played (absolute path). */
  readonly file: string;
  /** The Pods in it, as plain objects: the differences table reads their fields. */
  readonly pods: readonly Record<string, unknown>[];
}

/** Pod objects of a multi-document YAML text. */
export function podsOf(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text, { logLevel: "error" })
    .map((d) => d.toJS() as unknown)
    .filter(
      (v): v is Record<string, unknown> =>
        typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "Pod",
    );
}

/** The written-for-the-suite cases, materialised under `work`. */
export function fixtureCases(work: string, socket: string): ParityCase[] {
  const dir = join(repoRoot, "fixtures/parity");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const name = f.replace(/\.yaml$/, "");
      const scratch = join(work, "scratch", name);
      mkdirSync(scratch, { recursive: true });
      const text = readFileSync(join(dir, f), "utf8")
        .replaceAll("@WORK@", scratch)
        .replaceAll("@SOCKET@", socket);
      const folder = join(work, "manifests", name);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, f);
      writeFileSync(file, text);
      return { id: `fixtures/parity/${f}`, file, pods: podsOf(text) };
    });
}
