/**
 * Requests per pod do not grow with the number of pods (issue 12): play, an unchanged
 * re-play, ps and down of 6 pods send at most 3× the requests of 2 pods, counted from
 * `--debug`'s trace of every request. Counts, never times.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/app.ts";
import { nodeInputReader } from "../../src/cli/input-reader.ts";
import { cleanupStore } from "../support/podman.ts";

const URL_ENV = "KPLAY_TEST_URL";

/** The pods of a file of `n`: two containers each, as the benchmark plays them. */
function pods(n: number): string {
  let text = "";
  for (let i = 0; i < n; i++)
    text += `---
apiVersion: v1
kind: Pod
metadata:
  name: reqs-${n}-${i}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["httpd", "-f", "-p", "8080"]
    - name: side
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["sleep", "3600"]
`;
  return text;
}

/** Runs kplay in this process with --debug; returns the exit code and the requests traced. */
async function traced(args: string[]): Promise<{ code: number; requests: string[] }> {
  let stderr = "";
  const code = await runCli([...args, "--debug", "--url", process.env[URL_ENV] ?? ""], {
    env: {},
    cwd: process.cwd(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    inputs: nodeInputReader,
    signal: new AbortController().signal,
  });
  if (code !== 0) throw new Error(`kplay ${args.join(" ")} exited ${code}: ${stderr}`);
  const requests = stderr
    .split("\n")
    .filter((l) => /^debug: (GET|POST|PUT|DELETE|HEAD) /.test(l))
    .map((l) => l.replace(/ in \d+ ms$/, ""));
  return { code, requests };
}

// One visible skip, with its reason, when there is no Podman to talk to.
if (!process.env[URL_ENV]) {
  test.skip(`requests per pod: ${URL_ENV} is not set (scripts/test.sh starts an isolated Podman and sets it)`, () => {});
} else {
  describe("requests per pod", requestsSuite);
}

function requestsSuite(): void {
  const work = mkdtempSync(join(tmpdir(), "kplay-requests-"));
  afterAll(async () => {
    await cleanupStore();
    rmSync(work, { recursive: true, force: true });
  });

  /** What each command sent for a file of `n` pods. */
  async function countsFor(n: number): Promise<Record<string, string[]>> {
    const file = join(work, `pods-${n}.yaml`);
    writeFileSync(file, pods(n));
    const play = (await traced(["play", file])).requests;
    const replay = (await traced(["play", file])).requests;
    const ps = (await traced(["ps"])).requests;
    const down = (await traced(["down", file])).requests;
    return { play, replay, ps, down };
  }

  test("play, re-play, ps and down: no more requests per pod for 6 pods than for 2", async () => {
    const two = await countsFor(2);
    const six = await countsFor(6);
    for (const command of ["play", "replay", "ps", "down"]) {
      const a = two[command] ?? [];
      const b = six[command] ?? [];
      // Something was sent, and the larger file sends at most 3× as much.
      expect({ command, sent: a.length > 0 }).toEqual({ command, sent: true });
      expect({ command, perPod: b.length / 6 <= a.length / 2 }).toEqual({ command, perPod: true });
    }
    // Each image is resolved once per play, not once per pod or container.
    for (const play of [two.play, six.play]) {
      const images = (play ?? []).filter((r) => /\/images\/[^/]+\/json/.test(r));
      expect(images.length).toBe(1);
    }
    // An unchanged re-play creates, starts and removes nothing.
    for (const replay of [two.replay, six.replay])
      expect((replay ?? []).filter((r) => /^debug: (POST|PUT|DELETE) /.test(r))).toEqual([]);
  });
}
