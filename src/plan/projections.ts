/**
 * The files of configMap, secret, downwardAPI and projected volumes, as the kubelet lays them
 * out: ConfigMap keys and downward API fields become files (each `item` at its path, with its
 * mode, else `defaultMode`, else 0644); Secret keys become files that Podman mounts from its
 * secret store, so their values never pass through kplay's plans or requests.
 *
 * Files are written the kubelet's way (its AtomicWriter): into `..<hash>/`, with `..data`
 * linking to it and each top-level name linking into `..data`, so a changed ConfigMap reaches
 * a running pod by one new directory and one swapped link.
 */
import { hashJson } from "../graph/hash.ts";
import { dataKey } from "../graph/index.ts";
import type { DataIndex } from "../graph/types.ts";
import type { Container, DownwardAPIFile, KeyToPath, Pod, Volume } from "../manifest/model.ts";
import { fieldRefValue, resourceFieldRefValue } from "./downward.ts";
import type { NodeFacts } from "./types.ts";

/** The kubelet's default mode for projected files (0644). */
export const DEFAULT_FILE_MODE = 0o644;

/** A file kplay writes into a projected volume. */
export interface ProjectedFile {
  /** Relative to the volume, `/`-separated. */
  readonly path: string;
  readonly mode: number;
  /** UTF-8 text, or base64 when the bytes are not text (ConfigMap binaryData). */
  readonly text?: string;
  readonly base64?: string;
}

/** A file Podman mounts from its secret store. */
export interface SecretFile {
  readonly path: string;
  readonly mode: number;
  /** The Podman secret. */
  readonly secret: string;
  /** The digest of its value, so that a changed value replaces the containers. */
  readonly digest: string;
}

/** A volume's projected content. */
export interface Projection {
  readonly files: readonly ProjectedFile[];
  readonly secrets: readonly SecretFile[];
  /** What the volume projects, for its label: `configmap/name`, `downwardAPI`, ... */
  readonly sources: readonly string[];
  /** The data directory's name, `..<hash of the files>`. */
  readonly dataDir: string;
  /** Why a source could not be evaluated (a downward API field kplay cannot know). */
  readonly problems: readonly {
    readonly path: readonly (string | number)[];
    readonly problem: string;
  }[];
}

export interface ProjectionContext {
  readonly pod: Pod;
  readonly namespace: string;
  readonly data: DataIndex;
  readonly node: NodeFacts;
}

