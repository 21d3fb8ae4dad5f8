import { existsSync, readFileSync } from "node:fs";
import { pollUntil } from "./poll.ts";

/**
 * Returns the text of a file a container writes (into a hostPath or a volume's mountpoint)
 * once it exists; throws when it has not appeared within `timeoutMs`.
 */
export async function waitForFile(path: string, timeoutMs: number): Promise<string> {
  const text = await pollUntil(
    () => (existsSync(path) ? readFileSync(path, "utf8") : undefined),
    (t) => t !== undefined,
    timeoutMs,
  );
  if (text === undefined) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
  return text;
}
