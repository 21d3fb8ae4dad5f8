/**
 * The shared corpus (../shared/corpus, 200 real manifests): every file tagged `invalid:` in
 * INDEX.tsv is refused with an error on its culprit line, and every file either yields Pods or
 * well-formed diagnostics. Skipped when the corpus is not beside the repository.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { loadManifests } from "../../src/manifest/index.ts";

const corpus = join(import.meta.dir, "..", "..", "..", "shared", "corpus");

/** The culprit line of each invalid file, read off the file by hand. */
const CULPRIT_LINE: Readonly<Record<string, number>> = {
  "containers-podman/podman-docs-1.yaml": 1, // `...` ends the document early: the Pod has no spec
  "containers-podman/podman-docs-2.yaml": 5, // container without image (and no metadata at all)
  "containers-podman/podman-e2e-12.yaml": 3, // kind: UnknownKind
  "containers-podman/podman-e2e-15.yaml": 2, // no metadata: the object itself (its first line)
  "containers-podman/podman-e2e-16.yaml": 10, // container without image
  "containers-podman/podman-e2e-2.yaml": 2, // plain text, not a mapping
  "containers-podman/podman-e2e-38.yaml": 11, // stopSignal: noSuchSignal
  "containers-podman/podman-e2e-42.yaml": 11, // tab indentation (then a plain-text document)
  "containers-podman/podman-e2e-44.yaml": 6, // a Deployment's spec without a selector
  "containers-podman/podman-e2e-45.yaml": 5, // first tab-indented line
  "containers-podman/podman-e2e-50.yaml": 3, // stray "Invalid YAML" line: its scalar runs into `apiVersion:`
  "containers-podman/podman-e2e-51.yaml": 3, // kind: InvalidKind
  "containers-podman/podman-e2e-54.yaml": 2, // Pod without metadata and spec
  "containers-podman/podman-e2e-55.yaml": 2, // three Pods without metadata and spec; the first
  "containers-podman/podman-e2e-56.yaml": 7, // stray "-"
  "kubernetes-examples/newrelic__newrelic-config-template.yaml": 7, // config: {{config_data}}
  "kubernetes-examples/storage__vitess__vtgate-controller-template.yaml": 6, // replicas: {{replicas}}
  "kubernetes-website/pods__inject__pod-multiple-secret-env-variable.yaml": 15, // tab before `env:`
  "kubernetes-website/pods__pod-with-node-affinity.yaml": 9, // required... given a preference list
};

interface Row {
  readonly file: string;
  readonly invalid: boolean;
}

function rows(): Row[] {
  const lines = readFileSync(join(corpus, "INDEX.tsv"), "utf8").trim().split("\n").slice(1);
  return lines.map((line) => {
    const [path = "", , , , notes = ""] = line.split("\t");
    return { file: path.replace(/^corpus\//, ""), invalid: notes.includes("invalid:") };
  });
}

function load(file: string) {
  return loadManifests([{ name: file, dir: corpus, bytes: readFileSync(join(corpus, file)) }]);
}

/** A diagnostic any renderer can rely on: a kebab-case code, a message policy, a span in the file. */
function isWellFormed(d: Diagnostic, file: string, lines: number): boolean {
  const code = isDiagnosticCode(d.code);
  const message = d.message.length > 0 && !d.message.endsWith(".");
  const span =
    d.span === undefined ||
    (d.span.file === file && d.span.line >= 1 && d.span.line <= lines && d.span.column >= 1);
  return code && message && span;
}

describe.skipIf(!existsSync(join(corpus, "INDEX.tsv")))("shared corpus", () => {
  test("the culprit table covers exactly the files tagged invalid", () => {
    expect(
      rows()
        .filter((r) => r.invalid)
        .map((r) => r.file)
        .sort(),
    ).toEqual(Object.keys(CULPRIT_LINE).sort());
  });

  for (const [file, line] of Object.entries(CULPRIT_LINE)) {
    test(`${file} is refused at line ${line}`, () => {
      const result = load(file);
      const errorLines = result.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.span?.line);
      expect(result.pods).toEqual([]);
      expect(errorLines).toContain(line);
    });
  }

  test("every file yields Pods or well-formed diagnostics, without throwing", () => {
    const counts = { files: 0, withPods: 0, pods: 0, refused: 0, errors: 0, warnings: 0 };
    for (const { file } of rows()) {
      const result = load(file);
      const lines = (result.texts.get(file) ?? "").split("\n").length;
      counts.files++;
      counts.pods += result.pods.length;
      if (result.pods.length > 0) counts.withPods++;
      if (result.diagnostics.some((d) => d.severity === "error")) counts.refused++;
      counts.errors += result.diagnostics.filter((d) => d.severity === "error").length;
      counts.warnings += result.diagnostics.filter((d) => d.severity === "warning").length;
      const bad = result.diagnostics.filter((d) => !isWellFormed(d, file, lines));
      expect(`${file}: ${JSON.stringify(bad)}`).toBe(`${file}: []`);
      expect(result.pods.length + result.objects.length > 0 || result.diagnostics.length > 0).toBe(
        true,
      );
    }
    console.log(`corpus: ${JSON.stringify(counts)}`);
    expect(counts.files).toBe(200);
  });
});