/** The projection of a configMap, secret, downwardAPI or projected volume; else undefined. */
export function projectVolume(v: Volume, ctx: ProjectionContext): Projection | undefined {
  const files: ProjectedFile[] = [];
  const secrets: SecretFile[] = [];
  const sources: string[] = [];
  const problems: { path: (string | number)[]; problem: string }[] = [];
  const configMap = (name: string, items: readonly KeyToPath[] | undefined, mode: number) => {
    sources.push(`configmap/${name}`);
    const cm = ctx.data.configMaps.get(dataKey(ctx.namespace, name));
    if (!cm) return; // optional and absent: nothing, as in Kubernetes
    const all = [
      ...Object.entries(cm.data).map(([k, text]) => ({ k, text })),
      ...Object.entries(cm.binaryData).map(([k, bytes]) => ({ k, bytes })),
    ];
    for (const entry of select(all, items, mode)) {
      const { value, path, mode: m } = entry;
      files.push({
        path,
        mode: m,
        ...("text" in value ? { text: value.text ?? "" } : encode(value.bytes)),
      });
    }
  };
  const secret = (name: string, items: readonly KeyToPath[] | undefined, mode: number) => {
    sources.push(`secret/${name}`);
    const s = ctx.data.secrets.get(dataKey(ctx.namespace, name));
    if (!s) return;
    const all = [...s.keys].map(([k, podman]) => ({ k, podman }));
    for (const { value, path, mode: m } of select(all, items, mode)) {
      if (value.podman.empty) files.push({ path, mode: m, text: "" });
      else secrets.push({ path, mode: m, secret: value.podman.name, digest: value.podman.digest });
    }
  };
  const downward = (items: readonly DownwardAPIFile[], mode: number, at: (string | number)[]) => {
    sources.push("downwardAPI");
    items.forEach((item, i) => {
      const value = downwardValue(item, ctx);
      if (value.ok) files.push({ path: item.path, mode: item.mode ?? mode, text: value.value });
      else problems.push({ path: [...at, i], problem: value.problem });
    });
  };
  if (v.configMap)
    configMap(v.configMap.name, v.configMap.items, v.configMap.defaultMode ?? DEFAULT_FILE_MODE);
  else if (v.secret)
    secret(v.secret.secretName, v.secret.items, v.secret.defaultMode ?? DEFAULT_FILE_MODE);
  else if (v.downwardAPI)
    downward(v.downwardAPI.items ?? [], v.downwardAPI.defaultMode ?? DEFAULT_FILE_MODE, [
      "downwardAPI",
      "items",
    ]);
  else if (v.projected) {
    const mode = v.projected.defaultMode ?? DEFAULT_FILE_MODE;
    (v.projected.sources ?? []).forEach((s, i) => {
      if (s.configMap) configMap(s.configMap.name, s.configMap.items, mode);
      if (s.secret) secret(s.secret.name, s.secret.items, mode);
      if (s.downwardAPI)
        downward(s.downwardAPI.items ?? [], mode, [
          "projected",
          "sources",
          i,
          "downwardAPI",
          "items",
        ]);
    });
  } else return undefined;
  return { files, secrets, sources, dataDir: `..${hashJson(files)}`, problems };
}

/** The entries a source gives: every key, or only its `items`, each at its path and mode. */
function select<T extends { k: string }>(
  all: readonly T[],
  items: readonly KeyToPath[] | undefined,
  mode: number,
): { value: T; path: string; mode: number }[] {
  if (!items || items.length === 0)
    return [...all]
      .sort((a, b) => (a.k < b.k ? -1 : 1))
      .map((value) => ({ value, path: value.k, mode }));
  return items.flatMap((item) => {
    const value = all.find((e) => e.k === item.key);
    return value ? [{ value, path: item.path, mode: item.mode ?? mode }] : [];
  });
}

function encode(bytes: Uint8Array | undefined): { text: string } | { base64: string } {
  const b = bytes ?? new Uint8Array();
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(b) };
  } catch {
    let s = "";
    for (const c of b) s += String.fromCharCode(c);
    return { base64: btoa(s) };
  }
}

/** A downward API volume file's content (the volume forms, which env does not have). */
function downwardValue(item: DownwardAPIFile, ctx: ProjectionContext) {
  const pod = ctx.pod;
  if (item.fieldRef) {
    const path = item.fieldRef.fieldPath;
    // The whole maps: `key="value"` lines in key order, as the kubelet formats them.
    if (path === "metadata.labels" || path === "metadata.annotations") {
      const map =
        (path === "metadata.labels" ? pod.metadata.labels : pod.metadata.annotations) ?? {};
      const lines = Object.keys(map)
        .sort()
        .map((k) => `${k}=${JSON.stringify(map[k])}`);
      return { ok: true as const, value: lines.join("\n") };
    }
    return fieldRefValue(pod, path, ctx.node);
  }
  if (item.resourceFieldRef) {
    const c: Container | undefined = item.resourceFieldRef.containerName
      ? [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find(
          (x) => x.name === item.resourceFieldRef?.containerName,
        )
      : undefined;
    if (!c)
      return { ok: false as const, problem: "a volume's resourceFieldRef needs containerName" };
    return resourceFieldRefValue(pod, c, item.resourceFieldRef, ctx.node);
  }
  return { ok: false as const, problem: "it needs a fieldRef or a resourceFieldRef" };
}
