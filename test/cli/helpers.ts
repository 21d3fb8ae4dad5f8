/** Shared pieces of the command-line contract tests (test/cli). */

import { expect } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { podmanJson } from "../support/podman.ts";

/** A file of fixtures/cli as kplay is given it: relative to the repository root (runKplay's cwd). */
export function fixture(name: string): string {
  return join("fixtures/cli", name);
}

/** Asserts that no line of `stderr` looks like a JavaScript stack frame. */
export function expectNoStackTrace(stderr: string): void {
  expect(stderr.split("\n").filter((l) => /^\s+at /.test(l))).toEqual([]);
}

/** The exact text kplay prints when no Podman answers, for the places it lists. */
export function unreachableText(places: readonly string[]): string {
  return [
    "kplay: Cannot reach Podman. kplay looked at:",
    ...places.map((p) => `  ${p}`),
    "Start the Podman API service (`podman system service --time=0 &`, or",
    "`systemctl --user start podman.socket`), or point kplay at it with --url or CONTAINER_HOST",
    "",
  ].join("\n");
}

/**
 * Leaves a dead unix socket at `path`: a socket file nothing listens on (connecting gives
 * ECONNREFUSED). A child process binds it and is SIGKILLed, so nobody unlinks the file.
 */
export async function makeDeadSocket(path: string): Promise<void> {
  const proc = Bun.spawn(
    [
      process.execPath,
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`,
    ],
    { stdout: "ignore", stderr: "ignore", timeout: 10_000 },
  );
  await proc.exited;
  if (!existsSync(path)) throw new Error(`no socket file was left at ${path}`);
}

/** What `podman pod inspect` reports about a pod (4.3 prints one object, later versions a list). */
export interface PodInspect {
  readonly Id: string;
  readonly State: string;
  readonly Created: string;
  readonly InfraContainerID: string;
  readonly Labels?: Record<string, string>;
  readonly Containers: { Id: string; Name: string; State: string }[];
  readonly InfraConfig?: {
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null>;
  };
}

/** Returns `podman pod inspect NAME`, as one object. */
export async function inspectPod(name: string): Promise<PodInspect> {
  const out = await podmanJson<PodInspect | PodInspect[]>(["pod", "inspect", name]);
  const pod = Array.isArray(out) ? out[0] : out;
  if (!pod) throw new Error(`podman pod inspect ${name} printed nothing`);
  return pod;
}

/** Returns `podman container inspect NAME`'s State. */
export async function containerState(
  name: string,
): Promise<{ Status: string; ExitCode: number; Running: boolean }> {
  const [c] = await podmanJson<{ State: { Status: string; ExitCode: number; Running: boolean } }[]>(
    ["container", "inspect", name],
  );
  if (!c) throw new Error(`podman container inspect ${name} printed nothing`);
  return c.State;
}

/** The container names of a snapshot without the infra containers (named `<pod id>-infra`). */
export function appContainers(names: readonly string[]): string[] {
  return names.filter((n) => !/^[0-9a-f]{12}-infra$/.test(n));
}
