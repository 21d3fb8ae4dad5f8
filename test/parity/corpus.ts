/**
 * Cases from the shared corpus of real-world manifests (../shared/corpus): every file with a
 * `kind: Pod` document (List items included), rewritten to run here without a registry and
 * without touching the host: images become the local test image, pods get `parity-` names,
 * and host paths that a play would create move under a scratch folder. Other kinds are
 * dropped (kplay plays Pods only). Whether Podman accepts the result decides, per case, if it
 * is compared (parity.test.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { repoRoot } from "../support/podman.ts";
import { type ParityCase, podsOf } from "./cases.ts";

/** Where the corpus lives: next to the repository, as the project's shared folder. */
export const CORPUS_DIR = join(repoRoot, "../shared/corpus");
export const TEST_IMAGE = "localhost/busybox:test";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;

/** Every YAML file of the corpus, as a path relative to CORPUS_DIR, sorted. */
function corpusFiles(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(CORPUS_DIR, d.name)).map((f) => `${d.name}/${f}`))
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
}

/** The Pod documents of a text (List items flattened); none when it does not parse. */
function corpusPods(text: string): Json[] {
  let docs: unknown[];
  try {
    const parsed = parseAllDocuments(text, { logLevel: "error" });
    if (!Array.isArray(parsed) || parsed.some((d) => d.errors.length > 0)) return [];
    docs = parsed.map((d) => d.toJS() as unknown);
  } catch {
    return [];
  }
  return docs.flatMap((d) => {
    const o = obj(d);
    if (o?.kind === "List" && Array.isArray(o.items))
      return o.items.map(obj).filter((i): i is Json => i?.kind === "Pod");
    return o?.kind === "Pod" ? [o] : [];
  });
}

/** Rewrites one Pod in place for this machine; `name` becomes its metadata.name. */
function rewritePod(pod: Json, name: string, scratch: string): void {
  // Podman has no namespaces and kube play ignores them; kplay names a pod of another
  // namespace <namespace>_<name> (tested on its own): the comparison is of the default one.
  const { namespace: _namespace, ...metadata } = obj(pod.metadata) ?? {};
  pod.metadata = { ...metadata, name };
  const spec = obj(pod.spec) ?? {};
  for (const field of ["initContainers", "containers"]) {
    for (const c of Array.isArray(spec[field]) ? (spec[field] as unknown[]) : []) {
      const container = obj(c);
      if (!container) continue;
      // The test image is local: a pull policy could only make Podman try a registry.
      container.image = TEST_IMAGE;
      delete container.imagePullPolicy;
    }
  }
  for (const v of Array.isArray(spec.volumes) ? (spec.volumes as unknown[]) : []) {
    const hostPath = obj(obj(v)?.hostPath);
    if (!hostPath || typeof hostPath.path !== "string") continue;
    // Types that create what is missing would write to this machine: play them in scratch.
    const type = hostPath.type ?? "";
    if (type === "" || type === "DirectoryOrCreate" || type === "FileOrCreate") {
      hostPath.path = join(
        scratch,
        hostPath.path.startsWith("/") ? hostPath.path.slice(1) : hostPath.path,
      );
    }
  }
}

/** The corpus cases, each written under `work` with its Pods rewritten. */
export function corpusCases(work: string): ParityCase[] {
  const out: ParityCase[] = [];
  for (const rel of corpusFiles()) {
    const pods = corpusPods(readFileSync(join(CORPUS_DIR, rel), "utf8"));
    if (pods.length === 0) continue;
    const index = out.length;
    const scratch = join(work, "corpus-host", String(index));
    pods.forEach((p, i) => {
      rewritePod(p, `parity-corpus-${index}${pods.length > 1 ? `-${i}` : ""}`, scratch);
    });
    const folder = join(work, "corpus", String(index));
    mkdirSync(folder, { recursive: true });
    const file = join(folder, rel.replace("/", "__"));
    const text = pods.map((p) => stringify(p)).join("---\n");
    writeFileSync(file, text);
    out.push({ id: `corpus/${rel}`, file, pods: podsOf(text) });
  }
  return out;
}
