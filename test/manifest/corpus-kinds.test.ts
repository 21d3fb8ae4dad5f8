/**
 * The shared corpus, per document of the kinds kplay plays besides Pods (Deployment,
 * ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob, ConfigMap, Secret,
 * PersistentVolumeClaim): each one plays (valid, and its file plans) or is refused with a
 * reason (an error in its own lines, or in another document it depends on). The verdicts are
 * written to test/manifest/corpus-kinds.tsv, so a change in what plays shows in review; run
 * with UPDATE_GOLDEN=1 to rewrite it. Skipped when the corpus is not beside the repository.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadManifests } from "../../src/manifest/index.ts";
import { planOf } from "../support/plan.ts";

const corpus = join(import.meta.dir, "..", "..", "..", "shared", "corpus");
const golden = join(import.meta.dir, "corpus-kinds.tsv");
const KINDS = new Set([
  "Deployment",
  "ReplicaSet",
  "ReplicationController",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "ConfigMap",
  "Secret",
  "PersistentVolumeClaim",
]);

interface Doc {
  readonly kind: string;
  readonly name: string;
  readonly first: number;
  readonly last: number;
}

/** The documents of a file (and the items of a List) with their line ranges. */
function documents(text: string): Doc[] {
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const out: Doc[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (!("contents" in doc) || doc.errors.length > 0) continue;
    const value = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
    const range = doc.contents?.range;
    if (!value || typeof value !== "object" || !range) continue;
    const items = value.kind === "List" && Array.isArray(value.items) ? value.items : [value];
    for (const item of items as Record<string, unknown>[]) {
      const meta = (item?.metadata ?? {}) as { name?: unknown; generateName?: unknown };
      out.push({
        kind: String(item?.kind ?? ""),
        name: String(meta.name ?? meta.generateName ?? ""),
        first: lineOf(range[0]),
        last: lineOf(range[2]),
      });
    }
  }
  return out;
}

function files(): string[] {
  const lines = readFileSync(join(corpus, "INDEX.tsv"), "utf8").trim().split("\n").slice(1);
  return lines.map((l) => (l.split("\t")[0] ?? "").replace(/^corpus\//, ""));
}

/** One line per document: file, kind/name, and `plays` or `refused: <code>: <message>`. */
function verdicts(): string[] {
  const out: string[] = [];
  for (const file of files()) {
    const text = readFileSync(join(corpus, file), "utf8");
    const docs = documents(text).filter((d) => KINDS.has(d.kind));
    if (docs.length === 0) continue;
    const loaded = loadManifests([
      { name: file, dir: corpus, bytes: readFileSync(join(corpus, file)) },
    ]);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    let planned = "";
    if (errors.length === 0) {
      try {
        planOf(loaded);
      } catch (e) {
        planned = e instanceof Error ? e.message : String(e);
      }
    }
    for (const d of docs) {
      const own = errors.find(
        (e) => (e.span?.line ?? 0) >= d.first && (e.span?.line ?? 0) <= d.last,
      );
      const other = errors[0];
      const verdict = own
        ? `refused: ${own.code}: ${own.message}`
        : other
          ? `refused with its file: ${other.code} at line ${other.span?.line ?? "?"}`
          : planned
            ? `refused by the planner: ${planned}`
            : "plays";
      out.push(
        [file, `${d.kind}/${d.name}`, verdict.replaceAll("\t", " ").replaceAll("\n", " ")].join(
          "\t",
        ),
      );
    }
  }
  return out;
}

describe.skipIf(!existsSync(join(corpus, "INDEX.tsv")))("shared corpus, by kind", () => {
  test("every workload, ConfigMap, Secret and claim document plays or is refused with a reason", () => {
    const lines = verdicts();
    const text = `${lines.join("\n")}\n`;
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, text);
    for (const l of lines) expect(l).toMatch(/\t(plays|refused[^\t]*: \S.*)$/);
    const plays = lines.filter((l) => l.endsWith("\tplays")).length;
    console.log(`corpus kinds: ${plays} of ${lines.length} documents play`);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });
});
