/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`), parsed exactly as
 * k8s.io/apimachinery's `resource.ParseQuantity` accepts them, to an exact rational value.
 *
 *   quantity ::= sign? number suffix
 *   number   ::= digits | digits "." digits? | "." digits
 *   suffix   ::= "" | n | u | m | k | M | G | T | P | E | Ki | Mi | Gi | Ti | Pi | Ei
 *              | ("e" | "E") sign? digits
 *
 * A hand-written scanner: no regular expression, linear time.
 */

import { own } from "./own.ts";

/** An exact rational value; the denominator is always positive and the fraction reduced. */
export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** The result of parsing a quantity. */
export type ParsedQuantity = { ok: true; value: Rational } | { ok: false; reason: string };

const BINARY: Readonly<Record<string, bigint>> = {
  Ki: 10n,
  Mi: 20n,
  Gi: 30n,
  Ti: 40n,
  Pi: 50n,
  Ei: 60n,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
/** Kubernetes keeps quantities within int64 scale; an exponent beyond this is a typo or an attack. */
const MAX_EXPONENT = 1000;
/** More digits than any real quantity has; it keeps BigInt conversion cheap on hostile input. */
const MAX_DIGITS = 100;

/**
 * Parsed quantities by their text: a manifest repeats a few (`64Mi`, `100m`) in every
 * container, and the checks and the planner each parse them again. Results are immutable.
 * Bounded: a hostile file of distinct quantities only empties it.
 */
const parsed = new Map<string, ParsedQuantity>();
const MAX_PARSED = 1024;

/** Parses a quantity string (or a YAML number, which Kubernetes reads the same way). */
export function parseQuantity(input: string | number): ParsedQuantity {
  if (typeof input !== "string") return parseText(numberText(input));
  const known = parsed.get(input);
  if (known !== undefined) return known;
  const result = parseText(input);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(input, result);
  return result;
}

function parseText(s: string | undefined): ParsedQuantity {
  if (s === undefined) return { ok: false, reason: "it is not a finite number" };
  let i = 0;
  let negative = false;
  if (s[i] === "+" || s[i] === "-") negative = s[i++] === "-";
  const intStart = i;
  while (isDigit(s[i])) i++;
  let digits = s.slice(intStart, i);
  let fraction = "";
  if (s[i] === ".") {
    const fracStart = ++i;
    while (isDigit(s[i])) i++;
    fraction = s.slice(fracStart, i);
  }
  if (digits === "" && fraction === "")
    return { ok: false, reason: "it does not start with a number" };
  if (digits.length + fraction.length > MAX_DIGITS)
    return { ok: false, reason: "it has too many digits" };
  const suffix = s.slice(i);
  let exponent10 = -fraction.length;
  let exponent2 = 0n;
  digits += fraction;
  const binary = own(BINARY, suffix);
  const decimal = own(DECIMAL, suffix);
  if (binary !== undefined) exponent2 = binary;
  else if (decimal !== undefined) exponent10 += decimal;
  else if ((suffix[0] === "e" || suffix[0] === "E") && isSignedInteger(suffix.slice(1))) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > MAX_EXPONENT) return { ok: false, reason: "its exponent is out of range" };
    exponent10 += e;
  } else {
    return {
      ok: false,
      reason: `its suffix ${JSON.stringify(suffix)} is not one of n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent`,
    };
  }
  let numerator = BigInt(digits) * 2n ** exponent2;
  let denominator = 1n;
  if (exponent10 >= 0) numerator *= 10n ** BigInt(exponent10);
  else denominator = 10n ** BigInt(-exponent10);
  if (negative) numerator = -numerator;
  return Object.freeze({ ok: true, value: Object.freeze(reduce(numerator, denominator)) });
}

/** Bytes (or plain units) of a quantity, rounded up away from zero as Kubernetes' `Value()`. */
export function toBytes(q: Rational): bigint {
  return divideAwayFromZero(q.numerator, q.denominator);
}

/** Thousandths of a quantity (`500m` CPU is 500), rounded up as Kubernetes' `MilliValue()`. */
export function toMilli(q: Rational): bigint {
  return divideAwayFromZero(q.numerator * 1000n, q.denominator);
}

/** Compares two quantities: negative, zero or positive as `a` is less, equal or greater. */
export function compareQuantities(a: Rational, b: Rational): number {
  const d = a.numerator * b.denominator - b.numerator * a.denominator;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (q * d === n) return q;
  return n > 0n ? q + 1n : q - 1n;
}

function reduce(n: bigint, d: bigint): Rational {
  let a = n < 0n ? -n : n;
  let b = d;
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? { numerator: 0n, denominator: 1n } : { numerator: n / a, denominator: d / a };
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // JavaScript prints 1e21 as "1e+21"; Kubernetes' exponent form accepts the sign.
  return String(n);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isSignedInteger(s: string): boolean {
  let i = s[0] === "+" || s[0] === "-" ? 1 : 0;
  if (i >= s.length || s.length - i > 6) return false;
  for (; i < s.length; i++) if (!isDigit(s[i])) return false;
  return true;
}
