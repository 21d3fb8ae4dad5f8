/**
 * `-o json` and `-o yaml`: the output of play, ps, down and version parses as data, with the
 * documented fields, and its values are what Podman reports.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse as parseYaml } from "yaml";
import { buildCommit, hostTarget, VERSION } from "../support/build-info.ts";
import { cleanupStore, podmanJson, runKplay } from "../support/podman.ts";
import { fixture, inspectPod } from "./helpers.ts";

const FULL = fixture("full.yaml");

interface PlayedJson {
  pods: {
    name: string;
    id: string;
    action: string;
    infraId: string;
    containers: { container: string; name: string; id: string; init: boolean; action: string }[];
    warnings: string[];
  }[];
}

beforeAll(async () => {
  await cleanupStore();
});
afterAll(async () => {
  await cleanupStore();
});

/** Runs kplay, expects exit 0 and an empty stderr, and parses stdout in the asked format. */
async function data<T>(args: readonly string[], format: "json" | "yaml"): Promise<T> {
  const run = await runKplay([...args, "-o", format]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  return (format === "json" ? JSON.parse(run.stdout) : parseYaml(run.stdout)) as T;
}

// One pod's life, in order: each test builds on the previous one.
describe("a pod's life in data form", () => {
  let played: PlayedJson;

  test("play -o yaml: pods with id, action, infraId, containers and warnings", async () => {
    const out = await data<PlayedJson & { objects: { object: string; action: string }[] }>(
      ["play", FULL],
      "yaml",
    );
    played = { pods: out.pods };
    expect(out.objects.map((o) => [o.object, o.action])).toEqual([
      ["pod/default/cli-full", "created"],
    ]);
    const pod = await inspectPod("cli-full");
    const byName = new Map(pod.Containers.map((c) => [c.Name, c.Id]));
    expect(played).toEqual({
      pods: [
        {
          name: "cli-full",
          id: pod.Id,
          action: "created",
          infraId: pod.InfraContainerID,
          containers: [
            {
              container: "seed",
              name: "cli-full-seed",
              id: byName.get("cli-full-seed") ?? "?",
              init: true,
              action: "created",
            },
            {
              container: "web",
              name: "cli-full-web",
              id: byName.get("cli-full-web") ?? "?",
              init: false,
              action: "created",
            },
            {
              container: "idle",
              name: "cli-full-idle",
              id: byName.get("cli-full-idle") ?? "?",
              init: false,
              action: "created",
            },
          ],
          warnings: [],
        },
      ],
    });
  });

  test("play -o json: the same fields; a replay is unchanged, with the same IDs", async () => {
    const again = { pods: (await data<PlayedJson>(["play", FULL], "json")).pods };
    const unchanged = played.pods.map((p) => ({
      ...p,
      action: "unchanged",
      containers: p.containers.map((c) => ({ ...c, action: "unchanged" })),
    }));
    expect(again).toEqual({ pods: unchanged });
  });

  test("ps -o json and -o yaml: the same data, matching podman pod inspect", async () => {
    const json = await data<{ pods: Record<string, unknown>[] }>(["ps"], "json");
    const yaml = await data<{ pods: Record<string, unknown>[] }>(["ps"], "yaml");
    expect(yaml).toEqual(json);
    expect(json.pods).toHaveLength(1);
    const row = json.pods[0] ?? {};
    for (const field of [
      "name",
      "id",
      "status",
      "running",
      "total",
      "restarts",
      "ports",
      "created",
    ])
      expect(Object.keys(row)).toContain(field);
    const pod = await inspectPod("cli-full");
    // The probed port had no hostPort: kplay published it on a free port of 127.0.0.1.
    const bound = pod.InfraConfig?.PortBindings?.["8080/tcp"] ?? [];
    expect(bound).toHaveLength(1);
    expect(bound[0]?.HostIp).toBe("127.0.0.1");
    expect(row).toMatchObject({
      name: "cli-full",
      id: pod.Id,
      status: "Running",
      running: 2,
      total: 2,
      restarts: 0,
      ports: [`127.0.0.1:${bound[0]?.HostPort}->8080/tcp`],
    });
    expect(Date.parse(String(row.created))).toBe(Date.parse(pod.Created));
  });

  test("down -o json: the pod removed with its volume; -o yaml of a second down: not-found", async () => {
    expect(await data(["down", FULL], "json")).toEqual({
      pods: [{ name: "cli-full", status: "removed", volumes: ["cli-full_www"], claims: [] }],
      secrets: [],
      networks: [],
    });
    expect(await data(["down", FULL], "yaml")).toEqual({
      pods: [{ name: "cli-full", status: "not-found", volumes: [], claims: [] }],
      secrets: [],
      networks: [],
    });
  });

  test("ps -o json with no pod: an empty list, not the table's sentence", async () => {
    expect(await data(["ps"], "json")).toEqual({ pods: [] });
  });
});

test("version -o json and -o yaml: kplay's version, commit, build and runtime, and Podman's", async () => {
  const podman = await podmanJson<{ Client: { Version: string; APIVersion: string } }>([
    "version",
    "--format",
    "json",
  ]);
  const client = { kplay: VERSION, commit: buildCommit(), build: hostTarget(), runtime: "bun" };
  const expected = {
    ...client,
    podman: { version: podman.Client.Version, apiVersion: podman.Client.APIVersion },
  };
  expect(await data(["version"], "json")).toEqual(expected);
  expect(await data(["version"], "yaml")).toEqual(expected);
  expect(await data(["version", "--client"], "json")).toEqual(client);
});
