/**
 * What is refused before the YAML decoder sees a file at all: one over the size limit (its
 * bytes were not even read past it), a binary file (a NUL byte in what is not UTF-16), and
 * one of so many documents that decoding them would take seconds. Everything else, encodings
 * included, is the decoder's (yaml/bytes.ts).
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { MAX_DOCUMENTS, MAX_FILE_BYTES } from "./limits.ts";
import type { SourceFile } from "./source.ts";

/** The one diagnostic that refuses a file outright, or undefined. */
export function refuseSource(file: SourceFile): Diagnostic | undefined {
  const at = (offset: number, line = 1, column = 1) => ({
    file: file.name,
    line,
    column,
    offset,
    endOffset: offset,
  });
  if (file.tooLarge !== undefined || file.bytes.length > MAX_FILE_BYTES) {
    const size =
      file.tooLarge === null
        ? `more than ${MAX_FILE_BYTES} bytes`
        : `${file.tooLarge ?? file.bytes.length} bytes`;
    return refuse(
      "file-too-large",
      `File is too large: ${size} (the limit is ${MAX_FILE_BYTES})`,
      at(0),
      "Kubernetes manifests are text of a few kilobytes to a few megabytes; split the input or check that it is the right file",
    );
  }
  const b0 = file.bytes[0];
  const utf16 = (b0 === 0xff && file.bytes[1] === 0xfe) || (b0 === 0xfe && file.bytes[1] === 0xff);
  const nul = utf16 ? -1 : file.bytes.indexOf(0);
  if (nul !== -1) {
    return refuse(
      "binary-file",
      `File is binary: it contains a NUL byte at offset ${nul}`,
      at(0),
      "kplay reads Kubernetes YAML text",
    );
  }
  const excess = documentExcess(file.bytes);
  if (excess !== undefined) {
    return refuse(
      "too-many-documents",
      `File has too many YAML documents: more than ${MAX_DOCUMENTS}`,
      { ...at(excess.offset, excess.line), endOffset: excess.offset + 3 },
      "Split the input into several files",
    );
  }
  return undefined;
}

/** Where the document separator past MAX_DOCUMENTS is, if there is one (a linear byte scan). */
function documentExcess(bytes: Uint8Array): { offset: number; line: number } | undefined {
  let documents = 0;
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    const lineStart = i === 0 || bytes[i - 1] === 0x0a;
    if (lineStart && bytes[i] === 0x2d && bytes[i + 1] === 0x2d && bytes[i + 2] === 0x2d) {
      if (++documents > MAX_DOCUMENTS) return { offset: i, line };
    }
    if (bytes[i] === 0x0a) line++;
  }
  return undefined;
}

function refuse(
  code: string,
  message: string,
  span: NonNullable<Diagnostic["span"]>,
  hint: string,
): Diagnostic {
  return { code, severity: "error", message, span, hint };
}
