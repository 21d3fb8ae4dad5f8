/**
 * The decoder's bounds. kplay's nesting bound (MAX_NESTING_DEPTH, 100) is far below
 * go-yaml's 10 000 so that every later recursive walk of a value stays safe; the alias bound
 * is go-yaml's own ratio rule, so a file Kubernetes accepts is not refused for its aliases.
 */
import { MAX_NESTING_DEPTH } from "../limits.ts";

/** Most problems reported per file: after a syntax error the rest are usually its echoes. */
export const MAX_YAML_PROBLEMS = 50;

/**
 * Most nodes (scalars, collections, aliases) in one document. A Pod has a few hundred and a
 * whole 1 MiB file (kplay's MAX_FILE_BYTES) cannot hold many more than this; the bound keeps a
 * huge hostile document from costing seconds (go-yaml has none, so far bigger files agree).
 */
export const MAX_DOCUMENT_NODES = 250_000;

/** The defaults of `YamlLimits`. */
export const DEFAULT_LIMITS = {
  maxDepth: MAX_NESTING_DEPTH,
  maxProblems: MAX_YAML_PROBLEMS,
  maxNodes: MAX_DOCUMENT_NODES,
};

/** go-yaml's deepest flow nesting and indentation stack (scannerc.go max_flow_level). */
export const GO_YAML_MAX_DEPTH = 10_000;

/** A simple key must end within this many characters of its start (YAML 1.2, go-yaml). */
export const MAX_SIMPLE_KEY_LENGTH = 1024;

/**
 * go-yaml's alias-ratio rule (decode.go): once a document has made more than 1000 decode steps
 * and more than 100 of them through aliases, the share that came through aliases may not
 * exceed 99% up to 400 000 steps, falling to 10% at 4 000 000.
 */
export function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}
