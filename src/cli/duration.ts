import { UsageError } from "./io.ts";

/** `--wait` without a value waits this long. */
export const DEFAULT_WAIT_MS = 120_000;

/**
 * Parses a Go-style duration as kubectl takes it (`90s`, `2m`, `1m30s`, `500ms`, `1h`);
 * a bare number is seconds.
 */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  // Each part is digits then a unit; the pattern is anchored and linear, so no backtracking.
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m?.[1] || !m[2])
      throw new UsageError(`"${text}" is not a duration (try 90s, 2m or 1m30s)`);
    total += Number(m[1]) * (unit[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  if (total <= 0) throw new UsageError(`"${text}" is not a duration (try 90s, 2m or 1m30s)`);
  return total;
}
