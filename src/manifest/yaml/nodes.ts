/**
 * The node tree of one document, as go-yaml builds it before decoding: scalars keep their
 * text, style and tag; aliases point at the node their anchor named when they were read.
 * Offsets are into the file text. JSON documents use the same nodes, with `fixed` values.
 */
import type { YamlValue } from "./types.ts";

/** Fields every node has. */
interface NodeBase {
  readonly start: number;
  readonly end: number;
}

/** A scalar: its text, and how it was written. */
export interface ScalarNode extends NodeBase {
  readonly kind: "scalar";
  readonly value: string;
  /** The full tag (`tag:yaml.org,2002:str`, `!t`), or "" when none was written. */
  readonly tag: string;
  /** go-yaml's `implicit`: plain and untagged (or tagged `!`), so the value is resolved. */
  readonly implicit: boolean;
  /** A JSON document's value, taken as it is. */
  readonly fixed?: YamlValue;
}

/** A sequence. */
export interface SeqNode extends NodeBase {
  readonly kind: "seq";
  readonly items: Node[];
}

/** A mapping: keys and values alternate in `pairs`. */
export interface MapNode extends NodeBase {
  readonly kind: "map";
  readonly pairs: Node[];
}

/** An alias, with the node its anchor named at that point. */
export interface AliasNode extends NodeBase {
  readonly kind: "alias";
  readonly name: string;
  readonly target: Node;
}

/** Any node. */
export type Node = ScalarNode | SeqNode | MapNode | AliasNode;

/** The tags go-yaml treats specially. */
export const TAGS = {
  str: "tag:yaml.org,2002:str",
  bool: "tag:yaml.org,2002:bool",
  int: "tag:yaml.org,2002:int",
  float: "tag:yaml.org,2002:float",
  null: "tag:yaml.org,2002:null",
  timestamp: "tag:yaml.org,2002:timestamp",
  binary: "tag:yaml.org,2002:binary",
  merge: "tag:yaml.org,2002:merge",
} as const;

/** Whether a key node is the merge key `<<` (plain, or tagged !!merge). */
export function isMergeKey(node: Node): boolean {
  return (
    node.kind === "scalar" &&
    node.value === "<<" &&
    (node.implicit || node.tag === TAGS.merge) &&
    node.fixed === undefined
  );
}
