/** One input file as read from disk or stdin: the only thing the manifest stage needs from I/O. */
export interface SourceFile {
  /** The name shown in diagnostics: the path as the user typed it, or `<stdin>`. */
  readonly name: string;
  /** The folder relative hostPaths are resolved against (absolute). */
  readonly dir: string;
  /** Raw bytes: the loader checks size, encoding and binary content itself. */
  readonly bytes: Uint8Array;
}
