import { mapSettled } from "../../apply/concurrency.ts";
import { downPod } from "../../apply/down.ts";
import { connect } from "../connect.ts";
import { describeFailure } from "../failure.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.ts";
import { loadForCommand } from "../load.ts";
import { type OutputFormat, renderData } from "../render.ts";

export interface DownFlags {
  readonly url?: string;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly output: OutputFormat;
  readonly debug: boolean;
}

/** `kplay down FILE...`: stop and remove the pods the files describe, all at once. */
export async function runDown(
  io: CliIo,
  files: readonly string[],
  flags: DownFlags,
): Promise<number> {
  const loaded = loadForCommand(io, files, flags.strict);
  if (!loaded.ok) return EXIT_USAGE;
  const names = [...new Set(loaded.pods.map((d) => d.pod.metadata.name))];
  const { client } = await connect(flags.url, io.env, flags.debug ? io.stderr : undefined);
  try {
    // Pods stop concurrently so a slow grace period in one does not hold up the others.
    const results = await mapSettled(names, names.length, (n) => downPod(client, n));
    let code = EXIT_OK;
    const done = [];
    for (const r of results) {
      if (r.status === "fulfilled") {
        done.push(r.value);
      } else {
        const f = describeFailure(r.reason, flags.debug);
        io.stderr(f.text);
        code = Math.max(code, f.code);
      }
    }
    if (flags.output !== "table") {
      io.stdout(renderData({ pods: done }, flags.output));
    } else if (!flags.quiet) {
      for (const d of done) {
        const vols = d.volumes.length
          ? ` (and volume${d.volumes.length > 1 ? "s" : ""} ${d.volumes.join(", ")})`
          : "";
        io.stdout(
          d.status === "removed" ? `pod/${d.name} removed${vols}\n` : `pod/${d.name} not found\n`,
        );
      }
    }
    return code;
  } finally {
    await client.transport.close();
  }
}
