/**
 * libpod's exec API: create a session in a running container, start it on a connection
 * Podman takes over (output one way, stdin the other), resize its TTY, read its exit code.
 */
import type { Upgraded } from "../transport/types.ts";
import type { PodmanClient } from "./client.ts";

const enc = encodeURIComponent;

/** What an exec session runs and what it is attached to. */
export interface ExecSpec {
  readonly cmd: readonly string[];
  readonly stdin: boolean;
  readonly tty: boolean;
}

/** Creates an exec session in a container; returns its ID. */
export async function createExec(
  client: PodmanClient,
  container: string,
  spec: ExecSpec,
): Promise<string> {
  const created = await client.call<{ Id: string }>({
    method: "POST",
    path: `/containers/${enc(container)}/exec`,
    body: {
      Cmd: spec.cmd,
      AttachStdin: spec.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: spec.tty,
    },
  });
  return created.Id;
}

/**
 * Starts a session attached: without a TTY the output comes in Docker's stream frames
 * (stdout and stderr apart), with one it is the terminal's bytes as they are.
 */
export function startExec(
  client: PodmanClient,
  id: string,
  tty: boolean,
  size: { rows: number; columns: number } | undefined,
  signal?: AbortSignal,
): Promise<Upgraded> {
  return client.upgrade(
    {
      method: "POST",
      path: `/exec/${enc(id)}/start`,
      body: { Detach: false, Tty: tty, ...(size ? { h: size.rows, w: size.columns } : {}) },
    },
    signal,
  );
}

/** Resizes a session's TTY; a session that has ended (or not begun) is left alone. */
export async function resizeExec(
  client: PodmanClient,
  id: string,
  size: { rows: number; columns: number },
): Promise<void> {
  await client
    .call({
      method: "POST",
      path: `/exec/${enc(id)}/resize`,
      query: { h: String(size.rows), w: String(size.columns) },
    })
    .catch(() => {});
}

/**
 * The session's exit code once Podman has recorded it (its output may end a moment before);
 * undefined if it still runs at `deadline` (epoch ms).
 */
export async function execExitCode(
  client: PodmanClient,
  id: string,
  deadline: number,
): Promise<number | undefined> {
  for (;;) {
    const info = await client.call<{ Running?: boolean; ExitCode?: number }>({
      method: "GET",
      path: `/exec/${enc(id)}/json`,
    });
    if (!info.Running) return info.ExitCode ?? 0;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}
