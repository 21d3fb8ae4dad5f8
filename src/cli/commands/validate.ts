import { hasErrors } from "../../diagnostics/diagnostic.ts";
import { diagnosticToJson } from "../../diagnostics/render.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { checkInputs, printDiagnostics } from "../load.ts";
import { type OutputFormat, renderData } from "../render.ts";

/** `kplay validate FILE...`: diagnostics only; nothing printed and exit 0 when all is well. */
export async function runValidate(
  io: CliIo,
  files: readonly string[],
  flags: { strict: boolean; output: OutputFormat; recursive?: boolean; namespace?: string },
): Promise<number> {
  const result = await checkInputs(io, files, {
    strict: flags.strict,
    recursive: flags.recursive === true,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
  if (flags.output !== "table") {
    io.stdout(renderData({ diagnostics: result.diagnostics.map(diagnosticToJson) }, flags.output));
  } else {
    printDiagnostics(io, result);
  }
  return hasErrors(result.diagnostics) ? EXIT_USAGE : EXIT_OK;
}
