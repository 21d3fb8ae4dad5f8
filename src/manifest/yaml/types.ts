/** The decoder's public data: values, documents, problems and limits. */

/** A decoded value: what Kubernetes' JSON holds, with integers beyond 2^53 as bigint. */
export type YamlValue = null | boolean | number | bigint | string | YamlValue[] | YamlMap;

/**
 * A mapping, created with `Object.create(null)` so that `__proto__`, `constructor` and the
 * like are ordinary own keys. Keys are in first-written order, except that JavaScript lists
 * integer-like keys ("1", "80") first; Kubernetes' JSON has no order either.
 */
export type YamlMap = { [key: string]: YamlValue };

/** A problem in the input, with offsets into the file text. */
export interface YamlProblem {
  readonly code: string;
  readonly severity: "error" | "warning";
  /** Sentence case, no final period, values quoted. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly hint?: string;
}

/** Where the value at a path came from (offsets into the file text). */
export interface YamlLocation {
  readonly start: number;
  readonly end: number;
  readonly keyStart?: number;
  readonly keyEnd?: number;
  /** False when the path does not exist: then this is its deepest existing ancestor. */
  readonly exact: boolean;
}

/** One kubectl document (a chunk of the `---` splitter, or one JSON value) as Kubernetes reads it. */
export interface YamlDocument {
  /**
   * 0-based position of the chunk (or JSON value) in the file, counting every chunk the
   * splitter makes, also those that decode to null and are therefore not returned.
   */
  readonly index: number;
  /** Offsets of the chunk in the file text. */
  readonly range: readonly [number, number];
  readonly value: YamlValue;
  /**
   * Where the value at `path` came from: the ALIAS node when the value at that exact path came
   * through an alias, the `<<` entry for a key that a merge supplied, else the node itself;
   * undefined for an empty path of a document without a node. A method: call it on the
   * document (`doc.locate(path)`), or bind it.
   */
  locate(path: readonly (string | number)[]): YamlLocation | undefined;
}

/** Bounds on hostile input; every field has a default (src/manifest/yaml/limits.ts). */
export interface YamlLimits {
  /** Deepest nesting of collections in a value, aliases and merges included. */
  readonly maxDepth?: number;
  /** Most nodes in one document (scalars, collections and aliases as written). */
  readonly maxNodes?: number;
  /** Most problems reported per file; past it one summary problem says how many more. */
  readonly maxProblems?: number;
}

/** What decoding a file gives: the documents Kubernetes would apply, and every problem. */
export interface YamlDecoded {
  readonly documents: YamlDocument[];
  readonly problems: YamlProblem[];
}
