/**
 * No Podman answers: every command that needs Podman exits 1 and says, in one fixed text,
 * where kplay looked and how to start Podman; `version` still exits 0.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCommit, hostTarget, VERSION } from "../support/build-info.ts";
import { runKplay } from "../support/podman.ts";
import { expectNoStackTrace, fixture, makeDeadSocket, unreachableText } from "./helpers.ts";

const MISSING = "unix:///nonexistent.sock";
const missingPlace = `${MISSING} (--url): no such socket file (ENOENT)`;

let work: string;
let dead: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-cli-unreachable-"));
  dead = join(work, "dead.sock");
  await makeDeadSocket(dead);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("--url naming a socket that does not exist", () => {
  // runKplay also sets CONTAINER_HOST to the live test service: --url wins, and only it is listed.
  test.each([
    [["ps"]],
    [["play", fixture("sleeper.yaml")]],
    [["down", fixture("sleeper.yaml")]],
    [["logs", "cli-sleeper"]],
  ])("kplay %j exits 1 and lists where it looked", async (args: string[]) => {
    const run = await runKplay([...args, "--url", MISSING]);
    expect(run).toEqual({ stdout: "", stderr: unreachableText([missingPlace]), exitCode: 1 });
  });
});

describe("CONTAINER_HOST naming a dead socket", () => {
  test("ps: connection refused, exit 1", async () => {
    const run = await runKplay(["ps"], { env: { CONTAINER_HOST: `unix://${dead}` } });
    expect(run).toEqual({
      stdout: "",
      stderr: unreachableText([
        `unix://${dead} (CONTAINER_HOST): connection refused (nothing listens there) (ECONNREFUSED)`,
      ]),
      exitCode: 1,
    });
  });

  test("a bare socket path in CONTAINER_HOST is reported as a unix:// address", async () => {
    const run = await runKplay(["play", fixture("sleeper.yaml")], {
      env: { CONTAINER_HOST: dead },
    });
    expect(run.stderr).toBe(
      unreachableText([
        `unix://${dead} (CONTAINER_HOST): connection refused (nothing listens there) (ECONNREFUSED)`,
      ]),
    );
    expect(run.stdout).toBe("");
    expect(run.exitCode).toBe(1);
  });
});

describe("version without Podman", () => {
  test("exits 0, prints kplay's version and why Podman is not reachable", async () => {
    const run = await runKplay(["version", "--url", MISSING]);
    expect(run).toEqual({
      stdout: `kplay ${VERSION} (commit ${buildCommit()}, ${hostTarget()}, bun)\npodman: not reachable\n${unreachableText([missingPlace]).slice("kplay: ".length)}`,
      stderr: "",
      exitCode: 0,
    });
  });

  test("--client prints kplay's line only and looks for no Podman (--debug traces nothing)", async () => {
    const run = await runKplay(["version", "--client", "--url", MISSING, "--debug"]);
    expect(run).toEqual({
      stdout: `kplay ${VERSION} (commit ${buildCommit()}, ${hostTarget()}, bun)\n`,
      stderr: "",
      exitCode: 0,
    });
  });

  test("--version prints the same line as version --client", async () => {
    expect(await runKplay(["--version", "--url", MISSING])).toEqual({
      stdout: `kplay ${VERSION} (commit ${buildCommit()}, ${hostTarget()}, bun)\n`,
      stderr: "",
      exitCode: 0,
    });
  });

  test("-o json has no podman field, and podmanError says why", async () => {
    const run = await runKplay(["version", "-o", "json"], {
      env: { CONTAINER_HOST: `unix://${dead}` },
    });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      kplay: VERSION,
      commit: buildCommit(),
      build: hostTarget(),
      runtime: "bun",
      podmanError: unreachableText([
        `unix://${dead} (CONTAINER_HOST): connection refused (nothing listens there) (ECONNREFUSED)`,
      ])
        .slice("kplay: ".length)
        .trimEnd(),
    });
  });
});

test("an address that is not a Podman address is a usage error (exit 2)", async () => {
  const run = await runKplay(["ps", "--url", "ftp://example.invalid/"]);
  expect(run).toEqual({
    stdout: "",
    stderr:
      'kplay: --url "ftp://example.invalid/" is not a Podman address (use unix:///path, tcp://host:port or ssh://user@host/path/to/podman.sock)\n',
    exitCode: 2,
  });
  expectNoStackTrace(run.stderr);
});
