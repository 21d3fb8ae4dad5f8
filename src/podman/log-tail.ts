/**
 * `logs -f --tail N` without losing lines.
 *
 * Podman answers `follow=true&tail=N` by reading the last N lines of the log file and then
 * opening the file again at its end (libpod/logs GetLogFile, still so in Podman 5): a line
 * written between the two is never sent. A container that logs often loses lines that way;
 * the kubelet does not. kplay asks in two steps instead, with the stamps Podman adds under
 * `timestamps=true`:
 *  1. without follow, the last lines (a few more than N): the stamp of the first of the
 *     last N is T, and the lines stamped T just before them are counted;
 *  2. with follow and `since` just before T: Podman reads that stream from the start of the
 *     file and keeps the lines stamped T or later, so it holds those counted lines, the last
 *     N and everything written since, with no gap. The counted lines are skipped.
 * Podman 4.3 stamps to the second, so many lines can share T: hence the count, not a match.
 */
import type { PodmanClient } from "./client.ts";
import { decodeLogStream, type LogFrame } from "./logs.ts";

/** A frame of a `timestamps=true` stream: its stamp in nanoseconds, the payload without it. */
export interface StampedFrame extends LogFrame {
  readonly time: bigint;
  /** False for a piece of a line longer than conmon's buffer; the line's last piece is true. */
  readonly endsLine: boolean;
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/** An RFC 3339 stamp (any zone, up to nanoseconds) as nanoseconds since the epoch. */
export function parseLogTime(text: string): bigint | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const [, seconds = "", fraction = "", zone = ""] = m;
  const ms = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, "0"));
}

/** Nanoseconds since the epoch as an RFC 3339 UTC stamp with nine digits, as `since` takes. */
export function formatLogTime(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = ns % 1_000_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(9, "0")}Z`;
}

/** Splits Podman's `<stamp> ` prefix off a frame; undefined when the frame has none. */
export function unstamp(frame: LogFrame): StampedFrame | undefined {
  const space = frame.data.indexOf(SPACE);
  if (space < 0) return undefined;
  const time = parseLogTime(new TextDecoder().decode(frame.data.subarray(0, space)));
  if (time === undefined) return undefined;
  const data = frame.data.subarray(space + 1);
  return { stream: frame.stream, data, time, endsLine: data.at(-1) === NEWLINE };
}

/** Where the followed stream starts: lines stamped `since` or later, the first `skip` not shown. */
export interface TailStart {
  readonly since: bigint;
  readonly skip: number;
}

/**
 * From the stamps of the last lines of a log (oldest first, one per line), where to start
 * following so that exactly the last `lines` lines come first. `complete` says the stamps
 * cover the whole log. "more" when every earlier line read shares the window's first stamp
 * (an older one might too): read more lines. Undefined for an empty log: follow from its start.
 */
export function tailStart(
  stamps: readonly bigint[],
  lines: number,
  complete: boolean,
): TailStart | "more" | undefined {
  const first = Math.max(0, stamps.length - lines);
  const since = stamps[first];
  if (since === undefined) return undefined;
  let before = first;
  while (before > 0 && stamps[before - 1] === since) before--;
  // Every line read shares the window's first stamp: an unread older one might too.
  if (before === 0 && !complete) return "more";
  return { since: since - 1n, skip: first - before };
}

/** Lines read more than asked in step 1, so that the lines sharing T are usually all there. */
const EXTRA_LINES = 16;

/**
 * The frames of `logs -f --tail lines` (lines > 0) for one container, without the gap of
 * Podman's own tail-and-follow; undefined when Podman's stream has no stamps kplay can read
 * (then the caller asks Podman for the plain tail-and-follow).
 */
export async function followTail(
  client: PodmanClient,
  id: string,
  lines: number,
  signal: AbortSignal,
  options: FollowTailOptions = {},
): Promise<AsyncIterable<LogFrame> | undefined> {
  const path = `/containers/${encodeURIComponent(id)}/logs`;
  const base: Record<string, string> = { stdout: "true", stderr: "true", timestamps: "true" };
  if (options.since !== undefined) base.since = formatLogTime(options.since);
  let start: TailStart | "more" | undefined;
  for (let asked = lines + EXTRA_LINES; ; asked *= 4) {
    const body = await client.stream(
      { method: "GET", path, query: { ...base, follow: "false", tail: String(asked) } },
      signal,
    );
    const stamps = await lineStamps(decodeLogStream(body));
    if (!stamps) {
      // The rest of that answer is not needed: let the connection go.
      await body.cancel().catch(() => {});
      return undefined;
    }
    start = tailStart(stamps, lines, stamps.length < asked);
    if (start !== "more") break;
  }
  const query: Record<string, string> = { ...base, follow: "true" };
  if (start) query.since = formatLogTime(start.since);
  const body = await client.stream({ method: "GET", path, query }, signal);
  return skipLines(decodeLogStream(body), start?.skip ?? 0, options.timestamps === true);
}

/** `logs -f --tail` with `--since` and `--timestamps`. */
export interface FollowTailOptions {
  /** Only lines stamped at or after this (nanoseconds since the epoch). */
  readonly since?: bigint;
  /** Keep Podman's stamps on the lines. */
  readonly timestamps?: boolean;
}

/** The stamp of each line (of its last piece), oldest first; undefined if a frame has none. */
async function lineStamps(frames: AsyncIterable<LogFrame>): Promise<bigint[] | undefined> {
  const stamps: bigint[] = [];
  let open: bigint | undefined;
  for await (const frame of frames) {
    const stamped = unstamp(frame);
    if (!stamped) return undefined;
    if (stamped.endsLine) {
      stamps.push(stamped.time);
      open = undefined;
    } else open = stamped.time;
  }
  if (open !== undefined) stamps.push(open);
  return stamps;
}

/** Drops the first `skip` lines of a stamped stream, and the stamps of the rest unless kept. */
async function* skipLines(
  frames: AsyncIterable<LogFrame>,
  skip: number,
  keepStamps: boolean,
): AsyncGenerator<LogFrame> {
  let left = skip;
  for await (const frame of frames) {
    const stamped = unstamp(frame);
    if (left > 0) {
      if (!stamped || stamped.endsLine) left--;
      continue;
    }
    yield stamped && !keepStamps ? { stream: stamped.stream, data: stamped.data } : frame;
  }
}
