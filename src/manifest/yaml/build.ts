/**
 * From a document's nodes to the value Kubernetes gets: go-yaml's decoding into interface{}
 * followed by sigs.k8s.io/yaml's conversion to JSON, in one walk.
 *
 * - Merges (`<<`) write into the mapping being built in document order, as go-yaml v2 does:
 *   a later key overwrites an earlier one, so `{name: a, <<: *m}` takes m's name (with a
 *   warning), and in `<<: [*a, *b]` the earlier map wins.
 * - Keys become JSON keys as sigs.k8s.io/yaml makes them (ints in decimal, floats as Go's
 *   shortest float32, bools as "true"/"false"); a null, uint64 or collection key is refused,
 *   and so are two keys that become one JSON key (Go's map order would pick one at random).
 * - Aliases are bounded by go-yaml's own alias-ratio rule, counted the way it counts.
 * - `.inf` and `.nan` have no JSON form; `!!binary` is decoded base64.
 */
import { YamlFailure } from "./failure.ts";
import { formatFloatKey, integerValue } from "./go-numbers.ts";
import { decodeBase64, goStringFromBytes } from "./go-strings.ts";
import { allowedAliasRatio } from "./limits.ts";
import {
  type AliasNode,
  isMergeKey,
  type MapNode,
  type Node,
  type ScalarNode,
  TAGS,
} from "./nodes.ts";
import { type GoScalar, resolveScalar, simpleScalar } from "./resolve.ts";
import type { YamlMap, YamlProblem, YamlValue } from "./types.ts";

/**
 * A mapping under construction: its object and, only when they occur, the Go identity of
 * each non-string key (see goIdentity) and the keys a merge set rather than the mapping's
 * own pairs. A mapping of string keys without merges thus costs one lookup per key.
 */
interface MapState {
  readonly obj: YamlMap;
  types?: Record<string, string>;
  merged?: Record<string, true>;
}

/** Builds documents' values, counting as go-yaml's decoder counts. */
export class Builder {
  private decodeCount = 0;
  private aliasCount = 0;
  private readonly active: AliasNode[] = [];
  private depth = 0;
  private nan = 0;
  /** Warnings, keyed by offset so an anchor merged twice warns once (made on demand). */
  private warned: Map<number, YamlProblem> | undefined;

  /** The warnings found, in the order found. */
  warnings(): Iterable<YamlProblem> {
    return this.warned?.values() ?? [];
  }

  constructor(private readonly maxDepth: number) {}

  /** The value of a document's root (null for a document without one). */
  document(root: Node | null): YamlValue {
    if (root === null) return null;
    this.tick(null); // go-yaml's document node
    this.tick(root);
    return this.value(root);
  }

  /** One decode step of go-yaml, with its excessive-aliasing check. */
  private tick(node: Node | null): void {
    this.decodeCount++;
    if (this.active.length > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      const at = this.active[0] ?? node;
      throw new YamlFailure(
        "alias-limit",
        "Document contains excessive aliasing: aliases expand to most of it (go-yaml's limit)",
        at?.start ?? 0,
        at?.end ?? 0,
        "Anchors and aliases (&a, *a) are fine in moderation; this looks like a billion-laughs file",
      );
    }
  }

  private value(node: Node): YamlValue {
    switch (node.kind) {
      case "scalar":
        return this.scalarValue(node);
      case "alias":
        return this.through(node, (target) => this.value(target));
      case "seq": {
        this.enter(node);
        const items: YamlValue[] = [];
        for (const item of node.items) {
          this.tick(item);
          items.push(this.value(item));
        }
        this.depth--;
        return items;
      }
      case "map": {
        this.enter(node);
        const state: MapState = { obj: Object.create(null) };
        this.fill(node, state, undefined);
        this.depth--;
        return state.obj;
      }
    }
  }

  private enter(node: Node): void {
    if (++this.depth > this.maxDepth)
      throw new YamlFailure(
        "too-deep",
        `Document nests too deeply: more than ${this.maxDepth} levels (aliases and merges included)`,
        node.start,
        node.end,
      );
  }

  /** Follows an alias, refusing one that is inside its own anchor's value. */
  private through<T>(alias: AliasNode, use: (target: Node) => T): T {
    if (this.active.includes(alias))
      throw new YamlFailure(
        "alias-limit",
        `Anchor "${alias.name}" value contains itself`,
        alias.start,
        alias.end,
        "An alias cannot refer to the collection it is part of",
      );
    this.active.push(alias);
    this.tick(alias.target);
    const result = use(alias.target);
    this.active.pop();
    return result;
  }

