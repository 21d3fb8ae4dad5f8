/**
 * play and down as the user sees them, checked against what Podman reports: several pods in
 * one input with one failing, create-only then start, and down of pods that are absent or
 * not kplay's.
 */
import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { cleanupStore, podman, runKplay, snapshotState } from "../support/podman.ts";
import { appContainers, containerState, fixture, inspectPod } from "./helpers.ts";

beforeAll(async () => {
  await cleanupStore();
});
afterEach(async () => {
  await cleanupStore();
});

/** The table play prints, with the 12-character IDs replaced by `<id>`. */
function maskIds(table: string): string {
  return table.replace(/\b[0-9a-f]{12}\b/g, "<id>");
}

describe("three pods in one file, the second cannot start", () => {
  test("the other two are played and listed, the failing one is rolled back, exit 1", async () => {
    const run = await runKplay(["play", fixture("three-pods.yaml")]);
    expect(maskIds(run.stdout)).toBe(
      [
        "OBJECT            NAME              ID             ACTION",
        "pod/cli-multi-a   cli-multi-a       <id>   created",
        "  infra                             <id>",
        "  app             cli-multi-a-app   <id>   created",
        "pod/cli-multi-c   cli-multi-c       <id>   created",
        "  infra                             <id>",
        "  app             cli-multi-c-app   <id>   created",
        "2 of 3 objects played",
        "",
      ].join("\n"),
    );
    const [first, ...rest] = run.stderr.split("\n");
    expect(first).toStartWith(
      'kplay: pod "cli-multi-b" failed: [POST] "/pods/cli-multi-b/start": 409 Conflict: starting container "cli-multi-b-app": ',
    );
    expect(first).toContain('exec: "/no/such/cmd": stat /no/such/cmd: no such file or directory');
    expect(rest.join("\n")).toBe(
      "  rolled back: removed container cli-multi-b-app, pod cli-multi-b\n",
    );
    expect(run.exitCode).toBe(1);

    // Podman has exactly the two pods, both running, and nothing of the third.
    const state = await snapshotState();
    expect(state.pods).toEqual(["cli-multi-a", "cli-multi-c"]);
    expect(appContainers(state.containers)).toEqual(["cli-multi-a-app", "cli-multi-c-app"]);
    expect(state.containers).toHaveLength(4); // and one infra container each
    expect(state.volumes).toEqual([]);
    for (const pod of ["cli-multi-a", "cli-multi-c"])
      expect((await inspectPod(pod)).State).toBe("Running");

    // ps lists them; down removes both and says the third is not there.
    const ps = await runKplay(["ps", "-o", "json"]);
    const listed = JSON.parse(ps.stdout) as { pods: { name: string; status: string }[] };
    expect(listed.pods.map((p) => [p.name, p.status])).toEqual([
      ["cli-multi-a", "Running"],
      ["cli-multi-c", "Running"],
    ]);
    const down = await runKplay(["down", fixture("three-pods.yaml")]);
    expect(down).toEqual({
      stdout: "pod/cli-multi-a removed\npod/cli-multi-b not found\npod/cli-multi-c removed\n",
      stderr: "",
      exitCode: 0,
    });
    expect((await snapshotState()).pods).toEqual([]);
  });
});

describe("--start=false, then play", () => {
  test("creates without starting; a later play starts it without recreating anything", async () => {
    const created = await runKplay([
      "play",
      "--start=false",
      "-o",
      "json",
      fixture("sleeper.yaml"),
    ]);
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    type Out = {
      pods: {
        name: string;
        id: string;
        action: string;
        infraId: string;
        containers: { container: string; id: string; action: string }[];
      }[];
    };
    const first = (JSON.parse(created.stdout) as Out).pods[0];
    expect(first?.action).toBe("created");

    // What Podman reports: the pod and every container Created, none started.
    const pod = await inspectPod("cli-sleeper");
    expect(pod.State).toBe("Created");
    expect(pod.Id).toBe(first?.id ?? "");
    expect(pod.InfraContainerID).toBe(first?.infraId ?? "");
    expect((await containerState("cli-sleeper-app")).Status).toBe("created");
    expect((await containerState(pod.InfraContainerID)).Status).toBe("created");

    const started = await runKplay(["play", "-o", "json", fixture("sleeper.yaml")]);
    expect(started.stderr).toBe("");
    expect(started.exitCode).toBe(0);
    const second = (JSON.parse(started.stdout) as Out).pods[0];
    expect(second?.action).toBe("started");
    // Same pod, same infra, same container: nothing was recreated.
    expect(second?.id).toBe(first?.id ?? "");
    expect(second?.infraId).toBe(first?.infraId ?? "");
    expect(second?.containers).toEqual([
      { ...first?.containers[0], action: "unchanged" } as Out["pods"][0]["containers"][0],
    ]);
    const after = await inspectPod("cli-sleeper");
    expect(after.State).toBe("Running");
    expect(after.Id).toBe(pod.Id);
    expect((await containerState("cli-sleeper-app")).Status).toBe("running");

    // Once running, playing again changes nothing.
    const again = await runKplay(["play", "-o", "json", fixture("sleeper.yaml")]);
    expect((JSON.parse(again.stdout) as Out).pods[0]?.action).toBe("unchanged");
  });
});

describe("down of pods that are not kplay's to remove", () => {
  test("a pod that does not exist: exit 0, not found", async () => {
    const run = await runKplay(["down", fixture("sleeper.yaml")]);
    expect(run).toEqual({ stdout: "pod/cli-sleeper not found\n", stderr: "", exitCode: 0 });
  });

  test("a pod made with `podman pod create`: exit 1, left untouched", async () => {
    const made = await podman(["pod", "create", "--name", "cli-sleeper"]);
    expect(made.exitCode).toBe(0);
    const before = await inspectPod("cli-sleeper");
    const snapshot = await snapshotState();

    const run = await runKplay(["down", fixture("sleeper.yaml")]);
    expect(run).toEqual({
      stdout: "",
      stderr:
        'kplay: Pod "cli-sleeper" was not created by kplay; kplay leaves it alone (remove it with podman pod rm)\n',
      exitCode: 1,
    });
    const after = await inspectPod("cli-sleeper");
    expect([after.Id, after.State]).toEqual([before.Id, before.State]);
    expect(await snapshotState()).toEqual(snapshot);

    // play does not take it over either without --replace.
    const play = await runKplay(["play", fixture("sleeper.yaml")]);
    expect(play.stderr).toBe(
      'kplay: Pod "cli-sleeper" exists and was not created by kplay; use --replace to remove it and play it again\n',
    );
    expect(play.stdout).toBe("");
    expect(play.exitCode).toBe(1);
    expect((await inspectPod("cli-sleeper")).Id).toBe(before.Id);
    expect(await snapshotState()).toEqual(snapshot);
  });
});
