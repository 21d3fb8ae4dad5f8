import type { PodmanClient } from "../../podman/client.ts";
import { PodmanApiError } from "../../podman/errors.ts";
import { createExec, execExitCode, resizeExec, startExec } from "../../podman/exec.ts";
import { decodeLogStream } from "../../podman/logs.ts";
import type { Upgraded } from "../../transport/types.ts";
import { connect } from "../connect.ts";
import { type CliIo, EXIT_FAILURE, interrupted } from "../io.ts";
import { listMembers, pickContainer, resolveTarget } from "./logs.ts";

export interface ExecFlags {
  readonly url?: string;
  readonly connection?: string;
  /** The namespace of the pod or KIND/NAME (default "default"). */
  readonly namespace?: string;
  readonly container?: string;
  /** `-i`: pass stdin to the command. */
  readonly stdin: boolean;
  /** `-t`: give the command a TTY. */
  readonly tty: boolean;
  readonly debug: boolean;
}

/** How long Podman may take to record the exit code once the output has ended. */
const EXIT_CODE_MS = 10_000;

/**
 * `kplay exec POD [-c CONTAINER] [-i] [-t] -- CMD…`: runs CMD in a container of the pod
 * through libpod's exec API and exits with its exit code, as kubectl exec does. POD is a pod
 * or KIND/NAME, resolved as `kplay logs` resolves it.
 */
export async function runExec(
  io: CliIo,
  arg: string,
  cmd: readonly string[],
  flags: ExecFlags,
): Promise<number> {
  const { client } = await connect(flags, io.env, flags.debug ? io.stderr : undefined, io.stderr);
  try {
    const target = await resolveTarget(client, arg, flags.namespace ?? "default");
    if ("error" in target) {
      io.stderr(`kplay: ${target.error}\n`);
      return target.code;
    }
    if (target.note) io.stderr(`${target.note}\n`);
    const members = await listMembers(client, target.pod);
    if (!members) {
      io.stderr(`kplay: Pod "${target.pod}" not found\n`);
      return EXIT_FAILURE;
    }
    const picked = pickContainer(target.pod, members, flags.container);
    if ("error" in picked) {
      io.stderr(`kplay: ${picked.error}\n`);
      return picked.code;
    }
    const terminal = io.terminal;
    let tty = flags.tty;
    if (tty && !terminal?.stdinIsTTY) {
      // kubectl's words and choice: go on without a TTY.
      io.stderr("Unable to use a TTY - input is not a terminal or the right kind of file\n");
      tty = false;
    }
    const stdin = flags.stdin && terminal !== undefined;
    let id: string;
    try {
      id = await createExec(client, picked.member.id, { cmd, stdin, tty });
    } catch (e) {
      if (e instanceof PodmanApiError && (e.status === 409 || /state improper/.test(e.detail))) {
        io.stderr(
          `kplay: Container "${picked.member.container}" of pod "${target.pod}" is not running\n`,
        );
        return EXIT_FAILURE;
      }
      throw e;
    }
    const size = tty ? terminal?.size() : undefined;
    const session = await startExec(client, id, tty, size, io.signal);
    const stopResizing = tty && terminal ? followSize(client, id, io) : () => {};
    const unraw = tty && terminal ? terminal.raw() : () => {};
    const reading = new AbortController();
    try {
      if (stdin && terminal) void pumpStdin(session, terminal.stdin(reading.signal));
      await copyOutput(session, io, tty);
    } finally {
      reading.abort();
      unraw();
      stopResizing();
      session.close();
    }
    if (io.signal.aborted) throw interrupted(io.signal, "running the command");
    const code = await execExitCode(client, id, Date.now() + EXIT_CODE_MS);
    if (code === undefined) {
      io.stderr("kplay: the command's output ended but Podman still reports it running\n");
      return EXIT_FAILURE;
    }
    return code;
  } catch (e) {
    if (io.signal.aborted) throw interrupted(io.signal, "running the command");
    throw e;
  } finally {
    await client.transport.close();
  }
}

/** Sends the terminal's size at once and on every SIGWINCH; returns the unsubscribe. */
function followSize(client: PodmanClient, id: string, io: CliIo): () => void {
  const terminal = io.terminal;
  if (!terminal) return () => {};
  const send = () => {
    const size = terminal.size();
    if (size) void resizeExec(client, id, size);
  };
  send();
  return terminal.onResize(send);
}

/** Copies stdin to the session until end of file, then ends the sending half. */
async function pumpStdin(session: Upgraded, input: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    for await (const chunk of input) await session.write(chunk);
  } catch {
    // The session ended while stdin was still open: nothing more to send.
  }
  session.closeWrite();
}

/** The session's output to stdout and stderr; bytes as they are where the terminal takes them. */
async function copyOutput(session: Upgraded, io: CliIo, tty: boolean): Promise<void> {
  const terminal = io.terminal;
  const out = new TextDecoder();
  const err = new TextDecoder();
  const write = (stream: "stdout" | "stderr", data: Uint8Array) => {
    if (terminal) terminal.write(stream, data);
    else if (stream === "stderr") io.stderr(err.decode(data, { stream: true }));
    else io.stdout(out.decode(data, { stream: true }));
  };
  if (tty) {
    const reader = session.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        write("stdout", value);
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const frame of decodeLogStream(session.body)) write(frame.stream, frame.data);
  }
  const restOut = out.decode();
  const restErr = err.decode();
  if (restOut) io.stdout(restOut);
  if (restErr) io.stderr(restErr);
}
