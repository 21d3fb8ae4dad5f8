import pkg from "../../../package.json" with { type: "json" };
import { readVersion } from "../../podman/version.ts";
import { detectRuntime } from "../../transport/index.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_OK } from "../io.ts";
import { type OutputFormat, renderData } from "../render.ts";

/*
 * Build facts, set by `bun build --define` (scripts/lib.sh, kplay_defines). Unbuilt
 * source (`bun src/main.ts`, `deno run -A src/main.ts`) has neither and says so rather than
 * asking git: src/ starts no processes, a copy of the source may have no .git at all, and one
 * run from inside another repository would report that repository's commit.
 */
declare const KPLAY_BUILD_COMMIT: string | undefined;
declare const KPLAY_BUILD_TARGET: string | undefined;

/** kplay's version: package.json's, inlined by the bundler. */
export const KPLAY_VERSION: string = pkg.version;

/** The git commit kplay was built from (`-dirty` if the tree had changes), else "unknown". */
export const KPLAY_COMMIT: string =
  typeof KPLAY_BUILD_COMMIT === "string" ? KPLAY_BUILD_COMMIT : "unknown";

/** Which build this is: a release target (`linux-arm64`, …), `node-bundle`, or `source`. */
export const KPLAY_BUILD: string =
  typeof KPLAY_BUILD_TARGET === "string" ? KPLAY_BUILD_TARGET : "source";

/**
 * `kplay version`: kplay's version, commit and build and, when reachable, Podman's. Never fails
 * on Podman; `--client` does not contact it at all.
 */
export async function runVersion(
  io: CliIo,
  flags: {
    url?: string;
    connection?: string;
    output: OutputFormat;
    debug?: boolean;
    client?: boolean;
  },
): Promise<number> {
  const info: {
    kplay: string;
    commit: string;
    build: string;
    runtime: string;
    podman?: { version: string; apiVersion: string };
    podmanError?: string;
  } = { kplay: KPLAY_VERSION, commit: KPLAY_COMMIT, build: KPLAY_BUILD, runtime: detectRuntime() };
  if (!flags.client) {
    try {
      const { client } = await connect(
        flags,
        io.env,
        flags.debug ? io.stderr : undefined,
        io.stderr,
      );
      try {
        info.podman = await readVersion(client);
      } finally {
        await client.transport.close();
      }
    } catch (e) {
      info.podmanError = e instanceof Error ? e.message : String(e);
    }
  }
  if (flags.output !== "table") {
    io.stdout(renderData(info, flags.output));
    return EXIT_OK;
  }
  io.stdout(`kplay ${info.kplay} (commit ${info.commit}, ${info.build}, ${info.runtime})\n`);
  if (flags.client) return EXIT_OK;
  io.stdout(
    info.podman
      ? `podman ${info.podman.version} (API ${info.podman.apiVersion})\n`
      : `podman: not reachable\n${info.podmanError}\n`,
  );
  return EXIT_OK;
}