  /** Writes a mapping's pairs into `state`; `merge` is the `<<` entry when merging. */
  private fill(node: MapNode, state: MapState, merge: Node | undefined): void {
    const pairs = node.pairs;
    // A merged mapping's own keys are checked here: in `state` they all come from the merge.
    const own = merge === undefined ? undefined : new Set<string>();
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const keyNode = pairs[i] as Node;
      const valueNode = pairs[i + 1] as Node;
      if (isMergeKey(keyNode)) {
        this.merge(valueNode, state, merge ?? keyNode);
        continue;
      }
      this.tick(keyNode);
      const key = this.key(keyNode);
      this.tick(valueNode);
      const value = this.value(valueNode);
      if (own !== undefined && key.t !== "float") {
        const identity = `${key.t}:${key.t === "null" ? "" : String(key.v)}`;
        if (own.has(identity))
          this.duplicate(JSON.stringify(String(key.t === "null" ? "" : key.v)), keyNode);
        own.add(identity);
      }
      this.set(state, key, keyNode, value, merge);
    }
  }

  private merge(node: Node, state: MapState, entry: Node): void {
    this.enter(node);
    const wrong = (at: Node) =>
      new YamlFailure(
        "yaml-syntax",
        "Invalid merge: map merge requires map or sequence of maps as the value",
        at.start,
        at.end,
        "The value of << must be a mapping, an alias of one, or a list of them",
      );
    const one = (item: Node) => {
      if (item.kind === "alias" && item.target.kind !== "map") throw wrong(item);
      if (item.kind !== "alias" && item.kind !== "map") throw wrong(item);
      this.tick(item);
      if (item.kind === "alias")
        this.through(item, (target) => this.fill(target as MapNode, state, entry));
      else this.fill(item, state, entry);
    };
    if (node.kind === "seq")
      for (let i = node.items.length - 1; i >= 0; i--) one(node.items[i] as Node);
    else if (node.kind === "map" || node.kind === "alias") one(node);
    else throw wrong(node);
    this.depth--;
  }

  /** A key as a Go value; a collection key is refused after it is decoded, as go-yaml does. */
  private key(node: Node): GoScalar {
    const target = node.kind === "alias" ? node.target : node;
    if (target.kind === "scalar") {
      if (node.kind === "alias") return this.through(node, () => this.scalar(target));
      return this.scalar(target);
    }
    this.value(node);
    throw new YamlFailure(
      "bad-key",
      "Mapping key is a collection: Kubernetes keys are strings",
      node.start,
      node.end,
      "Is it an unrendered template placeholder such as {{value}}? Render the template first",
    );
  }

  private set(
    state: MapState,
    key: GoScalar,
    keyNode: Node,
    value: YamlValue,
    merge: Node | undefined,
  ): void {
    const json = this.jsonKey(key, keyNode);
    const identity = goIdentity(key, this);
    let exists = state.obj[json] !== undefined;
    let oldIdentity = exists ? (state.types?.[json] ?? "str") : "";
    let own = exists && state.merged?.[json] !== true;
    if (!exists && key.t === "float" && key.v === 0) {
      // Go's map has one entry for 0.0 and -0.0, under the key written last.
      const other = json === "0" ? "-0" : "0";
      if (state.obj[other] !== undefined && state.types?.[other] === identity) {
        exists = true;
        oldIdentity = identity;
        own = state.merged?.[other] !== true;
        forget(state, other);
      }
    }
    if (exists && oldIdentity !== identity)
      throw new YamlFailure(
        "duplicate-key",
        `Duplicate key ${JSON.stringify(json)}: two different YAML keys become the same JSON key`,
        keyNode.start,
        keyNode.end,
        "Kubernetes would keep one of the two values at random; write each key once, as a string",
      );
    if (exists && merge === undefined && own) this.duplicate(JSON.stringify(json), keyNode);
    if (exists && merge !== undefined && own && this.warned?.has(merge.start) !== true) {
      this.warned ??= new Map();
      this.warned.set(merge.start, {
        code: "merge-override",
        severity: "warning",
        message: `Merge overwrites key ${JSON.stringify(json)} given earlier in the mapping: Kubernetes takes the merged value`,
        start: merge.start,
        end: merge.end,
        hint: "Put << first, so that the mapping's own keys override the merged ones",
      });
    }
    state.obj[json] = value;
    if (identity !== "str") {
      state.types ??= Object.create(null) as Record<string, string>;
      state.types[json] = identity;
    }
    if (merge !== undefined && !own) {
      state.merged ??= Object.create(null) as Record<string, true>;
      state.merged[json] = true;
    } else if (state.merged !== undefined) delete state.merged[json];
  }

  /** A fresh identity for a NaN key, which equals no other key in Go's map. */
  nextNaN(): string {
    return `nan:${this.nan++}`;
  }

  private duplicate(shown: string, keyNode: Node): never {
    throw new YamlFailure(
      "duplicate-key",
      `Duplicate key ${shown}`,
      keyNode.start,
      keyNode.end,
      "Kubernetes refuses a mapping with the same key twice; keep one",
    );
  }

  /** sigs.k8s.io/yaml's conversion of a Go key to a JSON key. */
  private jsonKey(key: GoScalar, node: Node): string {
    switch (key.t) {
      case "str":
        return key.v;
      case "int":
        return key.v.toString();
      case "float":
        return formatFloatKey(key.v);
      case "bool":
        return key.v ? "true" : "false";
      default: {
        const what = key.t === "null" ? "null" : `the integer ${key.v} (beyond int64)`;
        throw new YamlFailure(
          "bad-key",
          `Mapping key is ${what}: Kubernetes cannot make it a JSON key`,
          node.start,
          node.end,
          key.t === "null" ? 'Quote the key ("~", "null") or give it a name' : "Quote the key",
        );
      }
    }
  }

  /** A scalar's Go value. */
  private scalar(node: ScalarNode): GoScalar {
    if (node.tag === "" && node.fixed === undefined) {
      const simple = simpleScalar(node.value, node.implicit);
      if (typeof simple === "string") return { t: "str", v: simple };
    }
    if (node.fixed !== undefined) return fixedScalar(node.fixed);
    if (node.tag === "" && !node.implicit) return { t: "str", v: node.value };
    const [tag, value] = resolveScalar(node.tag, node.value, node.start, node.end);
    if (tag !== TAGS.binary) return value;
    const bytes = decodeBase64(node.value);
    if (bytes === undefined)
      throw new YamlFailure(
        "yaml-syntax",
        "Invalid !!binary value: it is not valid base64",
        node.start,
        node.end,
      );
    return { t: "str", v: goStringFromBytes(bytes) };
  }

  private scalarValue(node: ScalarNode): YamlValue {
    if (node.tag === "" && node.fixed === undefined) {
      const simple = simpleScalar(node.value, node.implicit);
      if (simple !== undefined) return simple;
    }
    if (typeof node.fixed === "number" && !Number.isFinite(node.fixed))
      throw new YamlFailure(
        "not-json",
        `Number ${node.value} is out of range`,
        node.start,
        node.end,
      );
    if (node.fixed !== undefined) return node.fixed;
    const s = this.scalar(node);
    switch (s.t) {
      case "null":
        return null;
      case "bool":
      case "str":
        return s.v;
      case "int":
      case "uint":
        return integerValue(s.v);
      case "float":
        if (!Number.isFinite(s.v))
          throw new YamlFailure(
            "not-json",
            `Value "${node.value}" has no JSON form: Kubernetes refuses infinities and NaN`,
            node.start,
            node.end,
            "Quote it if a string is meant",
          );
        return s.v;
    }
  }
}

/**
 * The part of a Go key's identity that its JSON key does not already fix: its type, and for a
 * float its value (0.1 and 0.1000000001 print alike as float32). -0.0 equals 0.0 in Go.
 */
function goIdentity(key: GoScalar, builder: Builder): string {
  if (key.t !== "float") return key.t;
  if (Number.isNaN(key.v)) return builder.nextNaN();
  return `f:${key.v === 0 ? 0 : key.v}`;
}

/** Drops a JSON key from a mapping under construction. */
function forget(state: MapState, json: string): void {
  delete state.obj[json];
  if (state.types !== undefined) delete state.types[json];
  if (state.merged !== undefined) delete state.merged[json];
}

/** A JSON document's scalar as a Go key. */
function fixedScalar(v: YamlValue): GoScalar {
  if (v === null) return { t: "null" };
  if (typeof v === "boolean") return { t: "bool", v };
  if (typeof v === "string") return { t: "str", v };
  if (typeof v === "bigint") return { t: "int", v };
  if (typeof v === "number") return { t: "float", v };
  return { t: "str", v: "" };
}
