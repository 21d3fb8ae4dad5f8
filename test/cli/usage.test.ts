/**
 * Command-line mistakes: exit 2, one exact line on stderr, nothing on stdout, no stack trace,
 * and nothing sent to Podman (kplay is pointed at a socket that does not exist: a usage error
 * must be found before kplay would look for Podman, or the text would be the unreachable one).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { cleanupStore, runKplay, snapshotState } from "../support/podman.ts";
import { expectNoStackTrace, fixture } from "./helpers.ts";

const NOWHERE = { CONTAINER_HOST: "unix:///nonexistent.sock" };
const POD = fixture("sleeper.yaml");

describe("usage errors exit 2 with an exact message", () => {
  test.each([
    [["frob"], 'kplay: Unknown command "frob"; run kplay --help for the list'],
    [[], "kplay: No command given; run kplay --help for the list"],
    [["play", "--frob", POD], "kplay: Unknown option `--frob`"],
    [
      ["play", "fixtures/cli/no-such.yaml"],
      'kplay: Cannot read "fixtures/cli/no-such.yaml": no such file',
    ],
    [["play"], "kplay: No manifest given: name one or more files, or - for stdin"],
    [["down"], "kplay: No manifest given: name one or more files, or - for stdin"],
    [["ps", "-o", "xml"], 'kplay: Output format "xml" is not one of table, json, yaml'],
    [["play", "-o", "xml", POD], 'kplay: Output format "xml" is not one of table, json, yaml'],
    [["version", "--output=xml"], 'kplay: Output format "xml" is not one of table, json, yaml'],
    [["play", "--wait=abc", POD], 'kplay: "abc" is not a duration (try 90s, 2m or 1m30s)'],
    [["play", "--wait=0s", POD], 'kplay: "0s" is not a duration (try 90s, 2m or 1m30s)'],
    [["play", "--start=maybe", POD], 'kplay: Expected true or false, got "maybe"'],
    [
      ["play", "--start=false", "--wait", POD],
      "kplay: --wait needs the pods started; drop --start=false or --wait",
    ],
    [["logs", "cli-sleeper", "--tail", "x"], 'kplay: --tail takes a whole number, got "x"'],
    [["logs"], "kplay: logs needs a POD, a KIND/NAME or -l SELECTOR"],
  ] as const)("kplay %j", async (args, message) => {
    const run = await runKplay(args, { env: NOWHERE });
    expect(run).toEqual({ stdout: "", stderr: `${message}\n`, exitCode: 2 });
    expectNoStackTrace(run.stderr);
  });
});

test("--help prints the command's usage on stdout and exits 0", async () => {
  const run = await runKplay(["play", "--help"], { env: NOWHERE });
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain("Usage:\n  $ kplay play [...files]\n");
  expect(run.stdout).toContain("--wait [duration]");
});

describe("flags with an optional value before the file", () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy();
    await cleanupStore();
  });
  afterAll(async () => {
    await proxy.close();
    await cleanupStore();
  });

  // mri gives an optional-value flag the next word whatever it is; app.ts keeps a file name
  // from being read as the duration of `--wait[=DURATION]`.
  test("`play --wait FILE` waits with the default timeout and plays FILE", async () => {
    const run = await runKplay(["play", "-q", "--wait", POD, "--url", proxy.url]);
    expect(run).toEqual({ stdout: "", stderr: "", exitCode: 0 });
    expect((await snapshotState()).pods).toEqual(["cli-sleeper"]);
  });

  // The same for `--start[=BOOL]`.
  test("`plan --start FILE` plans FILE with its start step", async () => {
    const run = await runKplay(["plan", "--start", POD], { env: NOWHERE });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('"action": "start-pod"');
  });
});
