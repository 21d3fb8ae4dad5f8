/**
 * One canonical JSON text for kplay's values and for Go's JSON output, so the two compare as
 * strings: keys sorted, integers exact (Go's integer literals kept as bigint), other numbers
 * as JavaScript prints them, which is how Go's encoding/json prints a float64 too.
 */
import type { YamlValue } from "../../src/manifest/yaml/index.ts";

/** kplay's documents in canonical JSON. */
export function canonicalValue(v: YamlValue): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Object.is(v, -0) ? "0" : String(v);
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalValue).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalValue(v[k] as YamlValue)}`).join(",")}}`;
}

/** Go's JSON text in the same canonical form: integer literals exact, floats as numbers. */
export function canonicalJson(text: string): string {
  let i = 0;
  const ws = () => {
    while (" \t\n\r".includes(text[i] ?? "x")) i++;
  };
  const value = (): string => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: [string, string][] = [];
      ws();
      if (text[i] === "}") i++;
      else
        for (;;) {
          ws();
          const k = JSON.parse(str()) as string;
          ws();
          i++; // :
          entries.push([k, value()]);
          ws();
          if (text[i++] === "}") break;
        }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
    }
    if (c === "[") {
      i++;
      const items: string[] = [];
      ws();
      if (text[i] === "]") i++;
      else
        for (;;) {
          items.push(value());
          ws();
          if (text[i++] === "]") break;
        }
      return `[${items.join(",")}]`;
    }
    if (c === '"') return JSON.stringify(JSON.parse(str()));
    const m = /^(true|false|null|-?[0-9.eE+-]+)/.exec(text.slice(i)) as RegExpExecArray;
    i += m[0].length;
    const lit = m[0];
    if (lit === "true" || lit === "false" || lit === "null") return lit;
    if (/[.eE]/.test(lit)) return canonicalValue(Number(lit));
    return BigInt(lit).toString();
  };
  const str = () => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return text.slice(start, i);
  };
  return value();
}
