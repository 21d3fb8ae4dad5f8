import { requestTarget, type Transport } from "./types.ts";

/**
 * Wraps a transport so every request is reported with its status and the time until
 * Podman answered (`--debug`): where a slow play spends its time, without a profiler.
 */
export function traceTransport(inner: Transport, log: (line: string) => void): Transport {
  return {
    endpoint: inner.endpoint,
    close: () => inner.close(),
    ...(inner.upgrade
      ? {
          upgrade: async (req: Parameters<NonNullable<Transport["upgrade"]>>[0]) => {
            const start = performance.now();
            const res = await (inner.upgrade as NonNullable<Transport["upgrade"]>)(req);
            log(
              `debug: ${req.method} ${requestTarget(req)} -> ${res.status} (upgraded) in ${(performance.now() - start).toFixed(0)} ms\n`,
            );
            return res;
          },
        }
      : {}),
    async request(req) {
      const start = performance.now();
      try {
        const res = await inner.request(req);
        log(
          `debug: ${req.method} ${requestTarget(req)} -> ${res.status} in ${(performance.now() - start).toFixed(0)} ms\n`,
        );
        return res;
      } catch (e) {
        log(
          `debug: ${req.method} ${requestTarget(req)} -> failed after ${(performance.now() - start).toFixed(0)} ms\n`,
        );
        throw e;
      }
    },
  };
}
