/**
 * The one exception of the decoder, used only inside it: the scanner, parser and builder stop
 * at the first error of a document (as go-yaml does) by throwing it, and the document's
 * decoder turns it into a problem. Nothing outside src/manifest/yaml/ ever sees it.
 */

/** A document-stopping problem, with offsets local to the chunk being decoded. */
export class YamlFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly start: number,
    readonly end: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Throws a `yaml-syntax` failure with go-yaml's wording after "Invalid YAML: ". */
export function syntaxError(problem: string, start: number, end = start + 1, hint?: string): never {
  throw new YamlFailure("yaml-syntax", `Invalid YAML: ${problem}`, start, end, hint);
}
