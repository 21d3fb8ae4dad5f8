/**
 * `kplay up`'s log view: every container of every pod it plays, interleaved line by line,
 * each line prefixed `pod/container | ` (a colour per pod on a terminal). A container that
 * is restarted in place (same ID) is followed again from just after the last line shown; a
 * replaced one (new ID) from its start.
 */
import type { PodmanClient } from "../podman/client.ts";
import { decodeLogStream } from "../podman/logs.ts";

const COLOURS = [36, 33, 32, 35, 34, 91, 96, 93, 92, 95];

export interface LogMuxOptions {
  readonly prefix: boolean;
  readonly colour: boolean;
  readonly write: (text: string) => void;
}

interface Followed {
  readonly abort: AbortController;
  /** The stamp of the last line shown (RFC 3339 with nanoseconds), to resume after it. */
  last?: string;
}

export class LogMux {
  readonly #client: PodmanClient;
  readonly #options: LogMuxOptions;
  readonly #following = new Map<string, Followed>();
  readonly #resume = new Map<string, string>();
  readonly #colours = new Map<string, number>();
  #closed = false;

  constructor(client: PodmanClient, options: LogMuxOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** Whether a container's log is being followed now. */
  following(id: string): boolean {
    return this.#following.has(id);
  }

  #prefix(pod: string, container: string): string {
    if (!this.#options.prefix) return "";
    const label = `${pod}/${container} | `;
    if (!this.#options.colour) return label;
    let c = this.#colours.get(pod);
    if (c === undefined) {
      c = COLOURS[this.#colours.size % COLOURS.length] ?? 36;
      this.#colours.set(pod, c);
    }
    return `\u001b[${c}m${label}\u001b[0m`;
  }

  /** Follows one container's log until it ends (the container stopped) or the mux closes. */
  follow(id: string, pod: string, container: string): void {
    if (this.#closed || this.#following.has(id)) return;
    const entry: Followed = { abort: new AbortController() };
    this.#following.set(id, entry);
    const since = this.#resume.get(id);
    void this.#copy(id, pod, container, entry, since).finally(() => {
      if (entry.last !== undefined) this.#resume.set(id, entry.last);
      if (this.#following.get(id) === entry) this.#following.delete(id);
    });
  }

  async #copy(
    id: string,
    pod: string,
    container: string,
    entry: Followed,
    since: string | undefined,
  ): Promise<void> {
    const query: Record<string, string> = {
      stdout: "true",
      stderr: "true",
      follow: "true",
      timestamps: "true",
    };
    if (since !== undefined) query.since = since;
    let body: ReadableStream<Uint8Array>;
    try {
      body = await this.#client.stream(
        { method: "GET", path: `/containers/${encodeURIComponent(id)}/logs`, query },
        entry.abort.signal,
      );
    } catch {
      return; // gone, or the mux closed: the next start event follows it again
    }
    const prefix = this.#prefix(pod, container);
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const partial = { stdout: "", stderr: "" };
    try {
      for await (const frame of decodeLogStream(body)) {
        const text =
          partial[frame.stream] + decoders[frame.stream].decode(frame.data, { stream: true });
        const lines = text.split("\n");
        partial[frame.stream] = lines.pop() ?? "";
        for (const line of lines) this.#line(prefix, line, entry, since);
      }
    } catch {
      // the container stopped or the mux closed
    }
    for (const rest of [partial.stdout, partial.stderr])
      if (rest) this.#line(prefix, rest, entry, since);
  }

  #line(prefix: string, stamped: string, entry: Followed, since: string | undefined): void {
    const space = stamped.indexOf(" ");
    const stamp = space > 0 ? stamped.slice(0, space) : undefined;
    const text = space > 0 ? stamped.slice(space + 1) : stamped;
    // A resumed follow may repeat the lines of the second it resumed in (Podman 4.3 stamps to
    // the second): skip what was shown.
    if (since !== undefined && stamp !== undefined && stamp <= since) return;
    if (stamp !== undefined) entry.last = stamp;
    this.#options.write(`${prefix}${text}\n`);
  }

  /** Stops following everything. */
  close(): void {
    this.#closed = true;
    for (const f of this.#following.values()) f.abort.abort();
    this.#following.clear();
  }
}
