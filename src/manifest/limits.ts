/**
 * Bounds on hostile input. Every manifest kplay is meant for is far below each of them; they
 * exist so that a crafted file is refused at once, with a diagnostic, in bounded time and memory.
 */

/**
 * Largest input file accepted, in bytes (16 MiB). A Pod manifest is a few kilobytes, but
 * generated input (`helm template`, a generator of thousands of objects) reaches megabytes;
 * 16 MiB holds tens of thousands of Pods. What bounds the decoder's time is per document
 * (yaml/limits.ts) and MAX_DOCUMENTS; this bounds memory and the cost of huge scalars.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Deepest nesting of YAML collections accepted. Real Pod manifests nest about 12 deep (affinity
 * terms); the bound keeps every recursive walk far from the stack limit.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * Most YAML documents accepted in one file: far above what a generator writes (16 MiB of
 * 2 kB Pods is 8 000 documents), far below the four million `---` lines 16 MiB can hold,
 * which would take the decoder seconds.
 */
export const MAX_DOCUMENTS = 100_000;

/** Most diagnostics told per file; past it, one summary line with a position. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/** Kubernetes' limit on the total size of a pod's annotations (keys plus values), in bytes. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/**
 * Kubernetes' limit on a ConfigMap's or a Secret's data (all keys together), in bytes: the
 * API server refuses larger ones (etcd's value size).
 */
export const MAX_OBJECT_DATA_BYTES = 1024 * 1024;
