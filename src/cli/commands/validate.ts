import { hasErrors } from "../../diagnostics/diagnostic.ts";
import { diagnosticToJson } from "../../diagnostics/render.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { checkInputs, printDiagnostics } from "../load.ts";
import { type OutputFormat, renderData } from "../render.ts";

/** `kplay validate FILE...`: diagnostics only; nothing printed and exit 0 when all is well. */
export function runValidate(
  io: CliIo,
  files: readonly string[],
  flags: { strict: boolean; output: OutputFormat },
): number {
  const result = checkInputs(io, files, flags.strict);
  if (flags.output !== "table") {
    io.stdout(renderData({ diagnostics: result.diagnostics.map(diagnosticToJson) }, flags.output));
  } else {
    printDiagnostics(io, result);
  }
  return hasErrors(result.diagnostics) ? EXIT_USAGE : EXIT_OK;
}
