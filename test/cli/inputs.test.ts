/**
 * How kplay reads its inputs and writes its output, through real pipes and real processes on
 * each runtime it ships for: folders (`-f DIR` as kubectl reads one, `-R`), process
 * substitution, stdin that is a folder, closed or endless, /dev/zero, a FIFO with no writer
 * (signals must still end kplay), and several megabytes of output into a pipe.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_FILE_BYTES } from "../../src/manifest/limits.ts";
import { type KplayRuntime, kplayCommand } from "../support/kplay.ts";
import { pollUntil } from "../support/poll.ts";
import { runCommand } from "../support/process.ts";
import { expectNoStackTrace } from "./helpers.ts";

let work: string;
const NOWHERE = { CONTAINER_HOST: "unix:///nonexistent.sock" };

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: localhost/busybox:test\n`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kplay-inputs-"));
  mkdirSync(join(work, "app/sub/deeper"), { recursive: true });
  writeFileSync(join(work, "app/b.yaml"), pod("b"));
  writeFileSync(join(work, "app/a.yml"), pod("a"));
  writeFileSync(
    join(work, "app/c.json"),
    JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "c" },
      spec: { containers: [{ name: "c", image: "localhost/busybox:test" }] },
    }),
  );
  writeFileSync(join(work, "app/notes.txt"), "not a manifest: {");
  writeFileSync(join(work, "app/sub/d.yaml"), pod("d"));
  writeFileSync(join(work, "app/sub/deeper/e.yaml"), pod("e"));
  // 3000 pods in 10 files: a plan of ~6 MB.
  for (let f = 0; f < 10; f++) {
    const docs = Array.from({ length: 300 }, (_, i) => pod(`p${f}x${i}`)).join("---\n");
    writeFileSync(join(work, `big${f}.yaml`), docs);
  }
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs a bash command line in which `KPLAY` is kplay under `runtime`. */
function sh(runtime: KplayRuntime, script: string) {
  const kplay = kplayCommand(runtime)
    .map((w) => `'${w}'`)
    .join(" ");
  return runCommand(["bash", "-c", `KPLAY() { ${kplay} "$@"; }\n${script}`], {
    cwd: work,
    env: { ...process.env, ...NOWHERE },
  });
}

/** The pod names of a `plan` printed to stdout. */
function planned(stdout: string): string[] {
  const plan = JSON.parse(stdout) as { objects: { pods: { name: string }[] }[] };
  return plan.objects.flatMap((o) => o.pods.map((p) => p.name));
}

describe.each([["bin"], ["deno"], ["node"]] as const)("under %s", (runtime) => {
  test("several MB of output through a pipe arrive whole", async () => {
    const run = await sh(runtime, "KPLAY plan big*.yaml | cat");
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(planned(run.stdout)).toHaveLength(3000);
  });

  test("a folder gives its *.yaml, *.yml and *.json files in name order; -R its sub-folders", async () => {
    const flat = await sh(runtime, "KPLAY plan app");
    expect(flat.stderr).toBe("");
    expect(planned(flat.stdout)).toEqual(["a", "b", "c"]);
    const deep = await sh(runtime, "KPLAY plan -R app");
    expect(planned(deep.stdout)).toEqual(["a", "b", "c", "d", "e"]);
    const bad = await sh(
      runtime,
      "printf 'apiVersion: v1\\nkind: Pod\\n' > app/sub/zz.yaml; KPLAY validate -R app; s=$?; rm app/sub/zz.yaml; exit $s",
    );
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("app/sub/zz.yaml:1:1: error[missing-field]");
  });

  test("process substitution, as in kplay play <(helm template …)", async () => {
    const run = await sh(runtime, "KPLAY plan <(cat app/b.yaml) <(cat app/a.yml)");
    expect(run.stderr).toBe("");
    expect(planned(run.stdout)).toEqual(["b", "a"]);
  });

  test.each([
    ["stdin is a folder", "KPLAY validate - < /", "kplay: Cannot read stdin: it is a folder\n", 2],
    [
      "stdin is closed",
      "KPLAY validate - <&-",
      "<stdin>:1:1: error[no-objects]: No Kubernetes objects in <stdin>: it is empty or only comments",
      2,
    ],
    [
      "stdin never ends",
      "yes 'a: b' | KPLAY validate -",
      `<stdin>:1:1: error[file-too-large]: File is too large: more than ${MAX_FILE_BYTES} bytes`,
      2,
    ],
    [
      "/dev/zero",
      "KPLAY validate /dev/zero",
      `/dev/zero:1:1: error[file-too-large]: File is too large: more than ${MAX_FILE_BYTES} bytes`,
      2,
    ],
    [
      "a sparse file of 1 TiB",
      "truncate -s 1T sparse.yaml; KPLAY validate sparse.yaml; s=$?; rm sparse.yaml; exit $s",
      "sparse.yaml:1:1: error[file-too-large]: File is too large: 1099511627776 bytes",
      2,
    ],
    [
      "a missing file",
      "KPLAY validate nope.yaml",
      'kplay: Cannot read "nope.yaml": no such file\n',
      2,
    ],
  ])("%s: refused with a message, no stack trace", async (_, script, message, code) => {
    const run = await sh(runtime, script);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.exitCode).toBe(code);
    expectNoStackTrace(run.stderr);
  });

  test.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s ends a read of a FIFO that has no writer", async (signal, code) => {
    const fifo = join(work, `fifo-${runtime}-${signal}`);
    await runCommand(["mkfifo", fifo]);
    const proc = Bun.spawn([...kplayCommand(runtime), "validate", fifo], {
      cwd: work,
      env: { ...process.env, ...NOWHERE },
      stdout: "pipe",
      stderr: "pipe",
      timeout: 60_000,
    });
    // Opening for writing without blocking succeeds once a reader holds the FIFO open: then
    // kplay is in its read. The write end stays open, so the read can only end by the signal.
    const writer = await pollUntil(
      () => {
        try {
          return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        } catch {
          return undefined;
        }
      },
      (fd) => fd !== undefined,
      30_000,
      20,
    );
    expect(writer).toBeDefined();
    proc.kill(signal);
    const stderr = await new Response(proc.stderr).text();
    await proc.exited;
    if (writer !== undefined) closeSync(writer);
    rmSync(fifo);
    expect(proc.exitCode).toBe(code);
    expect(stderr).toContain(`kplay: ${signal} received while reading "${fifo}"`);
  });

  test("a FIFO is read once its writer comes", async () => {
    const fifo = join(work, `fifo-${runtime}-read`);
    const run = await sh(
      runtime,
      `mkfifo ${fifo}; (cat app/b.yaml > ${fifo}) & KPLAY plan ${fifo}; s=$?; rm ${fifo}; exit $s`,
    );
    expect(run.stderr).toBe("");
    expect(planned(run.stdout)).toEqual(["b"]);
  });
});
