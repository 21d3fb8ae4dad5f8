/**
 * The numbers behind scripts/bench.sh. Each round plays and removes the same two-container
 * pod with both tools, alternating so machine noise hits both alike, then prints medians and
 * their ratio. Also the offline cost of `kplay plan` per corpus manifest.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const url = process.env.KPLAY_BENCH_URL ?? "";
const dir = process.env.KPLAY_BENCH_DIR ?? "";
const rounds = Number(process.argv[2] ?? 10);
if (!url || !dir) throw new Error("run through scripts/bench.sh");

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: bench
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: web
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["httpd", "-f", "-p", "8080"]
      ports: [{containerPort: 8080, hostPort: 18999, hostIP: 127.0.0.1}]
    - name: side
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ["sleep", "3600"]
`;
const file = join(mkdtempSync(join(tmpdir(), "kplay-bench-")), "bench.yaml");
writeFileSync(file, manifest);

const podmanArgs = [
  "--root",
  join(dir, "root"),
  "--runroot",
  join(dir, "run"),
  "--tmpdir",
  join(dir, "tmp"),
];
const podmanEnv: Record<string, string | undefined> = {
  ...process.env,
  CONTAINERS_CONF: process.env.KPLAY_CONTAINERS_CONF ?? "",
};
delete podmanEnv.CONTAINER_HOST;

function run(cmd: string[], env: Record<string, string | undefined>): number {
  const start = performance.now();
  const r = Bun.spawnSync(cmd, { env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr.toString()}`);
  return performance.now() - start;
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const kplay = [join(root, "dist/kplay"), "--url", url];
const times = {
  kplayPlay: [] as number[],
  podmanPlay: [] as number[],
  kplayDown: [] as number[],
  podmanDown: [] as number[],
  kplayReplay: [] as number[],
};
// One warm-up of each: the first pod builds Podman's pause image.
run([...kplay, "play", file], process.env);
run([...kplay, "down", file], process.env);
run(["podman", ...podmanArgs, "kube", "play", file], podmanEnv);
run(["podman", ...podmanArgs, "kube", "down", file], podmanEnv);
for (let i = 0; i < rounds; i++) {
  times.kplayPlay.push(run([...kplay, "play", file], process.env));
  times.kplayReplay.push(run([...kplay, "play", file], process.env));
  times.kplayDown.push(run([...kplay, "down", file], process.env));
  times.podmanPlay.push(run(["podman", ...podmanArgs, "kube", "play", file], podmanEnv));
  times.podmanDown.push(run(["podman", ...podmanArgs, "kube", "down", file], podmanEnv));
}

const corpus = join(root, "../shared/corpus");
const files: string[] = [];
const walk = (d: string) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith(".yaml") || f.endsWith(".yml")) files.push(p);
  }
};
walk(corpus);
const { loadManifests } = await import("../src/manifest/index.ts");
const { planState, checkPlannable } = await import("../src/plan/index.ts");
const { buildDesiredState } = await import("../src/graph/index.ts");
const sources = files.map((f) => ({ name: f, dir: corpus, bytes: readFileSync(f) }));
const t0 = performance.now();
for (let i = 0; i < 5; i++) {
  for (const s of sources) {
    const r = loadManifests([s]);
    const state = buildDesiredState(r.pods, r.objects, {
      digestKey: new Uint8Array(32),
      nonce: "bench",
    });
    if (r.pods.length + r.objects.length > 0 && checkPlannable(state).length === 0)
      planState(state);
  }
}
const perFile = (performance.now() - t0) / (5 * sources.length);

const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`rounds: ${rounds} (medians; compare the ratios, not the absolutes)`);
console.log(
  `play, 2-container pod:  kplay ${ms(median(times.kplayPlay))}  podman kube play ${ms(median(times.podmanPlay))}  ratio kplay/podman ${(median(times.kplayPlay) / median(times.podmanPlay)).toFixed(2)}`,
);
console.log(
  `down:                   kplay ${ms(median(times.kplayDown))}  podman kube down ${ms(median(times.podmanDown))}  ratio kplay/podman ${(median(times.kplayDown) / median(times.podmanDown)).toFixed(2)}`,
);
console.log(
  `re-play, unchanged:     kplay ${ms(median(times.kplayReplay))}  (podman kube play refuses: "pod already exists")  ratio replay/play ${(median(times.kplayReplay) / median(times.kplayPlay)).toFixed(2)}`,
);
console.log(
  `validate+plan, corpus:  ${perFile.toFixed(2)} ms per file over ${sources.length} files`,
);

// Start-up: what a user waits for before kplay does anything. The release build (dist/kplay,
// bytecode) beside a plain `bun build --compile` of the same source (bench.sh builds it) and
// `podman --version`, alternating; nothing here talks to Podman.
const plain = process.env.KPLAY_BENCH_PLAIN ?? "";
const startupRounds = 31;
const starts = {
  podman: ["podman", "--version"],
  "release --help": [join(root, "dist/kplay"), "--help"],
  "plain --help": [plain, "--help"],
  "release validate": [join(root, "dist/kplay"), "validate", file],
  "plain validate": [plain, "validate", file],
};
const startup = new Map<string, number[]>(Object.keys(starts).map((name) => [name, []]));
for (let i = 0; i < startupRounds; i++) {
  for (const [name, cmd] of Object.entries(starts)) {
    startup.get(name)?.push(run(cmd, name === "podman" ? podmanEnv : process.env));
  }
}
const at = (name: string) => median(startup.get(name) ?? []);
const vsPodman = (name: string) =>
  `${ms(at(name))} (${(at(name) / at("podman")).toFixed(2)}x podman)`;
console.log(`start-up, ${startupRounds} rounds:  podman --version ${ms(at("podman"))}`);
for (const [what, label] of [
  ["--help", "kplay --help:"],
  ["validate", "kplay validate pod:"],
]) {
  console.log(
    `  ${label?.padEnd(20)} release ${vsPodman(`release ${what}`)}  plain compile ${vsPodman(`plain ${what}`)}  ratio release/plain ${(at(`release ${what}`) / at(`plain ${what}`)).toFixed(2)}`,
  );
}
