/**
 * The endpoint lock without Podman: a second holder waits while a live process holds it and
 * takes it the moment that process ends; a lock whose process is gone is taken at once; an
 * abort ends the wait with an interruption; release removes only our own lock.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { lockEndpoint, lockPath } from "../../src/cli/endpoint-lock.ts";
import { InterruptedError } from "../../src/cli/io.ts";

const dir = mkdtempSync(join(tmpdir(), "kplay-lock-"));
const env = { KPLAY_STATE_DIR: dir };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A lock file as another kplay would leave it. */
function holdAs(endpoint: string, pid: number): string {
  const path = lockPath(env, endpoint);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\nplay\n${endpoint}\n`);
  return path;
}

test("waits while a live process holds the lock, and takes it when that process ends", async () => {
  const holder = Bun.spawn(["sleep", "60"]);
  const path = holdAs("unix:///a.sock", holder.pid);
  let waitedFor = 0;
  const taken = lockEndpoint(env, "unix:///a.sock", "play", new AbortController().signal, (pid) => {
    waitedFor = pid;
    holder.kill();
  });
  const lock = await taken;
  expect(waitedFor).toBe(holder.pid);
  expect(existsSync(path)).toBe(true);
  lock.release();
  expect(existsSync(path)).toBe(false);
});

test("a lock left by a process that is gone is taken without waiting", async () => {
  const gone = Bun.spawn(["true"]);
  await gone.exited;
  holdAs("unix:///b.sock", gone.pid);
  let waited = false;
  const lock = await lockEndpoint(
    env,
    "unix:///b.sock",
    "down",
    new AbortController().signal,
    () => {
      waited = true;
    },
  );
  expect(waited).toBe(false);
  lock.release();
});

test("an abort ends the wait as an interruption, and the other's lock stays", async () => {
  const holder = Bun.spawn(["sleep", "60"]);
  const path = holdAs("unix:///c.sock", holder.pid);
  const abort = new AbortController();
  const waiting = lockEndpoint(env, "unix:///c.sock", "play", abort.signal, () =>
    abort.abort(new Error("SIGINT")),
  );
  const error = await waiting.then(
    () => undefined,
    (e: unknown) => e,
  );
  holder.kill();
  expect(error).toBeInstanceOf(InterruptedError);
  expect((error as InterruptedError).exitCode).toBe(130);
  expect(existsSync(path)).toBe(true);
});

test("endpoints have separate locks", async () => {
  const a = await lockEndpoint(
    env,
    "unix:///d.sock",
    "play",
    new AbortController().signal,
    () => {},
  );
  const b = await lockEndpoint(
    env,
    "tcp://127.0.0.1:8080",
    "play",
    new AbortController().signal,
    () => {},
  );
  expect(lockPath(env, "unix:///d.sock")).not.toBe(lockPath(env, "tcp://127.0.0.1:8080"));
  a.release();
  b.release();
});
