/**
 * Where the isolated Podman of this test run lives. scripts/test.sh starts it and exports
 * KPLAY_TEST_URL, KPLAY_TEST_PODMAN_DIR and KPLAY_TEST_CONTAINERS_CONF; tests never guess.
 */
import { join } from "node:path";

/** The repository root (this file is test/support/env.ts). */
export const repoRoot: string = join(import.meta.dir, "../..");

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(
      `${name} is not set: run the tests through \`npm test\` (scripts/test.sh starts an isolated Podman service and sets it)`,
    );
  }
  return value;
}

/** Returns the isolated service's URL, `unix:///…/podman.sock`. */
export function testUrl(): string {
  const url = required("KPLAY_TEST_URL");
  if (!url.startsWith("unix://")) throw new Error(`KPLAY_TEST_URL is not a unix:// URL: "${url}"`);
  return url;
}

/** Returns the filesystem path of the isolated service's socket. */
export function testSocketPath(): string {
  return testUrl().slice("unix://".length);
}

/** Returns the folder holding the isolated store (root/, run/, tmp/, podman.sock). */
export function podmanDir(): string {
  return required("KPLAY_TEST_PODMAN_DIR");
}

/** Returns the absolute path of scripts/containers.conf, as used by the service. */
export function containersConf(): string {
  return required("KPLAY_TEST_CONTAINERS_CONF");
}
