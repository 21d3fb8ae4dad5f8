/**
 * `logs -f --tail N` in two requests. A real Podman loses a line only when it is written in
 * the instant between its tail read and its seek to the end, which a test cannot arrange; this
 * fake log answers as libpod does (tail, `since` strictly after, stamps to the second like
 * Podman 4.3 or to the nanosecond like Podman 5) and appends lines between the requests.
 */
import { describe, expect, test } from "bun:test";
import { PodmanClient } from "../../src/podman/client.ts";
import {
  followTail,
  formatLogTime,
  parseLogTime,
  tailStart,
  unstamp,
} from "../../src/podman/log-tail.ts";
import type { LogFrame } from "../../src/podman/logs.ts";
import type { HttpRequest, HttpResponse, Transport } from "../../src/transport/types.ts";

const S = 1_000_000_000n;
const T0 = 1_795_000_000n * S;

describe("stamps", () => {
  test("RFC 3339 with or without a fraction, any zone, to the nanosecond", () => {
    expect(parseLogTime("2026-11-27T12:17:47Z")).toBe(1_795_781_867n * S);
    expect(parseLogTime("2026-11-27T12:17:47.000000042Z")).toBe(1_795_781_867n * S + 42n);
    expect(parseLogTime("2026-11-27T13:17:47.5+01:00")).toBe(1_795_781_867n * S + S / 2n);
    expect(parseLogTime("2026-11-27 12:17:47Z")).toBeUndefined();
    expect(parseLogTime("tick1")).toBeUndefined();
  });

  test("formatted for `since` in UTC with nine digits, and read back the same", () => {
    const t = 1_795_781_867n * S + 7n;
    expect(formatLogTime(t)).toBe("2026-11-27T12:17:47.000000007Z");
    expect(parseLogTime(formatLogTime(t - 1n))).toBe(t - 1n);
  });

  test("unstamp splits the stamp off and says whether the frame ends a line", () => {
    const frame = (text: string): LogFrame => ({
      stream: "stderr",
      data: new TextEncoder().encode(text),
    });
    const line = unstamp(frame("2026-11-27T12:17:47Z a b\n"));
    expect(line && new TextDecoder().decode(line.data)).toBe("a b\n");
    expect(line?.endsLine).toBe(true);
    expect(line?.stream).toBe("stderr");
    expect(unstamp(frame("2026-11-27T12:17:47Z piece"))?.endsLine).toBe(false);
    expect(unstamp(frame("no stamp here\n"))).toBeUndefined();
    expect(unstamp(frame("nospace"))).toBeUndefined();
  });
});

describe("tailStart", () => {
  test("distinct stamps: start at the window's first line, nothing to skip", () => {
    expect(tailStart([1n, 2n, 3n, 4n], 2, false)).toEqual({ since: 2n, skip: 0 });
  });
  test("lines before the window that share its first stamp are skipped", () => {
    expect(tailStart([1n, 5n, 5n, 5n, 6n], 2, false)).toEqual({ since: 4n, skip: 2 });
  });
  test("every line read shares the stamp: read more, unless that was the whole log", () => {
    expect(tailStart([5n, 5n, 5n], 1, false)).toBe("more");
    expect(tailStart([5n, 5n, 5n], 1, true)).toEqual({ since: 4n, skip: 2 });
  });
  test("a log shorter than the window is followed whole; an empty one from its start", () => {
    expect(tailStart([3n, 4n], 5, true)).toEqual({ since: 2n, skip: 0 });
    expect(tailStart([], 5, true)).toBeUndefined();
  });
});

interface Entry {
  readonly time: bigint;
  readonly text: string;
}

/** A container log as libpod serves it, with hooks to write lines between two requests. */
class FakeLog implements Transport {
  readonly endpoint = { kind: "unix", path: "/fake" } as const;
  readonly entries: Entry[] = [];
  readonly queries: Record<string, string>[] = [];
  /** Runs after each answer is computed, before the next request: the container keeps writing. */
  between: () => void = () => {};

  constructor(private readonly precision: bigint) {}

