/**
 * Exit 2 means "nothing was sent to Podman": an invalid manifest, a manifest the planner
 * refuses, or a warning under --strict. kplay talks to Podman only through a counting proxy
 * here, and the proxy must see no request at all; Podman's store must be unchanged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import {
  cleanupStore,
  podman,
  runKplay,
  type StoreState,
  snapshotState,
} from "../support/podman.ts";
import { expectNoStackTrace, fixture } from "./helpers.ts";

let proxy: FaultProxy;
let before: StoreState;

beforeAll(async () => {
  proxy = await startFaultProxy();
  await cleanupStore();
  before = await snapshotState();
});
afterEach(async () => {
  proxy.resetLog();
  await cleanupStore();
});
afterAll(async () => {
  await proxy.close();
});

const INVALID = `${fixture("invalid.yaml")}:11:7: error[unknown-field]: Unknown field "spec.containers[0].imagePulPolicy"
      imagePulPolicy: Never
      ^^^^^^^^^^^^^^
  hint: Did you mean "imagePullPolicy"?

${fixture("invalid.yaml")}:15:21: error[port-range]: spec.containers[0].ports[0].hostPort: 70000 is out of range (1-65535)
          hostPort: 70000
                    ^^^^^
`;

const REFUSED = `${fixture("refused.yaml")}:11:16: error[run-as-root]: Container "app" would run as root (runAsUser 0) but runAsNonRoot is set
    runAsUser: 0
               ^
  hint: Set runAsUser to a non-zero UID, or drop runAsNonRoot

${fixture("refused.yaml")}:19:20: error[unsafe-sub-path]: spec.containers[0].volumeMounts[0].subPath: "../escape" must be a relative path that does not contain ".."
          subPath: ../escape
                   ^^^^^^^^^
`;

const ignored = (severity: "warning" | "error") =>
  `${fixture("ignored-field.yaml")}:8:3: ${severity}[ignored-field]: spec.nodeSelector is ignored: kplay runs every pod on this host
  nodeSelector:
  ^^^^^^^^^^^^
`;

/** Runs kplay through the proxy and asserts exit 2, the exact diagnostics, and silence towards Podman. */
async function expectRefused(args: readonly string[], stderr: string): Promise<void> {
  const run = await runKplay([...args, "--url", proxy.url]);
  expect(run).toEqual({ stdout: "", stderr, exitCode: 2 });
  expectNoStackTrace(run.stderr);
  expect(proxy.requests).toEqual([]);
  expect(await snapshotState()).toEqual(before);
}

describe("an invalid manifest sends nothing to Podman", () => {
  test("play: exit 2, every diagnostic at file:line:col", async () => {
    await expectRefused(["play", fixture("invalid.yaml")], INVALID);
  });

  test("down: the same diagnostics, exit 2, nothing removed", async () => {
    await expectRefused(["down", fixture("invalid.yaml")], INVALID);
  });

  test("one invalid file among valid ones: nothing is played at all", async () => {
    await expectRefused(
      ["play", fixture("sleeper.yaml"), fixture("invalid.yaml"), fixture("three-pods.yaml")],
      INVALID,
    );
  });
});

describe("a manifest the planner refuses sends nothing to Podman", () => {
  test("play: subPath ../escape and runAsNonRoot with runAsUser 0", async () => {
    await expectRefused(["play", fixture("refused.yaml")], REFUSED);
  });

  test("validate reports the planner's refusals too, without a Podman", async () => {
    const run = await runKplay(["validate", fixture("refused.yaml")], {
      env: { CONTAINER_HOST: "unix:///nonexistent.sock" },
    });
    expect(run).toEqual({ stdout: "", stderr: REFUSED, exitCode: 2 });
  });
});

describe("--strict", () => {
  test("without it, an ignored field is a warning on stderr and the pod plays", async () => {
    const run = await runKplay(["play", "-q", fixture("ignored-field.yaml"), "--url", proxy.url]);
    expect(run).toEqual({ stdout: "", stderr: ignored("warning"), exitCode: 0 });
    expect(proxy.mutating().map((r) => `${r.method} ${r.path}`)).toContain("POST /pods/create");
    expect((await snapshotState()).pods).toEqual(["cli-ignored"]);
    const state = await podman(["pod", "inspect", "--format", "{{.State}}", "cli-ignored"]);
    expect(state.stdout.trim()).toBe("Running");
  });

  test("with it, the warning is an error: exit 2 and nothing sent", async () => {
    await expectRefused(["play", "--strict", fixture("ignored-field.yaml")], ignored("error"));
  });

  test("down --strict refuses it the same way", async () => {
    await expectRefused(["down", "--strict", fixture("ignored-field.yaml")], ignored("error"));
  });
});
