/** One input file as read from disk or stdin: the only thing the manifest stage needs from I/O. */
export interface SourceFile {
  /** The name shown in diagnostics: the path as the user typed it, or `<stdin>`. */
  readonly name: string;
  /** The folder relative hostPaths are resolved against (absolute). */
  readonly dir: string;
  /** Raw bytes: the loader checks size, encoding and binary content itself. */
  readonly bytes: Uint8Array;
  /**
   * Set when the input is over the size limit and was not read past it: its size in bytes
   * when known without reading (a regular file), null when only "more than the limit" is.
   */
  readonly tooLarge?: number | null;
}
