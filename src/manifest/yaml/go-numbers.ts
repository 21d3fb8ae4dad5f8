/**
 * The number parsing and formatting go-yaml and sigs.k8s.io/yaml rely on, from Go's strconv:
 * ParseInt and ParseUint with base 0 (`0x`, `0o`, `0b`, a leading `0` for octal), ParseFloat
 * on the forms go-yaml lets reach it, and FormatFloat(f, 'g', -1, 32) for float map keys.
 */

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64) without underscores: the value, or undefined on any error. */
export function parseGoUint(s: string): bigint | undefined {
  if (s === "") return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === "0") {
    const p = s.length >= 3 ? (s[1] ?? "").toLowerCase() : "";
    if (p === "b" || p === "o" || p === "x") {
      base = p === "b" ? 2 : p === "o" ? 8 : 16;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    const d =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : c >= 65 && c <= 90 ? c - 55 : 99;
    if (d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, 0, 64): the value, or undefined on a syntax or range error. */
export function parseGoInt(s: string): bigint | undefined {
  const sign = s[0];
  const negative = sign === "-";
  const body = sign === "+" || sign === "-" ? s.slice(1) : s;
  const n = parseGoUint(body);
  if (n === undefined) return undefined;
  if (negative ? n > INT64_MAX + 1n : n > INT64_MAX) return undefined;
  return negative ? -n : n;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml's yamlStyleFloat test, then ParseFloat: the value, or undefined (also on overflow). */
export function parseYamlStyleFloat(s: string): number | undefined {
  if (!YAML_STYLE_FLOAT.test(s)) return undefined;
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

/** strconv.ParseFloat on a string that starts with "." (go-yaml's '.' hint), or undefined. */
export function parseGoFloatDot(s: string): number | undefined {
  const m = /^\.([0-9_]*)(?:[eE]([-+]?)([0-9][0-9_]*))?$/.exec(s);
  if (m === null || !/[0-9]/.test(m[1] ?? "")) return undefined;
  if (s.includes("_") && !underscoresOk(s)) return undefined;
  const f = Number(s.replaceAll("_", ""));
  return Number.isFinite(f) ? f : undefined;
}

/** strconv's underscoreOK for a decimal number: each `_` between two digits. */
function underscoresOk(s: string): boolean {
  let saw = "^";
  for (const c of s) {
    if (c >= "0" && c <= "9") saw = "0";
    else if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
    } else {
      if (saw === "_") return false;
      saw = "!";
    }
  }
  return saw !== "_";
}

/** strconv.FormatFloat(f, 'g', -1, 32) with go-yaml's names for infinities and NaN. */
export function formatFloatKey(f: number): string {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return ".nan";
  if (x === Number.POSITIVE_INFINITY) return ".inf";
  if (x === Number.NEGATIVE_INFINITY) return "-.inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const negative = x < 0;
  const a = Math.abs(x);
  let digits = "";
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const [mantissa = "", e = "0"] = a.toExponential(p - 1).split("e");
    if (Math.fround(Number(`${mantissa}e${e}`)) === a || p === 9) {
      digits = mantissa.replace(".", "");
      exp = Number(e);
      break;
    }
  }
  digits = digits.replace(/0+$/, "") || "0";
  let out: string;
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  } else if (exp < 0) out = `0.${"0".repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) out = digits + "0".repeat(exp + 1 - digits.length);
  else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return negative ? `-${out}` : out;
}

/** An integer as kplay keeps it: a number when exact, else a bigint. */
export function integerValue(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}
