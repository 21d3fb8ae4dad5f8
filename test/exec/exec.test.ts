/**
 * `kplay exec` against the real Podman: the command's stdout and stderr apart, its exit code
 * as kplay's, stdin with -i (end of file reaches the command), KIND/NAME, the usage and
 * not-found errors, and -it on a real pseudo-terminal (util-linux `script`): the size at
 * start, a resize (SIGWINCH) that reaches `stty size` inside, ^C going to the container.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeManifest } from "../faults/helpers.ts";
import { kplayCommand, runKplay, testUrl } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";
import { runCommand } from "../support/process.ts";

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: ex
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: localhost/busybox:test
      command: ["sleep", "3600"]
    - name: side
      image: localhost/busybox:test
      command: ["sh", "-c", "echo side > /tmp/who; exec sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: ended
spec:
  restartPolicy: Never
  containers:
    - name: once
      image: localhost/busybox:test
      command: ["true"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: exd
spec:
  replicas: 1
  selector:
    matchLabels: { app: exd }
  template:
    metadata:
      labels: { app: exd }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: app
          image: localhost/busybox:test
          command: ["sleep", "3600"]
`;

let work: string;
let file: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-exec-"));
  file = writeManifest(work, "exec.yaml", MANIFEST);
  const played = await runKplay(["play", "--wait", file]);
  if (played.exitCode !== 0) throw new Error(`play failed: ${played.stderr}`);
  // The Never pod's container has ended once its pod shows 0 running.
  await pollUntil(
    () => runKplay(["exec", "ended", "--", "true"]),
    (r) => r.stderr.includes("is not running"),
    30_000,
  );
});
afterAll(async () => {
  await runKplay(["down", file]);
  rmSync(work, { recursive: true, force: true });
});

describe("kplay exec", () => {
  test("stdout and stderr apart, and the command's exit code", async () => {
    expect(
      await runKplay([
        "exec",
        "ex",
        "-c",
        "main",
        "--",
        "sh",
        "-c",
        "echo hi; echo oops >&2; exit 7",
      ]),
    ).toEqual({ stdout: "hi\n", stderr: "oops\n", exitCode: 7 });
  });

  test("everything after -- is the command, its own flags included", async () => {
    expect(await runKplay(["exec", "ex", "-c", "side", "--", "cat", "-n", "/tmp/who"])).toEqual({
      stdout: "     1\tside\n",
      stderr: "",
      exitCode: 0,
    });
  });

  test("-i passes stdin, and its end of file ends the command's input", async () => {
    const text = `${"x".repeat(100_000)}\nlast line\n`;
    const run = await runKplay(
      ["exec", "-i", "ex", "-c", "main", "--", "sh", "-c", "wc -c; echo done"],
      {
        stdin: text,
      },
    );
    expect(run).toEqual({ stdout: `${text.length}\ndone\n`, stderr: "", exitCode: 0 });
  });

  test("without -i the command gets no stdin", async () => {
    const run = await runKplay(["exec", "ex", "-c", "main", "--", "cat"], { stdin: "ignored\n" });
    expect(run).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  });

  test("deployment/NAME runs in one of its pods", async () => {
    const run = await runKplay(["exec", "deployment/exd", "--", "sh", "-c", "echo $HOSTNAME"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^exd-[a-z0-9]+-[a-z0-9]+\n$/);
  });

  test("a command that does not exist: Podman's 127", async () => {
    const run = await runKplay(["exec", "ex", "-c", "main", "--", "no-such-command"]);
    expect(run.exitCode).toBe(127);
    expect(run.stderr).toContain('"no-such-command": executable file not found');
  });

  test("a missing pod, container or workload, or a stopped container: exit 1", async () => {
    expect(await runKplay(["exec", "nope", "--", "true"])).toEqual({
      stdout: "",
      stderr: 'kplay: Pod "nope" not found\n',
      exitCode: 1,
    });
    expect(await runKplay(["exec", "ex", "-c", "web", "--", "true"])).toEqual({
      stdout: "",
      stderr: 'kplay: Container "web" not found in pod "ex", choose one of: [main side]\n',
      exitCode: 1,
    });
    expect(await runKplay(["exec", "deployment/none", "--", "true"])).toEqual({
      stdout: "",
      stderr: "kplay: No pods of deployment/none\n",
      exitCode: 1,
    });
    expect(await runKplay(["exec", "ended", "--", "true"])).toEqual({
      stdout: "",
      stderr: 'kplay: Container "once" of pod "ended" is not running\n',
      exitCode: 1,
    });
  });

  test("bad usage: exit 2, nothing run", async () => {
    expect(await runKplay(["exec", "ex", "-c", "main"])).toEqual({
      stdout: "",
      stderr: "kplay: exec needs a command after --: kplay exec ex -- sh\n",
      exitCode: 2,
    });
    expect(await runKplay(["exec", "ex", "-c", "main", "ls", "/"])).toEqual({
      stdout: "",
      stderr: "kplay: exec takes the command after --: kplay exec ex -- ls /\n",
      exitCode: 2,
    });
    expect(await runKplay(["exec", "ex", "--", "true"])).toEqual({
      stdout: "",
      stderr: "kplay: A container name must be specified for pod ex, choose one of: [main side]\n",
      exitCode: 2,
    });
    expect(await runKplay(["exec", "cronjob/x", "--", "true"])).toMatchObject({ exitCode: 2 });
  });

  test("-t without a terminal: kubectl's warning, and the command runs without one", async () => {
    expect(
      await runKplay(["exec", "-t", "ex", "-c", "main", "--", "sh", "-c", "tty; true"]),
    ).toEqual({
      stdout: "not a tty\n",
      stderr: "Unable to use a TTY - input is not a terminal or the right kind of file\n",
      exitCode: 0,
    });
  });

  test("-it on a pseudo-terminal: its size at start, a resize, ^C to the container, the exit code", async () => {
    const ttyFile = join(work, "tty");
    const kplay = [...kplayCommand("bin"), "exec", "-it", "ex", "-c", "main", "--", "sh"]
      .map((w) => `'${w}'`)
      .join(" ");
    // script(1) runs the line on a new pseudo-terminal whose size it starts at 30x100.
    const proc = Bun.spawn(
      ["script", "-qec", `stty rows 30 cols 100; tty > '${ttyFile}'; exec ${kplay}`, "/dev/null"],
      {
        env: { ...process.env, CONTAINER_HOST: testUrl() },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
        timeout: 60_000,
        killSignal: "SIGKILL",
      },
    );
    let output = "";
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stdout) output += decoder.decode(chunk, { stream: true });
    })();
    const seen = async (pattern: RegExp) => {
      await pollUntil(
        () => output,
        (o) => pattern.test(o),
        20_000,
        50,
      );
      expect(output).toMatch(pattern);
    };
    const type = (text: string) => {
      proc.stdin.write(text);
      proc.stdin.flush();
    };
    // busybox ash asks for the cursor position (ESC [6n) after its prompt.
    await seen(/\/ # /);
    type("stty size\r");
    await seen(/\n30 100\r/);
    // Resizing the terminal sends kplay SIGWINCH; the container's TTY follows.
    const tty = readFileSync(ttyFile, "utf8").trim();
    expect((await runCommand(["stty", "-F", tty, "rows", "41", "cols", "121"])).exitCode).toBe(0);
    await pollUntil(
      () => {
        type("stty size\r");
        return output;
      },
      (o) => /\n41 121\r/.test(o),
      10_000,
      200,
    );
    expect(output).toMatch(/\n41 121\r/);
    // Raw mode: ^C is a byte for the container's shell, not a signal for kplay.
    type("sleep 1000\r");
    await seen(/sleep 1000\r/);
    type("\x03");
    type("echo after$((40+2))\r");
    await seen(/after42/);
    type("exit 5\r");
    expect(await proc.exited).toBe(5);
  });
});
