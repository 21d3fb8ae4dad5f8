import { existsSync, readFileSync } from "node:fs";

/**
 * Returns the text of a file a container writes (into a hostPath or a volume's mountpoint)
 * once it exists; throws when it has not appeared within `timeoutMs`.
 */
export async function waitForFile(path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) return readFileSync(path, "utf8");
    await Bun.sleep(100);
  }
  throw new Error(`${path} did not appear within ${timeoutMs} ms`);
}
