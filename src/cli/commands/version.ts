import pkg from "../../../package.json" with { type: "json" };
import { readVersion } from "../../podman/version.ts";
import { detectRuntime } from "../../transport/index.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_OK } from "../io.ts";
import { type OutputFormat, renderData } from "../render.ts";

/** kplay's version: package.json's, inlined by the bundler. */
export const KPLAY_VERSION: string = pkg.version;

/** `kplay version`: kplay's version and, when reachable, Podman's. Never fails on Podman. */
export async function runVersion(
  io: CliIo,
  flags: { url?: string; output: OutputFormat; debug?: boolean },
): Promise<number> {
  const info: {
    kplay: string;
    runtime: string;
    podman?: { version: string; apiVersion: string };
    podmanError?: string;
  } = { kplay: KPLAY_VERSION, runtime: detectRuntime() };
  try {
    const { client } = await connect(flags.url, io.env, flags.debug ? io.stderr : undefined);
    try {
      info.podman = await readVersion(client);
    } finally {
      await client.transport.close();
    }
  } catch (e) {
    info.podmanError = e instanceof Error ? e.message : String(e);
  }
  if (flags.output !== "table") {
    io.stdout(renderData(info, flags.output));
    return EXIT_OK;
  }
  io.stdout(`kplay ${info.kplay} (${info.runtime})\n`);
  io.stdout(
    info.podman
      ? `podman ${info.podman.version} (API ${info.podman.apiVersion})\n`
      : `podman: not reachable\n${info.podmanError}\n`,
  );
  return EXIT_OK;
}
