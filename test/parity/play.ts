/** Plays one manifest with `podman kube play` or `kplay play`, both --start=false, and views it. */
import { runCli } from "../../src/cli/app.ts";
import { nodeInputReader } from "../../src/cli/input-reader.ts";
import { podman, testUrl } from "../support/podman.ts";
import { removePod, removeVolume, volumeNames } from "./libpod.ts";
import { type PodView, viewPod } from "./normalize.ts";

/** What one side made of a manifest: the views of its pods, or why it refused. */
export type Outcome = { ok: true; pods: Record<string, PodView> } | { ok: false; error: string };

/** `podman kube play --start=false FILE` on the test store. */
export async function playWithPodman(file: string, pods: readonly string[]): Promise<Outcome> {
  return await playAndView(pods, async () => {
    const r = await podman(["kube", "play", "--start=false", "--quiet", file]);
    return r.exitCode === 0 ? undefined : r.stderr.trim() || r.stdout.trim();
  });
}

/**
 * `kplay play --start=false FILE`: kplay's own command line, run in this process (a Bun
 * process per case would cost ~300 ms of startup; the code path is the same).
 */
export async function playWithKplay(file: string, pods: readonly string[]): Promise<Outcome> {
  return await playAndView(pods, async () => {
    let stderr = "";
    const code = await runCli(["play", "--start=false", "--quiet", "--url", testUrl(), file], {
      env: {},
      cwd: process.cwd(),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      inputs: nodeInputReader,
      signal: new AbortController().signal,
    });
    return code === 0 ? undefined : stderr.trim() || `exit ${code}`;
  });
}

/** Plays, views every pod, then removes the pods and every volume the play created. */
async function playAndView(
  pods: readonly string[],
  play: () => Promise<string | undefined>,
): Promise<Outcome> {
  const before = new Set(await volumeNames());
  const error = await play();
  try {
    if (error !== undefined) return { ok: false, error };
    const views: Record<string, PodView> = {};
    for (const name of pods) {
      const seen = await viewPod(name);
      if (!seen) return { ok: false, error: `pod "${name}" was not created` };
      views[name] = seen.view;
    }
    return { ok: true, pods: views };
  } finally {
    for (const name of pods) await removePod(name);
    for (const name of (await volumeNames()).filter((v) => !before.has(v)))
      await removeVolume(name);
  }
}
