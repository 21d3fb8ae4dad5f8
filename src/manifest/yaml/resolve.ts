/**
 * Scalar resolution as go-yaml v2 does it (resolve.go): YAML 1.1's booleans (`y`, `yes`, `on`,
 * `off`...), nulls, `.inf` and `.nan`, `<<`; integers through Go's ParseInt/ParseUint with
 * base 0 after dropping `_` (so `0755` and `0o755` are both 493, and a number past uint64 is
 * a float); floats only in YAML's decimal form (`1e999` overflows and stays a string); a
 * timestamp stays the string it was. An explicit tag must agree with what the text resolves
 * to, except that !!float accepts an integer.
 */
import { YamlFailure } from "./failure.ts";
import { parseGoFloatDot, parseGoInt, parseGoUint, parseYamlStyleFloat } from "./go-numbers.ts";
import { TAGS } from "./nodes.ts";

/** A scalar as a Go value: nil, bool, int (int64), uint (past int64), float64 or string. */
export type GoScalar =
  | { readonly t: "null" }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "int" | "uint"; readonly v: bigint }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "str"; readonly v: string };

const NULL: GoScalar = { t: "null" };
const TRUE: GoScalar = { t: "bool", v: true };
const FALSE: GoScalar = { t: "bool", v: false };

const TABLE = new Map<string, [string, GoScalar]>();
const put = (tag: string, value: GoScalar, words: string) => {
  for (const w of words.split(" ")) TABLE.set(w, [tag, value]);
};
put(TAGS.bool, TRUE, "y Y yes Yes YES true True TRUE on On ON");
put(TAGS.bool, FALSE, "n N no No NO false False FALSE off Off OFF");
put(TAGS.null, NULL, "~ null Null NULL");
TABLE.set("", [TAGS.null, NULL]);
put(TAGS.float, { t: "float", v: Number.NaN }, ".nan .NaN .NAN");
put(TAGS.float, { t: "float", v: Number.POSITIVE_INFINITY }, ".inf .Inf .INF +.inf +.Inf +.INF");
put(TAGS.float, { t: "float", v: Number.NEGATIVE_INFINITY }, "-.inf -.Inf -.INF");
TABLE.set("<<", [TAGS.merge, { t: "str", v: "<<" }]);

const RESOLVABLE = new Set<string>([
  "",
  TAGS.str,
  TAGS.bool,
  TAGS.int,
  TAGS.float,
  TAGS.null,
  TAGS.timestamp,
]);

/** go-yaml's first-character hints by char code: 1 sign, 2 digit, 3 in the table, 4 ".". */
const HINTS = new Uint8Array(128);
for (const c of "+-") HINTS[c.charCodeAt(0)] = 1;
for (const c of "0123456789") HINTS[c.charCodeAt(0)] = 2;
for (const c of "yYnNtTfFoO~") HINTS[c.charCodeAt(0)] = 3;
HINTS[46] = 4;

/** go-yaml's hint for a scalar's text: 5 when empty, 0 when it can only be a string. */
function hint(text: string): number {
  if (text === "") return 5;
  const c = text.charCodeAt(0);
  return c < 128 ? (HINTS[c] as number) : 0;
}

/** A plain decimal integer that needs no Go parsing: no sign, no leading 0, under 2^53. */
const SIMPLE_INT = /^[1-9][0-9]{0,14}$/;

/**
 * The value of an untagged scalar when it needs no resolving: the text of a quoted scalar
 * or of a plain one that can only be a string, or a small plain decimal integer; else
 * undefined. A fast path for the common case, equal to resolveScalar where it answers.
 */
export function simpleScalar(text: string, implicit: boolean): string | number | undefined {
  if (!implicit) return text;
  const h = hint(text);
  if (h === 0) return text;
  if (h === 2 && SIMPLE_INT.test(text)) return Number(text);
  return undefined;
}

/** Resolves a scalar's text under its tag ("" for none) to [tag, value]. */
function resolveRaw(tag: string, text: string): [string, GoScalar] {
  if (!RESOLVABLE.has(tag)) return [tag, { t: "str", v: text }];
  const h = hint(text);
  if (h !== 0 && tag !== TAGS.str) {
    const known = TABLE.get(text);
    if (known !== undefined) return known;
    if (h === 4) {
      const f = parseGoFloatDot(text);
      if (f !== undefined) return [TAGS.float, { t: "float", v: f }];
    } else if (h === 1 || h === 2) {
      if (tag === TAGS.timestamp && isTimestamp(text))
        return [TAGS.timestamp, { t: "str", v: text }];
      const plain = text.replaceAll("_", "");
      const i = parseGoInt(plain);
      if (i !== undefined) return [TAGS.int, { t: "int", v: i }];
      const u = parseGoUint(plain);
      if (u !== undefined) return [TAGS.int, { t: "uint", v: u }];
      const f = parseYamlStyleFloat(plain);
      if (f !== undefined) return [TAGS.float, { t: "float", v: f }];
    }
  }
  return [TAGS.str, { t: "str", v: text }];
}

/** The short form of a tag for messages (`!!int`). */
export function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice(18)}` : tag;
}

/**
 * Resolves a scalar, throwing go-yaml's "cannot decode" failure (at `start`..`end`) when an
 * explicit tag disagrees. Returns the resolved tag too, for !!binary and !!timestamp.
 */
export function resolveScalar(
  tag: string,
  text: string,
  start: number,
  end: number,
): [string, GoScalar] {
  const [rtag, value] = resolveRaw(tag, text);
  if (tag === "" || tag === rtag || tag === TAGS.str || tag === TAGS.binary) return [rtag, value];
  if (tag === TAGS.float && rtag === TAGS.int && value.t === "int")
    return [TAGS.float, { t: "float", v: Number(value.v) }];
  const shown = text.length > 10 ? `${text.slice(0, 7)}...` : text;
  throw new YamlFailure(
    "yaml-syntax",
    `Value does not match its tag: cannot decode ${shortTag(rtag)} "${shown}" as a ${shortTag(tag)}`,
    start,
    end,
  );
}

const TIMESTAMP_FORMATS = [
  /^(\d{4})-(\d\d?)-(\d\d?)[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?(?:Z|[+-]\d\d:\d\d)$/,
  /^(\d{4})-(\d\d?)-(\d\d?) (\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?$/,
  /^(\d{4})-(\d\d?)-(\d\d?)()()()$/,
];

/** go-yaml's parseTimestamp: the four layouts it gives Go's time.Parse, with its range checks. */
function isTimestamp(text: string): boolean {
  for (const format of TIMESTAMP_FORMATS) {
    const m = format.exec(text);
    if (m === null) continue;
    const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x || "0"));
    if (month === undefined || month < 1 || month > 12 || day === undefined || year === undefined)
      continue;
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days || (hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59)
      continue;
    return true;
  }
  return false;
}
