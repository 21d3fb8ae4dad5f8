/**
 * Offsets to line:column, for diagnostics. Lines end at "\n", "\r\n" or a lone "\r" (what
 * editors show, and what YAML reads as line breaks); columns count UTF-16 code units from 1,
 * as every position kplay prints does.
 */

/**
 * The start offset of every line of a text, for binary search. Built on the first position
 * asked for: only a diagnostic needs one, and most files have none.
 */
export class LineIndex {
  private table: number[] | undefined;

  constructor(private readonly text: string) {}

  private get starts(): number[] {
    if (this.table !== undefined) return this.table;
    const starts = [0];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.table = starts;
    return starts;
  }

  /** The 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}
