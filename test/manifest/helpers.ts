/** Shared helpers for the manifest tests: load YAML text as one file, pick diagnostics apart. */
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import { type LoadOptions, type LoadResult, loadManifests } from "../../src/manifest/index.ts";

/** Loads `text` as the file `pod.yaml`. */
export function loadText(text: string, options: LoadOptions = {}, name = "pod.yaml"): LoadResult {
  return loadManifests([{ name, dir: "/work", bytes: new TextEncoder().encode(text) }], options);
}

/** A diagnostic as `line:col code path`, the shape most assertions compare. */
export function brief(d: Diagnostic): string {
  return `${d.span?.line ?? 0}:${d.span?.column ?? 0} ${d.code} ${d.path ?? ""}`.trimEnd();
}

/** A minimal valid Pod with `extra` lines appended under its only container. */
export function podWith(containerLines: string, specLines = ""): string {
  const container = containerLines
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `      ${l}`)
    .join("\n");
  const spec = specLines
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `  ${l}`)
    .join("\n");
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
${spec === "" ? "" : `${spec}\n`}  containers:
    - name: web
      image: localhost/busybox:test
${container}
`;
}
