/** Self-test of the test harness (test/support): the isolated service and the test images. */
import { describe, expect, test } from "bun:test";
import {
  cleanupStore,
  freePort,
  httpGet,
  kplayCommand,
  pingService,
  podman,
  podmanJson,
  snapshotState,
  testUrl,
} from "./support/podman.ts";

describe("test harness", () => {
  test("the isolated service answers /_ping over its socket", async () => {
    expect(testUrl()).toMatch(/^unix:\/\/\/.+\/podman\.sock$/);
    expect(await pingService()).toBe("OK");
  });

  test("the test image runs `echo hi`", async () => {
    const result = await podman(["run", "--rm", "localhost/busybox:test", "echo", "hi"]);
    expect(result).toEqual({ stdout: "hi\n", stderr: "", exitCode: 0 });
  });

  test("the ENTRYPOINT/CMD images behave as documented", async () => {
    const entry = await podman(["run", "--rm", "localhost/busybox-entry:test"]);
    expect(entry).toEqual({ stdout: "entry cmd\n", stderr: "", exitCode: 0 });
    const args = await podman(["run", "--rm", "localhost/busybox-entry:test", "x"]);
    expect(args.stdout).toBe("entry x\n");
    const [httpd] = await podmanJson<{ Config: { Entrypoint: string[]; Cmd: string[] } }[]>([
      "image",
      "inspect",
      "localhost/busybox-httpd:test",
    ]);
    expect(httpd?.Config.Entrypoint).toEqual(["/bin/httpd", "-f", "-p", "8080"]);
    expect(httpd?.Config.Cmd).toEqual(["-h", "/var/www"]);
  });

  test("a hostPort on 127.0.0.1 answers, and cleanupStore leaves nothing", async () => {
    const before = await snapshotState();
    const port = await freePort();
    const run = await podman([
      "run",
      "-d",
      "--name",
      "harness-httpd",
      // A stop (instead of a kill) would now take a minute, far from a slow kill.
      "--stop-timeout",
      "60",
      "-p",
      `127.0.0.1:${port}:8080`,
      "localhost/busybox-httpd:test",
    ]);
    expect(run.exitCode).toBe(0);
    const res = await httpGet(`http://127.0.0.1:${port}/`, {
      retryForMs: 60_000,
      until: (r) => r.status === 200,
    });
    expect(res).toMatchObject({ status: 200, body: "busybox-httpd\n" });
    expect((await snapshotState()).containers).toContain("harness-httpd");
    const started = Date.now();
    await cleanupStore();
    // Killed, not stopped: the 60 s stop timeout would show (the httpd ignores SIGTERM).
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(await snapshotState()).toEqual(before);
  });

  test("httpGet refuses anything but 127.0.0.1", async () => {
    await expect(httpGet("http://10.88.0.2:8080/")).rejects.toThrow("network rule");
    await expect(httpGet("http://localhost:8080/")).rejects.toThrow("network rule");
  });

  test("kplayCommand names each runtime's entry point", () => {
    expect(kplayCommand("bin").at(-1)).toMatch(/\/dist\/kplay$/);
    expect(kplayCommand("node").at(-1)).toMatch(/\/dist\/kplay\.mjs$/);
    expect(kplayCommand("bun").at(-1)).toMatch(/\/src\/main\.ts$/);
    expect(kplayCommand("deno").at(-1)).toMatch(/\/src\/main\.ts$/);
  });
});
