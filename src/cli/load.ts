import { type Diagnostic, hasErrors } from "../diagnostics/diagnostic.ts";
import { renderDiagnostics } from "../diagnostics/render.ts";
import { loadManifests } from "../manifest/index.ts";
import type { PodDocument } from "../manifest/model.ts";
import type { KubeObject } from "../manifest/objects.ts";
import { checkPlannable } from "../plan/index.ts";
import { type InputOptions, readInputs } from "./inputs.ts";
import type { CliIo } from "./io.ts";

export interface Checked {
  readonly pods: PodDocument[];
  readonly diagnostics: Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * Reads, parses and validates the files, then asks the planner whether it can plan them
 * (an unsafe subPath, a value it cannot compute): every problem, as diagnostics.
 */
export async function checkInputs(
  io: CliIo,
  files: readonly string[],
  strict: boolean,
  options: InputOptions = {},
): Promise<Checked> {
  const result = loadManifests(await readInputs(io, files, options), { strict });
  // The planner's refusals of the valid pods are reported too, so one run shows every problem.
  const refusals = [...checkPlannable(result.validPods), ...notPlayedYet(result.validObjects)];
  const diagnostics = [...result.diagnostics, ...refusals];
  return { pods: refusals.length > 0 ? [] : result.pods, diagnostics, texts: result.texts };
}

/** Workloads and data kinds validate; until the planner plays them they are refused. */
function notPlayedYet(objects: readonly KubeObject[]): Diagnostic[] {
  return objects.map((o) => {
    const span = o.source.locate(["kind"]);
    return {
      code: "unsupported-kind",
      severity: "error",
      message: `kind "${o.kind}" is valid but kplay does not play it yet`,
      ...(span ? { span } : {}),
    };
  });
}

/** The outcome of reading and validating the command's files. */
export type Loaded = { ok: true; pods: PodDocument[] } | { ok: false };

/**
 * Checks the inputs and prints every diagnostic to stderr with its source frame. Not ok
 * when any error was found: the caller exits 2 and sends nothing to Podman.
 */
export async function loadForCommand(
  io: CliIo,
  files: readonly string[],
  strict: boolean,
  options: InputOptions = {},
): Promise<Loaded> {
  const checked = await checkInputs(io, files, strict, options);
  printDiagnostics(io, checked);
  if (hasErrors(checked.diagnostics)) return { ok: false };
  return { ok: true, pods: checked.pods };
}

/** Prints diagnostics to stderr with source frames (colour on a terminal unless NO_COLOR). */
export function printDiagnostics(io: CliIo, checked: Omit<Checked, "pods">): void {
  if (checked.diagnostics.length === 0) return;
  const color = io.stderrIsTTY && !io.env.NO_COLOR;
  io.stderr(`${renderDiagnostics(checked.diagnostics, checked.texts, { color })}\n`);
}