  write(time: bigint, text: string): void {
    this.entries.push({ time, text });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const q = { ...req.query };
    this.queries.push(q);
    const since = q.since === undefined ? undefined : parseLogTime(q.since);
    if (q.since !== undefined && since === undefined) throw new Error(`bad since ${q.since}`);
    let lines = this.entries.filter((e) => since === undefined || e.time > since);
    const tail = q.tail === undefined || q.tail === "all" ? undefined : Number(q.tail);
    if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
    const stamp = (t: bigint) => formatLogTime((t / this.precision) * this.precision);
    const chunks = lines.map((e) =>
      frame(q.timestamps === "true" ? `${stamp(e.time)} ${e.text}\n` : `${e.text}\n`),
    );
    this.between();
    return {
      status: 200,
      headers: new Headers(),
      body: new ReadableStream({
        start(controller) {
          for (const c of chunks) controller.enqueue(c);
          controller.close();
        },
      }),
      text: async () => "",
    };
  }

  async close(): Promise<void> {}
}

function frame(text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

async function texts(frames: AsyncIterable<LogFrame>): Promise<string[]> {
  let all = "";
  for await (const f of frames) all += new TextDecoder().decode(f.data);
  return all.trimEnd().split("\n");
}

/** Ten lines a second, `tick1` at T0 + 0.1 s: `written` of them so far, one more after each answer. */
function ticker(precision: bigint, written: number): FakeLog {
  const log = new FakeLog(precision);
  const tick = (i: number) => log.write(T0 + BigInt(i) * 100_000_000n, `tick${i}`);
  for (let i = 1; i <= written; i++) tick(i);
  let n = written;
  log.between = () => tick(++n);
  return log;
}

async function follow(log: FakeLog, lines: number): Promise<string[]> {
  const frames = await followTail(new PodmanClient(log), "c1", lines, new AbortController().signal);
  if (!frames) throw new Error("followTail gave up");
  return texts(frames);
}

describe("followTail", () => {
  test("a line written between the two requests is shown, the window once (Podman 5 stamps)", async () => {
    const log = ticker(1n, 50);
    expect(await follow(log, 3)).toEqual(["tick48", "tick49", "tick50", "tick51"]);
    expect(log.queries.map((q) => q.follow)).toEqual(["false", "true"]);
  });

  test("stamps to the second: earlier lines of the same second are skipped, later ones kept", async () => {
    // Five seconds of ticks; the window's first line is mid-second.
    const log = ticker(S, 50);
    expect(await follow(log, 4)).toEqual(["tick47", "tick48", "tick49", "tick50", "tick51"]);
  });

  test("stamps to the second: a new line in the window's own second is kept", async () => {
    const log = ticker(S, 47);
    // tick46, tick47 and the new tick48 are all stamped second 4, as are tick40..tick45.
    expect(await follow(log, 2)).toEqual(["tick46", "tick47", "tick48"]);
  });

  test("more lines share the stamp than the first read holds: it reads further back", async () => {
    const log = new FakeLog(S);
    for (let i = 1; i <= 200; i++) log.write(T0 + 5n * S + BigInt(i), `burst${i}`);
    expect(await follow(log, 2)).toEqual(["burst199", "burst200"]);
    const tails = log.queries.filter((q) => q.follow === "false").map((q) => Number(q.tail));
    expect(tails.length).toBeGreaterThan(1);
    expect(tails.every((t, i) => i === 0 || t > (tails[i - 1] ?? 0))).toBe(true);
  });

  test("an empty log is followed from its start", async () => {
    const log = new FakeLog(1n);
    log.between = () => {
      if (log.entries.length === 0) log.write(T0, "first");
    };
    expect(await follow(log, 10)).toEqual(["first"]);
    expect(log.queries.at(-1)?.since).toBeUndefined();
  });

  test("frames without stamps: undefined, so the caller falls back to Podman's tail", async () => {
    const log = new FakeLog(1n);
    log.write(T0, "x");
    const client = new PodmanClient(log);
    const original = log.request.bind(log);
    log.request = (req) => original({ ...req, query: { ...req.query, timestamps: "false" } });
    expect(await followTail(client, "c1", 1, new AbortController().signal)).toBeUndefined();
  });
});
