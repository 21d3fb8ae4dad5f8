/**
 * The key of Secret digests (graph/data.ts): 32 random bytes made on first use and kept in
 * kplay's state folder, readable by the user only. A digest stands for a Secret's value in
 * plans and on Podman's secrets; keyed, it tells nothing about the value to whoever reads it.
 * Another machine (or user) has another key: its first play replaces the Podman secrets.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where the key lives: `$KPLAY_STATE_DIR`, else `$XDG_STATE_HOME/kplay`, else `~/.local/state/kplay`. */
export function stateDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.KPLAY_STATE_DIR) return env.KPLAY_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(base, "kplay");
}

/** Reads the digest key, making it first if there is none. */
export function digestKey(env: Readonly<Record<string, string | undefined>>): Uint8Array {
  const dir = stateDir(env);
  const file = join(dir, "digest.key");
  try {
    const key = readFileSync(file);
    if (key.length === 32) return key;
  } catch {
    // none yet
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = webCrypto().getRandomValues(new Uint8Array(32));
  // Written to a new name and renamed would be atomic; two first plays at once agreeing on
  // one key matters more, so the file is created exclusively and re-read if another won.
  try {
    writeFileSync(file, key, { mode: 0o600, flag: "wx" });
  } catch {
    // Another kplay is writing it: read what it wrote once it is whole.
    for (let i = 0; i < 1000; i++) {
      const theirs = readFileSync(file);
      if (theirs.length === 32) return theirs;
    }
    throw new Error(`${file} is not a 32-byte key; remove it and run kplay again`);
  }
  chmodSync(file, 0o600);
  return key;
}

/**
 * The runtime's Web Crypto (Bun, Deno and Node 20 all have it as a global): no node:crypto
 * import, which a bundle would load at start-up. Reached through globalThis because Deno's
 * type check of this source does not see the global's declaration.
 */
export function webCrypto(): {
  getRandomValues<T extends Uint8Array>(a: T): T;
  randomUUID(): string;
} {
  return (globalThis as unknown as { crypto: ReturnType<typeof webCrypto> }).crypto;
}
