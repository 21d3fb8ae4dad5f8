import { hasErrors } from "../diagnostics/diagnostic.ts";
import { renderDiagnostics } from "../diagnostics/render.ts";
import { loadManifests } from "../manifest/index.ts";
import type { PodDocument } from "../manifest/model.ts";
import type { CliIo } from "./io.ts";
import { readInputs } from "./inputs.ts";

/** The outcome of reading and validating the command's files. */
export type Loaded = { ok: true; pods: PodDocument[] } | { ok: false };

/**
 * Reads, parses and validates the files; prints every diagnostic to stderr with its source
 * frame. Not ok when any error was found: the caller exits 2 and sends nothing to Podman.
 */
export function loadForCommand(io: CliIo, files: readonly string[], strict: boolean): Loaded {
  const result = loadManifests(readInputs(io, files), { strict });
  if (result.diagnostics.length > 0) {
    io.stderr(renderDiagnostics(result.diagnostics, result.texts, { color: io.stderrIsTTY && !io.env.NO_COLOR }));
  }
  if (hasErrors(result.diagnostics)) return { ok: false };
  return { ok: true, pods: result.pods };
}
