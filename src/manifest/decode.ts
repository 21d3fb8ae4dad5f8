/**
 * Decoding stage: raw bytes to text. Refuses oversized, binary and non-UTF-8 input before the
 * YAML parser sees it, so the parser only ever gets bounded, well-formed text.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import { MAX_FILE_BYTES } from "./limits.ts";
import type { SourceFile } from "./source.ts";

/** The outcome of decoding one file: its text, or the one diagnostic that refuses it. */
export type Decoded = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

/** Decodes a file's bytes as strict UTF-8, refusing files too large, binary or badly encoded. */
export function decodeSource(file: SourceFile): Decoded {
  const at = (offset: number) => ({
    file: file.name,
    line: 1,
    column: 1,
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
  const nul = file.bytes.indexOf(0);
  if (nul !== -1) {
    return refuse(
      "binary-file",
      `File is binary: it contains a NUL byte at offset ${nul}`,
      at(0),
      "kplay reads Kubernetes YAML text",
    );
  }
  try {
    // `fatal` makes invalid sequences an error instead of U+FFFD, so nothing is silently altered.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(file.bytes);
    return { ok: true, text };
  } catch {
    return refuse(
      "bad-encoding",
      "File is not valid UTF-8",
      at(0),
      "Save the file as UTF-8; kplay reads no other encoding",
    );
  }
}

function refuse(
  code: string,
  message: string,
  span: Diagnostic["span"] & object,
  hint: string,
): Decoded {
  return { ok: false, diagnostic: { code, severity: "error", message, span, hint } };
}
