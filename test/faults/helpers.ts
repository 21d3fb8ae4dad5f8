/** Manifests and a background kplay for the fault and converge tests. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type KplayRuntime, kplayCommand, type RunResult, testUrl } from "../support/podman.ts";
import { pollUntil } from "../support/poll.ts";

export interface PairOptions {
  readonly pod: string;
  readonly hostPort: number;
  /** The second container ("side"): its image, pull policy, command and extra YAML lines. */
  readonly sideImage?: string;
  readonly sidePolicy?: "Never" | "IfNotPresent";
  readonly sideCommand?: readonly string[];
  readonly sideEnv?: string;
  /** More YAML under the side container, indented for it (6 spaces). */
  readonly sideExtra?: string;
  readonly hostIP?: string;
}

/**
 * A pod of two containers sharing an emptyDir (so a play creates a pod, an infra container,
 * two containers and a volume): `web`, busybox httpd on a 127.0.0.1 hostPort serving the
 * volume (its index.html says "web"), and `side`, a sleeper that writes its SIDE_ENV to
 * side.txt there.
 */
export function pairManifest(o: PairOptions): string {
  const side = o.sideCommand ?? ["sh", "-c", 'echo "$SIDE_ENV" > /data/side.txt; exec sleep 3600'];
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${o.pod}
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      command: ["sh", "-c", "echo web > /www/index.html; exec httpd -f -p 8080 -h /www"]
      ports:
        - containerPort: 8080
          hostPort: ${o.hostPort}
          hostIP: ${o.hostIP ?? "127.0.0.1"}
      volumeMounts:
        - name: data
          mountPath: /www
    - name: side
      image: ${o.sideImage ?? "localhost/busybox:test"}
      imagePullPolicy: ${o.sidePolicy ?? "IfNotPresent"}
      command: ${JSON.stringify(side)}
${o.sideEnv === undefined ? "" : `      env:\n        - name: SIDE_ENV\n          value: "${o.sideEnv}"\n`}${o.sideExtra ?? ""}      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      emptyDir: {}
`;
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeManifest(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A kplay started in the background: watch its output, signal it, then wait for the end. */
export interface RunningKplay {
  readonly pid: number;
  /** Resolves once the stdout printed so far satisfies `test`; rejects after `timeoutMs`. */
  stdoutUntil(test: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<RunResult>;
}

/**
 * Starts kplay without waiting for it (runKplay waits), against the test Podman unless
 * `args` carries its own --url. Killed after `timeoutMs` so a hung kplay fails the test.
 */
export function startKplay(
  args: readonly string[],
  runtime: KplayRuntime = "bin",
  timeoutMs = 120_000,
): RunningKplay {
  const proc = Bun.spawn([...kplayCommand(runtime), ...args], {
    env: { ...process.env, CONTAINER_HOST: testUrl() },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  let stdout = "";
  const readStdout = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) stdout += decoder.decode(chunk, { stream: true });
    stdout += decoder.decode();
  })();
  const done = (async () => {
    const [stderr] = await Promise.all([new Response(proc.stderr).text(), readStdout]);
    const code = await proc.exited;
    return { stdout, stderr, exitCode: proc.signalCode ? -1 : code };
  })();
  return {
    pid: proc.pid,
    async stdoutUntil(test, waitMs = 15_000) {
      const seen = await pollUntil(() => stdout, test, waitMs, 20);
      if (!test(seen))
        throw new Error(
          `kplay ${args.join(" ")} did not print what was awaited; so far: ${JSON.stringify(seen)}`,
        );
      return seen;
    },
    kill: (signal) => proc.kill(signal),
    done,
  };
}
