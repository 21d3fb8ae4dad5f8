/**
 * The parser: tokens to the node tree of a chunk's FIRST document, which is all go-yaml's
 * Unmarshal reads. It follows libyaml's grammar as go-yaml v2 has it, quirks included (a `?`
 * inside a flow sequence whose key is missing swallows the next token), and stops right
 * after the token that ends the document, so that what follows is never scanned.
 */
import { syntaxError, YamlFailure } from "./failure.ts";
import type { MapNode, Node, ScalarNode, SeqNode } from "./nodes.ts";
import type { Scanner } from "./scanner.ts";
import { STYLE, TK, type Token } from "./tokens.ts";

/** The first document of a chunk, and where reading stopped. */
export interface ParsedDocument {
  /** The root node, or null when the chunk holds no document (only comments). */
  readonly root: Node | null;
  /** Chunk offset from which go-yaml reads nothing more (after a `...` that ends it). */
  readonly stop: number;
  /** Whether the document ended at the end of the chunk. */
  readonly atEnd: boolean;
}

/** The tag handles every document has unless a %TAG directive redefines them. */
function defaultPrefix(handle: string): string | undefined {
  return handle === "!" ? "!" : handle === "!!" ? "tag:yaml.org,2002:" : undefined;
}

/** Parses the first document; offsets of nodes go through `toFile`. */
export function parseDocument(
  scanner: Scanner,
  toFile: (offset: number) => number,
  maxDepth: number,
  maxNodes = Number.POSITIVE_INFINITY,
): ParsedDocument {
  return new Parser(scanner, toFile, maxDepth, maxNodes).document();
}

