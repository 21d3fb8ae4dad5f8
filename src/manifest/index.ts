/**
 * The manifest stage: bytes in, validated Pods and diagnostics out. No network, no Podman.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { PodDocument } from "./model.ts";
import type { SourceFile } from "./source.ts";

export interface LoadOptions {
  /** Turn warnings (ignored fields, …) into errors. */
  readonly strict?: boolean;
}

export interface LoadResult {
  /** Valid Pods, in input order (file order, then document order). Empty if any error. */
  readonly pods: PodDocument[];
  /** Every problem found across all files and documents, in input order. */
  readonly diagnostics: Diagnostic[];
  /** Decoded text per file name, so diagnostics can be rendered with a source frame. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Loads, parses and validates every document of every file; never throws for bad input. */
export function loadManifests(_files: readonly SourceFile[], _options: LoadOptions = {}): LoadResult {
  throw new Error("not implemented yet");
}
