import { PodmanClient } from "../podman/client.ts";
import { checkPodman } from "../podman/version.ts";
import {
  describeUnusableEndpoint,
  endpointCandidates,
  parseEndpoint,
} from "../transport/endpoint.ts";
import { openTransport } from "../transport/index.ts";
import { traceTransport } from "../transport/trace.ts";
import { describeEndpoint, TransportError } from "../transport/types.ts";
import { UsageError } from "./io.ts";

/** Podman could not be reached anywhere kplay looked. */
export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
}

/**
 * Finds a Podman that answers, checks its API version, and returns a client for it.
 * Tries --url, then CONTAINER_HOST, then the usual sockets; the message lists every place.
 */
export async function connect(
  url: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  trace?: (line: string) => void,
): Promise<{ client: PodmanClient; apiVersion: string }> {
  const tried: string[] = [];
  for (const candidate of endpointCandidates(url, env)) {
    const endpoint = parseEndpoint(candidate.url);
    if (!endpoint) throw new UsageError(describeUnusableEndpoint(candidate));
    const opened = await openTransport(endpoint);
    const transport = trace ? traceTransport(opened, trace) : opened;
    try {
      const apiVersion = await checkPodman(transport);
      return { client: new PodmanClient(transport), apiVersion };
    } catch (e) {
      await transport.close();
      if (!(e instanceof TransportError)) throw e;
      tried.push(`  ${describeEndpoint(endpoint)} (${candidate.source}): ${e.reason}`);
    }
  }
  throw new UnreachableError(
    [
      "Cannot reach Podman. kplay looked at:",
      ...tried,
      "Start the Podman API service (`podman system service --time=0 &`, or",
      "`systemctl --user start podman.socket`), or point kplay at it with --url or CONTAINER_HOST",
    ].join("\n"),
  );
}
