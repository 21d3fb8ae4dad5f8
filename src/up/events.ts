/**
 * libpod's event stream (`GET /events?stream=true`), pod and container events only, as
 * `kplay up` reacts to them instead of polling. When the stream ends or the service goes
 * away, it reconnects (with a growing pause, at most 5 s) and says so; the caller then
 * re-lists and reconciles, since events during the gap are lost.
 */
import type { PodmanClient } from "../podman/client.ts";

export interface PodmanEvent {
  readonly type: "pod" | "container" | string;
  readonly action: string;
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export function parseEvent(line: string): PodmanEvent | undefined {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return undefined;
  }
  const attributes = raw.Actor?.Attributes ?? {};
  return {
    type: raw.Type ?? "",
    action: raw.Action ?? raw.status ?? "",
    id: raw.Actor?.ID ?? raw.id ?? "",
    name: attributes.name ?? "",
    attributes,
  };
}

/**
 * Calls `onEvent` for every pod and container event until `signal` aborts. `connect` gives
 * a client each time it (re)connects; `onConnected` runs after each (re)connection, once the
 * stream is open, so nothing between the listing and the stream is missed.
 */
export async function watchEvents(
  connect: () => Promise<PodmanClient>,
  onEvent: (e: PodmanEvent) => void,
  onConnected: (again: boolean) => Promise<void> | void,
  onGap: (reason: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let again = false;
  let pause = 250;
  while (!signal.aborted) {
    let client: PodmanClient | undefined;
    try {
      client = await connect();
      const body = await client.stream(
        {
          method: "GET",
          path: "/events",
          query: { stream: "true", filters: JSON.stringify({ type: ["pod", "container"] }) },
        },
        signal,
      );
      await onConnected(again);
      pause = 250;
      const decoder = new TextDecoder();
      let buffered = "";
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          const e = line.trim() ? parseEvent(line) : undefined;
          if (e) onEvent(e);
        }
      }
      if (!signal.aborted) onGap("Podman's event stream ended");
    } catch (e) {
      if (signal.aborted) break;
      onGap((e as Error).message);
    } finally {
      await client?.transport.close().catch(() => {});
    }
    again = true;
    if (signal.aborted) break;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pause);
      signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      });
    });
    pause = Math.min(pause * 2, 5000);
  }
}
