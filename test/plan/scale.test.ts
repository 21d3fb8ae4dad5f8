/**
 * Scale (issue 12): one file of 2000 Pods, as a generator or `helm template` writes it, is
 * accepted by validate and planned whole by plan. No timing here: `npm run bench` measures.
 * Runs the command line in this process, offline (no Podman is asked anything).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/app.ts";
import { nodeInputReader } from "../../src/cli/input-reader.ts";
import { generatedPods } from "../support/generated-pods.ts";

const PODS = 2000;
const work = mkdtempSync(join(tmpdir(), "kplay-scale-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function kplay(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    // No Podman: a command that tried to reach one would fail on this address.
    env: { CONTAINER_HOST: "unix:///nonexistent/kplay-scale.sock" },
    cwd: work,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    inputs: nodeInputReader,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

const file = join(work, "pods.yaml");
writeFileSync(file, generatedPods(PODS));

test(`a file of ${PODS} Pods is one input (about a megabyte)`, () => {
  expect(statSync(file).size).toBeGreaterThan(1_000_000);
});

test(`validate accepts ${PODS} Pods in one file`, async () => {
  expect(await kplay(["validate", file])).toEqual({ code: 0, stdout: "", stderr: "" });
});

test(`plan plans every one of ${PODS} Pods, and each image once`, async () => {
  const r = await kplay(["plan", file]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as {
    images: { image: string }[];
    objects: { object: string; pods: { name: string }[] }[];
  };
  const pods = plan.objects.flatMap((o) => o.pods.map((p) => p.name));
  expect(pods.length).toBe(PODS);
  expect(new Set(pods).size).toBe(PODS);
  expect(pods).toContain(`gen-${PODS - 1}`);
  // One image step for the image all 4000 containers use.
  expect(plan.images.map((i) => i.image)).toEqual(["localhost/busybox:test"]);
});