class Parser {
  /** %TAG handles of the document (rare, so made on demand). */
  private tags: Map<string, string> | undefined;
  private readonly anchors = new Map<string, Node>();
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly s: Scanner,
    private readonly toFile: (offset: number) => number,
    private readonly maxDepth: number,
    private readonly maxNodes: number,
  ) {}

  document(): ParsedDocument {
    this.s.peek();
    this.s.skip(); // STREAM-START
    let t = this.s.peek();
    let root: Node | null;
    if (t.kind === TK.StreamEnd) return { root: null, stop: t.start, atEnd: true };
    if (
      t.kind !== TK.VersionDirective &&
      t.kind !== TK.TagDirective &&
      t.kind !== TK.DocumentStart
    ) {
      this.directives();
      root = this.node(true, false);
    } else {
      this.directives();
      t = this.s.peek();
      if (t.kind !== TK.DocumentStart) {
        const directive = t.kind === TK.StreamEnd;
        syntaxError(
          "did not find expected <document start>",
          t.start,
          t.end,
          directive
            ? 'A %YAML or %TAG directive needs "---" after it in the same document, and Kubernetes cuts documents at every "---" line: remove the directive'
            : undefined,
        );
      }
      this.s.skip();
      t = this.s.peek();
      if (
        t.kind === TK.VersionDirective ||
        t.kind === TK.TagDirective ||
        t.kind === TK.DocumentStart ||
        t.kind === TK.DocumentEnd ||
        t.kind === TK.StreamEnd
      )
        root = this.empty(t.start, "", true);
      else root = this.node(true, false);
    }
    t = this.s.peek();
    if (t.kind === TK.DocumentEnd) {
      this.s.skip();
      return { root, stop: t.end, atEnd: false };
    }
    return { root, stop: t.start, atEnd: t.kind === TK.StreamEnd };
  }

  /** Reads %YAML and %TAG directives, then adds the default tag handles. */
  private directives(): void {
    let version = false;
    for (let t = this.s.peek(); ; t = this.s.peek()) {
      if (t.kind === TK.VersionDirective) {
        if (version) syntaxError("found duplicate %YAML directive", t.start, t.end);
        if (t.value !== "1.1")
          syntaxError(
            `found incompatible YAML document: %YAML ${t.value}`,
            t.start,
            t.end,
            "Kubernetes' YAML decoder (go-yaml v2) reads YAML 1.1 only",
          );
        version = true;
      } else if (t.kind === TK.TagDirective) {
        this.tags ??= new Map();
        if (this.tags.has(t.value)) syntaxError("found duplicate %TAG directive", t.start, t.end);
        this.tags.set(t.value, t.extra);
      } else break;
      this.s.skip();
    }
  }

  private empty(at: number, tag: string, implicit: boolean, start = at): ScalarNode {
    return {
      kind: "scalar",
      start: this.toFile(start),
      end: this.toFile(at),
      value: "",
      tag,
      implicit,
    };
  }

  private enter(at: Token): void {
    if (++this.depth > this.maxDepth)
      throw new YamlFailure(
        "too-deep",
        `Document nests too deeply: more than ${this.maxDepth} levels`,
        at.start,
        at.end,
      );
  }

  /** A node: alias, or properties then content (block content only when `block`). */
  private node(block: boolean, indentless: boolean): Node {
    let t = this.s.peek();
    if (++this.nodes > this.maxNodes)
      throw new YamlFailure(
        "too-many-nodes",
        `Document has too many YAML nodes: more than ${this.maxNodes}`,
        t.start,
        Math.max(t.end, t.start + 1),
        "A Pod manifest has a few hundred; split the input into several documents",
      );
    if (t.kind === TK.Alias) {
      this.s.skip();
      const target = this.anchors.get(t.value);
      if (target === undefined)
        throw new YamlFailure(
          "yaml-syntax",
          `Unknown anchor "${t.value}" referenced`,
          t.start,
          t.end,
          `Define "&${t.value}" earlier in the same document; anchors do not cross "---"`,
        );
      return {
        kind: "alias",
        start: this.toFile(t.start),
        end: this.toFile(t.end),
        name: t.value,
        target,
      };
    }
    const start = t.start;
    let end = t.start;
    let anchor = "";
    let tagToken: Token | undefined;
    if (t.kind === TK.Anchor || t.kind === TK.Tag) {
      for (let i = 0; i < 2 && (t.kind === TK.Anchor || t.kind === TK.Tag); i++) {
        if (t.kind === TK.Anchor) {
          if (anchor !== "") break;
          anchor = t.value;
        } else {
          if (tagToken !== undefined) break;
          tagToken = t;
        }
        end = t.end;
        this.s.skip();
        t = this.s.peek();
      }
    }
    const tag = tagToken === undefined ? "" : this.resolveTag(tagToken);
    let node: Node;
    if (indentless && t.kind === TK.BlockEntry) node = this.sequence(start, anchor, "indentless");
    else if (t.kind === TK.Scalar) {
      this.s.skip();
      node = {
        kind: "scalar",
        start: this.toFile(start),
        end: this.toFile(t.end),
        value: t.value,
        tag,
        implicit: (tag === "" && t.style === STYLE.plain) || tag === "!",
      };
    } else if (t.kind === TK.FlowSequenceStart) node = this.sequence(start, anchor, "flow");
    else if (t.kind === TK.FlowMappingStart) node = this.mapping(start, anchor, true);
    else if (block && t.kind === TK.BlockSequenceStart)
      node = this.sequence(start, anchor, "block");
    else if (block && t.kind === TK.BlockMappingStart) node = this.mapping(start, anchor, false);
    else if (anchor !== "" || tagToken !== undefined)
      node = this.empty(end, tag, tag === "", start);
    else
      syntaxError(
        `did not find expected node content (while parsing a ${block ? "block" : "flow"} node)`,
        t.start,
        Math.max(t.end, t.start + 1),
      );
    if (anchor !== "" && node.kind === "scalar") this.anchors.set(anchor, node);
    return node;
  }

  private resolveTag(t: Token): string {
    if (t.value === "") return t.extra;
    const prefix = this.tags?.get(t.value) ?? defaultPrefix(t.value);
    if (prefix === undefined || prefix + t.extra === "")
      syntaxError(`found undefined tag handle "${t.value}" (while parsing a node)`, t.start, t.end);
    return prefix + t.extra;
  }

  private sequence(start: number, anchor: string, style: "block" | "flow" | "indentless"): SeqNode {
    const first = this.s.peek();
    this.enter(first);
    const items: Node[] = [];
    const node: SeqNode = { kind: "seq", start: this.toFile(start), end: 0, items };
    if (anchor !== "") this.anchors.set(anchor, node);
    let end: number;
    if (style === "flow") end = this.toFile(this.flowSequence(items));
    else if (style === "block") end = this.blockSequence(items);
    else end = this.indentlessSequence(items);
    (node as { end: number }).end = end;
    this.depth--;
    return node;
  }

  private blockSequence(items: Node[]): number {
    const open = this.s.peek();
    this.s.skip();
    for (;;) {
      const t = this.s.peek();
      if (t.kind === TK.BlockEntry) {
        this.s.skip();
        const next = this.s.peek();
        if (next.kind !== TK.BlockEntry && next.kind !== TK.BlockEnd)
          items.push(this.node(true, false));
        else items.push(this.empty(t.end, "", true));
      } else if (t.kind === TK.BlockEnd) {
        this.s.skip();
        return this.itemsEnd(items, open);
      } else
        syntaxError(
          "did not find expected '-' indicator (while parsing a block collection)",
          t.start,
          Math.max(t.end, t.start + 1),
          'Items of a list start with "- " at the list\'s indentation',
        );
    }
  }

  private indentlessSequence(items: Node[]): number {
    const open = this.s.peek();
    for (let t = open; t.kind === TK.BlockEntry; t = this.s.peek()) {
      this.s.skip();
      const next = this.s.peek();
      if (
        next.kind !== TK.BlockEntry &&
        next.kind !== TK.Key &&
        next.kind !== TK.Value &&
        next.kind !== TK.BlockEnd
      )
        items.push(this.node(true, false));
      else items.push(this.empty(t.end, "", true));
    }
    return this.itemsEnd(items, open);
  }

  /** Where a block collection ends (a file offset): at its last node, else its first token. */
  private itemsEnd(items: Node[], open: Token): number {
    const last = items[items.length - 1];
    return last === undefined ? this.toFile(open.end) : last.end;
  }

  private flowSequence(items: Node[]): number {
    this.s.skip();
    for (let first = true; ; first = false) {
      let t = this.s.peek();
      if (t.kind === TK.FlowSequenceEnd) {
        this.s.skip();
        return t.end;
      }
      if (!first) {
        if (t.kind !== TK.FlowEntry)
          syntaxError(
            "did not find expected ',' or ']' (while parsing a flow sequence)",
            t.start,
            Math.max(t.end, t.start + 1),
          );
        this.s.skip();
        t = this.s.peek();
        if (t.kind === TK.FlowSequenceEnd) {
          this.s.skip();
          return t.end;
        }
      }
      if (t.kind === TK.Key) items.push(this.flowPair(t));
      else items.push(this.node(false, false));
    }
  }

  /** A `key: value` entry of a flow sequence, which is a mapping of one pair. */
  private flowPair(open: Token): MapNode {
    this.enter(open);
    this.s.skip();
    const pairs: Node[] = [];
    const node: MapNode = { kind: "map", start: this.toFile(open.start), end: 0, pairs };
    let t = this.s.peek();
    if (t.kind !== TK.Value && t.kind !== TK.FlowEntry && t.kind !== TK.FlowSequenceEnd)
      pairs.push(this.node(false, false));
    else {
      // go-yaml takes this token as the missing key's.
      this.s.skip();
      pairs.push(this.empty(t.end, "", true));
    }
    t = this.s.peek();
    if (t.kind === TK.Value) {
      this.s.skip();
      const next = this.s.peek();
      if (next.kind !== TK.FlowEntry && next.kind !== TK.FlowSequenceEnd)
        pairs.push(this.node(false, false));
      else pairs.push(this.empty(next.start, "", true));
    } else pairs.push(this.empty(t.start, "", true));
    const last = pairs[1] as Node;
    (node as { end: number }).end = last.end;
    this.depth--;
    return node;
  }

  private mapping(start: number, anchor: string, flow: boolean): MapNode {
    const open = this.s.peek();
    this.enter(open);
    const pairs: Node[] = [];
    const node: MapNode = { kind: "map", start: this.toFile(start), end: 0, pairs };
    if (anchor !== "") this.anchors.set(anchor, node);
    const end = flow ? this.toFile(this.flowMapping(pairs)) : this.blockMapping(pairs, open);
    (node as { end: number }).end = end;
    this.depth--;
    return node;
  }

  private blockMapping(pairs: Node[], open: Token): number {
    this.s.skip();
    for (;;) {
      let t = this.s.peek();
      if (t.kind === TK.BlockEnd) {
        this.s.skip();
        return this.itemsEnd(pairs, open);
      }
      if (t.kind !== TK.Key)
        syntaxError(
          "did not find expected key (while parsing a block mapping)",
          t.start,
          Math.max(t.end, t.start + 1),
          "Check the indentation: keys of one mapping start in the same column",
        );
      this.s.skip();
      t = this.s.peek();
      const key =
        t.kind !== TK.Key && t.kind !== TK.Value && t.kind !== TK.BlockEnd
          ? this.node(true, true)
          : this.empty(t.start, "", true);
      pairs.push(key);
      t = this.s.peek();
      if (t.kind === TK.Value) {
        this.s.skip();
        const next = this.s.peek();
        const value =
          next.kind !== TK.Key && next.kind !== TK.Value && next.kind !== TK.BlockEnd
            ? this.node(true, true)
            : this.empty(t.end, "", true);
        pairs.push(value);
      } else pairs.push(this.empty(t.start, "", true));
    }
  }

  private flowMapping(pairs: Node[]): number {
    this.s.skip();
    for (let first = true; ; first = false) {
      let t = this.s.peek();
      if (t.kind === TK.FlowMappingEnd) {
        this.s.skip();
        return t.end;
      }
      if (!first) {
        if (t.kind !== TK.FlowEntry)
          syntaxError(
            "did not find expected ',' or '}' (while parsing a flow mapping)",
            t.start,
            Math.max(t.end, t.start + 1),
          );
        this.s.skip();
        t = this.s.peek();
        if (t.kind === TK.FlowMappingEnd) {
          this.s.skip();
          return t.end;
        }
      }
      if (t.kind === TK.Key) {
        this.s.skip();
        const next = this.s.peek();
        if (next.kind !== TK.Value && next.kind !== TK.FlowEntry && next.kind !== TK.FlowMappingEnd)
          pairs.push(this.node(false, false));
        else pairs.push(this.empty(next.start, "", true));
        t = this.s.peek();
        if (t.kind === TK.Value) {
          this.s.skip();
          const after = this.s.peek();
          if (after.kind !== TK.FlowEntry && after.kind !== TK.FlowMappingEnd)
            pairs.push(this.node(false, false));
          else pairs.push(this.empty(after.start, "", true));
        } else pairs.push(this.empty(t.start, "", true));
      } else {
        pairs.push(this.node(false, false));
        const next = this.s.peek();
        pairs.push(this.empty(next.start, "", true));
      }
    }
  }
}
