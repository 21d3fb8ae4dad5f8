/**
 * `-` reads the manifest from stdin (README: "Creates and starts every pod the files describe
 * (`-` reads stdin)"), and diagnostics and plans name it `<stdin>`.
 *
 * cac's argument parser (mri) reads a lone `-` as an option with an empty name and would drop
 * it (and swallow the next file as its value); app.ts hides it from mri. These tests guard that.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupStore, repoRoot, runKplay, snapshotState } from "../support/podman.ts";
import { appContainers, fixture, inspectPod } from "./helpers.ts";

const SLEEPER = readFileSync(join(repoRoot, fixture("sleeper.yaml")), "utf8");
const NOWHERE = { CONTAINER_HOST: "unix:///nonexistent.sock" };

beforeAll(async () => {
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
});

describe("kplay play -", () => {
  test("plays the manifest given on stdin", async () => {
    const run = await runKplay(["play", "-o", "json", "-"], { stdin: SLEEPER });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as { pods: { name: string; action: string }[] };
    expect(out.pods.map((p) => [p.name, p.action])).toEqual([["cli-sleeper", "created"]]);
    const state = await snapshotState();
    expect(state.pods).toEqual(["cli-sleeper"]);
    expect(appContainers(state.containers)).toEqual(["cli-sleeper-app"]);
    expect((await inspectPod("cli-sleeper")).State).toBe("Running");
    const down = await runKplay(["down", "-"], { stdin: SLEEPER });
    expect(down).toEqual({ stdout: "pod/cli-sleeper removed\n", stderr: "", exitCode: 0 });
  });
});

describe("kplay plan -", () => {
  test("prints the plan with source file <stdin>", async () => {
    const run = await runKplay(["plan", "-"], { stdin: SLEEPER, env: NOWHERE });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      objects: { pods: { name: string; source: { file: string; document: number } }[] }[];
    };
    expect(plan.objects.flatMap((o) => o.pods).map((p) => [p.name, p.source])).toEqual([
      ["cli-sleeper", { file: "<stdin>", document: 0 }],
    ]);
    // The same plan as from the file, but for the name of the source.
    const fromFile = await runKplay(["plan", fixture("sleeper.yaml")], { env: NOWHERE });
    expect(run.stdout).toBe(
      fromFile.stdout.replaceAll(`"file": "${fixture("sleeper.yaml")}"`, '"file": "<stdin>"'),
    );
  });

  test("`-` among files: both are planned, in order", async () => {
    const run = await runKplay(["plan", "-", fixture("ignored-field.yaml")], {
      stdin: SLEEPER,
      env: NOWHERE,
    });
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      objects: { pods: { name: string; source: { file: string } }[] }[];
    };
    expect(plan.objects.flatMap((o) => o.pods).map((p) => [p.name, p.source.file])).toEqual([
      ["cli-sleeper", "<stdin>"],
      ["cli-ignored", fixture("ignored-field.yaml")],
    ]);
  });

  test("a diagnostic in stdin's manifest is located in <stdin>", async () => {
    const run = await runKplay(["validate", "-"], {
      stdin: SLEEPER.replace("command:", "comand:"),
      env: NOWHERE,
    });
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        '<stdin>:11:7: error[unknown-field]: Unknown field "spec.containers[0].comand"',
        '      comand: ["sleep", "3600"]',
        "      ^^^^^^",
        '  hint: Did you mean "command"?',
        "",
      ].join("\n"),
    );
    expect(run.exitCode).toBe(2);
  });
});
