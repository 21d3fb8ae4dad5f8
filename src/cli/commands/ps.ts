import { listKplayPods } from "../../apply/status.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_OK } from "../io.ts";
import { type OutputFormat, renderAge, renderData, renderTable } from "../render.ts";

/** `kplay ps`: the pods kplay created, with owner, status, ready/total, ports and age. */
export async function runPs(
  io: CliIo,
  flags: { url?: string; output: OutputFormat; debug?: boolean },
  now: number,
): Promise<number> {
  const { client } = await connect(flags.url, io.env, flags.debug ? io.stderr : undefined);
  try {
    const pods = await listKplayPods(client);
    if (flags.output !== "table") {
      io.stdout(renderData({ pods }, flags.output));
      return EXIT_OK;
    }
    if (pods.length === 0) {
      io.stdout("No pods created by kplay\n");
      return EXIT_OK;
    }
    // A standalone pod is its own owner: shown as `-`, as kubectl shows no controller.
    const rows = pods.map((p) => [
      p.name,
      p.owner.startsWith("pod/") ? "-" : p.owner,
      p.status,
      `${p.ready}/${p.total}`,
      String(p.restarts),
      p.ports.join(",") || "-",
      renderAge(p.created, now),
    ]);
    io.stdout(renderTable(["NAME", "OWNER", "STATUS", "READY", "RESTARTS", "PORTS", "AGE"], rows));
    return EXIT_OK;
  } finally {
    await client.transport.close();
  }
}
