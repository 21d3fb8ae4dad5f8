/**
 * Calls `get` until `done` accepts what it returns or `timeoutMs` have passed, and returns
 * the last value either way, so that the caller's assertion shows what came.
 */
export async function pollUntil<T>(
  get: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (done(value) || Date.now() > deadline) return value;
    await Bun.sleep(everyMs);
  }
}
