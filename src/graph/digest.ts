/**
 * SHA-256 and HMAC-SHA-256, synchronous, on every runtime kplay runs on.
 *
 * Under Bun through Bun.CryptoHasher; elsewhere through node:crypto, loaded on first use.
 * Importing node:crypto statically costs the compiled executable about 3 ms of every
 * start-up (it builds Node's stream classes), since a bundle loads every builtin it imports
 * before running anything (docs/benchmarks.md). The digests are the same bytes either way.
 */
import { createRequire } from "node:module";

export interface Digest {
  update(data: string | Uint8Array): Digest;
  digest(): Uint8Array;
  digest(encoding: "hex"): string;
}

interface BunHasher {
  update(data: string | Uint8Array): unknown;
  digest(): Uint8Array;
  digest(encoding: "hex"): string;
}
type BunHasherClass = new (algorithm: string, key?: Uint8Array) => BunHasher;

const BunHasher = (globalThis as { Bun?: { CryptoHasher: BunHasherClass } }).Bun?.CryptoHasher;

let nodeCrypto: typeof import("node:crypto") | undefined;
function node(): typeof import("node:crypto") {
  nodeCrypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return nodeCrypto;
}

function wrap(h: BunHasher): Digest {
  const d: Digest = {
    update(data) {
      h.update(data);
      return d;
    },
    digest: ((encoding?: "hex") =>
      encoding === "hex" ? h.digest("hex") : new Uint8Array(h.digest())) as Digest["digest"],
  };
  return d;
}

/** A SHA-256 hash; with `key`, an HMAC-SHA-256 under that key. */
export function sha256(key?: Uint8Array): Digest {
  if (BunHasher) return wrap(new BunHasher("sha256", key));
  const h = key ? node().createHmac("sha256", key) : node().createHash("sha256");
  const d: Digest = {
    update(data) {
      h.update(data);
      return d;
    },
    digest: ((encoding?: "hex") =>
      encoding === "hex" ? h.digest("hex") : new Uint8Array(h.digest())) as Digest["digest"],
  };
  return d;
}
