/**
 * Bounds on hostile input. Every manifest kplay is meant for is far below each of them; they
 * exist so that a crafted file is refused at once, with a diagnostic, in bounded time and memory.
 */

/**
 * Largest input file accepted, in bytes (1 MiB). A Pod manifest is a few kilobytes (the largest
 * of the 200 corpus files is 6 kB) and Kubernetes caps a ConfigMap's data at 1 MiB. What bounds
 * the parser's time is MAX_NODES; this bounds memory and the cost of huge scalars.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Deepest nesting of YAML collections accepted. Real Pod manifests nest about 12 deep (affinity
 * terms); the bound keeps every recursive walk far from the stack limit.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * Most alias expansions accepted while building a document's value, as yaml's `maxAliasCount`.
 * A billion-laughs file needs thousands; a manifest that reuses an anchor needs a few.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * Most YAML nodes (keys, list items, flow entries) accepted in one file. yaml costs about 5 µs
 * a node here, more on error-dense input, so 100 000 tiny `a: 1` lines would take seconds; a Pod
 * has a few hundred nodes, a List of fifty Pods a few thousand.
 */
export const MAX_NODES = 20_000;

/**
 * Most YAML documents accepted in one file. yaml spends about 10 µs per document, and a 4 MiB
 * file of `---` lines holds a million of them; a real multi-pod file holds a few dozen.
 */
export const MAX_DOCUMENTS = 1000;

/** Kubernetes' limit on the total size of a pod's annotations (keys plus values), in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/**
 * Kubernetes' limit on a ConfigMap's or a Secret's data (all keys together), in bytes: the
 * API server refuses larger ones (etcd's value size).
 */
export const MAX_OBJECT_DATA_BYTES = 1024 * 1024;
