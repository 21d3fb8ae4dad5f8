/** Shared helpers of the decoder's unit tests. */
import {
  decodeYamlText,
  type YamlDecoded,
  type YamlProblem,
} from "../../src/manifest/yaml/index.ts";
import { canonicalValue } from "../support/canonical.ts";

/** The documents of `text` as canonical JSON, one per document; throws if any error. */
export function values(text: string): string[] {
  const r = decodeYamlText(text);
  const errors = r.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new Error(`unexpected errors: ${errors.map(brief).join("; ")}`);
  return r.documents.map((d) => canonicalValue(d.value));
}

/** The only document's canonical JSON. */
export function value(text: string): string {
  const all = values(text);
  if (all.length !== 1) throw new Error(`expected one document, got ${all.length}`);
  return all[0] as string;
}

/** Problems as `severity code start-end`. */
export function problems(text: string): string[] {
  return decodeYamlText(text).problems.map(brief);
}

/** A problem as `severity code start-end`. */
export function brief(p: YamlProblem): string {
  return `${p.severity} ${p.code} ${p.start}-${p.end}`;
}

/** Decodes and returns the whole result. */
export function decode(text: string): YamlDecoded {
  return decodeYamlText(text);
}
