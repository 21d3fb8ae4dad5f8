/**
 * The numbers behind scripts/bench.sh (`npm run bench`): every figure of issue 12, each with
 * its ratio, its goal and whether this run met it. Commands are run alternately (kplay, then
 * the reference, round after round) so machine noise hits both alike; each figure is the
 * median of its rounds, with min and max. Nothing here asserts: it prints.
 *
 * Usage (through bench.sh, which starts an isolated Podman and builds dist/kplay):
 *   bench.ts [ROUNDS]   ROUNDS of each play figure (default 5); start-up runs 4×, scale 1×
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedPods } from "../test/support/generated-pods.ts";

const root = join(import.meta.dir, "..");
const url = process.env.KPLAY_BENCH_URL ?? "";
const dir = process.env.KPLAY_BENCH_DIR ?? "";
const rounds = Number(process.argv[2] ?? 5);
if (!url || !dir) throw new Error("run through scripts/bench.sh");
const work = mkdtempSync(join(tmpdir(), "kplay-bench-"));

// ---------------------------------------------------------------------------------------
// Inputs

const container = (name: string, command: string) => `    - name: ${name}
      image: localhost/busybox:test
      imagePullPolicy: Never
      command: ${command}
`;
/** A two-container pod: a web server and a sidecar, as in most apps. */
const podSpec = (indent: string, ports = "") =>
  `terminationGracePeriodSeconds: 0
containers:
${container("web", '["httpd", "-f", "-p", "8080"]')}${ports}${container("side", '["sleep", "3600"]')}`
    .split("\n")
    .map((l) => (l === "" ? l : indent + l))
    .join("\n");
const pod = (name: string, ports = "") => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: bench}
spec:
${podSpec("  ", ports)}`;

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}
const onePod = write(
  "pod.yaml",
  pod("bench", "      ports: [{containerPort: 8080, hostPort: 18999, hostIP: 127.0.0.1}]\n"),
);
const tenPods = write(
  "pods-10.yaml",
  Array.from({ length: 10 }, (_, i) => pod(`bench-${i}`)).join(""),
);
const deployment = write(
  "deployment.yaml",
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bench-deploy
spec:
  replicas: 10
  selector: {matchLabels: {app: bench-deploy}}
  template:
    metadata: {labels: {app: bench-deploy}}
    spec:
${podSpec("      ")}`,
);
/** N pods as a generator or `helm template` writes them: ~500 bytes each. */
const generated = (n: number) => write(`pods-${n}.yaml`, generatedPods(n));

// ---------------------------------------------------------------------------------------
// Running and measuring

const podmanArgs = ["--root", join(dir, "root"), "--runroot", join(dir, "run")];
podmanArgs.push("--tmpdir", join(dir, "tmp"));
const podmanEnv: Record<string, string | undefined> = {
  ...process.env,
  CONTAINERS_CONF: process.env.KPLAY_CONTAINERS_CONF ?? "",
};
delete podmanEnv.CONTAINER_HOST;
delete podmanEnv.CONTAINER_CONNECTION;
/** KPLAY_BENCH_BIN: another build to measure (e.g. an older commit's, for a before/after). */
const kplayBin = process.env.KPLAY_BENCH_BIN || join(root, "dist/kplay");
const kplay = (...args: string[]) => [kplayBin, "--url", url, ...args];
const podman = (...args: string[]) => ["podman", ...podmanArgs, ...args];

interface Run {
  readonly ms: number;
  readonly rssBytes: number;
  readonly exitCode: number;
}
function run(cmd: string[], options: { check?: boolean } = {}): Run {
  const env = cmd[0] === "podman" ? podmanEnv : process.env;
  const start = performance.now();
  const r = Bun.spawnSync(cmd, { env, stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - start;
  if (r.exitCode !== 0 && options.check !== false)
    throw new Error(`${cmd.join(" ")} failed (exit ${r.exitCode}): ${r.stderr.toString()}`);
  return { ms, rssBytes: r.resourceUsage?.maxRSS ?? 0, exitCode: r.exitCode ?? -1 };
}

class Sample {
  readonly values: number[] = [];
  add(x: number): void {
    this.values.push(x);
  }
  get median(): number {
    const xs = [...this.values].sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)] ?? Number.NaN;
  }
  get min(): number {
    return Math.min(...this.values);
  }
  get max(): number {
    return Math.max(...this.values);
  }
  describe(unit = "ms"): string {
    const f = (x: number) => (unit === "ms" ? x.toFixed(x < 100 ? 1 : 0) : x.toFixed(0));
    return `${f(this.median)} ${unit} (${f(this.min)}–${f(this.max)})`;
  }
}

const verdicts: { target: string; met: boolean }[] = [];
function figure(label: string, value: number, goal: number, detail: string, unit = "×"): void {
  const met = value <= goal;
  verdicts.push({ target: label, met });
  const shown =
    unit === "×" ? `${value.toFixed(2)}×` : `${value.toFixed(unit === "ms" ? 3 : 0)} ${unit}`;
  console.log(
    `  ${label.padEnd(44)} ${shown.padStart(9)}  goal ≤ ${goal}${unit === "×" ? "×" : ` ${unit}`}  ${met ? "met" : "NOT met"}`,
  );
  console.log(`      ${detail}`);
}

// ---------------------------------------------------------------------------------------
// Start-up: what a user waits for before kplay does anything; nothing talks to Podman.

const startupRounds = Math.max(21, rounds * 4 + 1);
const plain = process.env.KPLAY_BENCH_PLAIN ?? "";
const starts: Record<string, string[]> = {
  "podman --version": ["podman", "--version"],
  "kplay --help": [kplayBin, "--help"],
  "kplay validate pod.yaml": [kplayBin, "validate", onePod],
  ...(plain
    ? { "plain --help": [plain, "--help"], "plain validate": [plain, "validate", onePod] }
    : {}),
};
const startup = new Map(Object.keys(starts).map((k) => [k, new Sample()]));
for (let i = 0; i < startupRounds; i++)
  for (const [name, cmd] of Object.entries(starts)) startup.get(name)?.add(run(cmd).ms);
const s = (name: string) => startup.get(name) ?? new Sample();
console.log(
  `kplay bench: ${rounds} rounds per play figure, medians (min–max); ratios are what travel`,
);
console.log(
  `\nstart-up (${startupRounds} alternating rounds; podman --version ${s("podman --version").describe()})`,
);
figure(
  "kplay --help vs podman --version",
  s("kplay --help").median / s("podman --version").median,
  0.7,
  `kplay --help ${s("kplay --help").describe()}`,
);
figure(
  "kplay validate pod.yaml vs podman --version",
  s("kplay validate pod.yaml").median / s("podman --version").median,
  1.0,
  `kplay validate ${s("kplay validate pod.yaml").describe()}`,
);
if (plain)
  console.log(
    `      (a plain \`bun build --compile\` of the same source: --help ${s("plain --help").describe()}, validate ${s("plain validate").describe()})`,
  );

// ---------------------------------------------------------------------------------------
// Scale: one generated file of N pods, validated and planned offline.

const files = { 1: generated(1), 1000: generated(1000), 2000: generated(2000) } as const;
const scaleRounds = Math.max(3, rounds);
const plan = { 1: new Sample(), 1000: new Sample(), 2000: new Sample() };
const validate = { 1000: new Sample(), 2000: new Sample() };
let rss2000 = 0;
let accepted = true;
for (let i = 0; i < scaleRounds; i++) {
  for (const n of [1, 1000, 2000] as const) {
    const r = run([kplayBin, "plan", files[n]], { check: false });
    if (r.exitCode !== 0) accepted = false;
    plan[n].add(r.ms);
    if (n === 2000) rss2000 = Math.max(rss2000, r.rssBytes);
  }
  for (const n of [1000, 2000] as const) {
    const r = run([kplayBin, "validate", files[n]], { check: false });
    if (r.exitCode !== 0) accepted = false;
    validate[n].add(r.ms);
  }
}
const perPod = (n: 1000 | 2000) => (plan[n].median - plan[1].median) / (n - 1);
console.log(
  `\nscale (${scaleRounds} rounds; kplay plan of one file of N two-container pods, ~${Math.round(statSync(files[1000]).size / 1000)} KB per 1000; plan of 1 pod ${plan[1].describe()})`,
);
verdicts.push({ target: "a file of 1000 Pods and one of 2000 are accepted", met: accepted });
console.log(
  `  ${"1000 and 2000 Pods accepted (validate, plan)".padEnd(44)} ${(accepted ? "yes" : "no").padStart(9)}  goal yes  ${accepted ? "met" : "NOT met"}`,
);
console.log(`      validate 1000 ${validate[1000].describe()}, 2000 ${validate[2000].describe()}`);
figure(
  "validate + plan per pod beyond start-up",
  Math.max(perPod(1000), perPod(2000)),
  0.25,
  `plan 1000 ${plan[1000].describe()} → ${perPod(1000).toFixed(3)} ms/pod; 2000 ${plan[2000].describe()} → ${perPod(2000).toFixed(3)} ms/pod (worst shown)`,
  "ms",
);
figure(
  "plan of 2000 pods vs plan of 1000",
  plan[2000].median / plan[1000].median,
  2.2,
  `${plan[2000].describe()} vs ${plan[1000].describe()}`,
);
figure(
  "max RSS of plan of 2000 pods",
  rss2000 / 1e6,
  200,
  `maximum resident set of the kplay process over ${scaleRounds} runs`,
  "MB",
);

// ---------------------------------------------------------------------------------------
// Play, against `podman kube play` on the same isolated Podman.

// One warm-up of each: the first pod builds Podman's pause image.
run(kplay("play", onePod));
run(kplay("down", onePod));
run(podman("kube", "play", onePod));
run(podman("kube", "down", onePod));

const t = {
  onePlay: new Sample(),
  onePodman: new Sample(),
  tenPlay: new Sample(),
  tenPodman: new Sample(),
  tenReplay: new Sample(),
  tenDown: new Sample(),
  tenPodmanDown: new Sample(),
  deployPlay: new Sample(),
};
for (let i = 0; i < rounds; i++) {
  t.onePlay.add(run(kplay("play", onePod)).ms);
  run(kplay("down", onePod));
  t.onePodman.add(run(podman("kube", "play", onePod)).ms);
  run(podman("kube", "down", onePod));

  t.tenPlay.add(run(kplay("play", tenPods)).ms);
  t.tenReplay.add(run(kplay("play", tenPods)).ms);
  t.tenDown.add(run(kplay("down", tenPods)).ms);
  t.tenPodman.add(run(podman("kube", "play", tenPods)).ms);
  t.tenPodmanDown.add(run(podman("kube", "down", tenPods)).ms);

  t.deployPlay.add(run(kplay("play", deployment)).ms);
  run(kplay("down", deployment));
}
console.log(`\nplay (${rounds} alternating rounds; busybox pods, imagePullPolicy: Never)`);
figure(
  "play 1 pod × 2 containers vs podman kube play",
  t.onePlay.median / t.onePodman.median,
  0.8,
  `kplay ${t.onePlay.describe()}, podman kube play ${t.onePodman.describe()}`,
);
figure(
  "play 10 pods × 2 containers vs podman kube play",
  t.tenPlay.median / t.tenPodman.median,
  0.5,
  `kplay ${t.tenPlay.describe()}, podman kube play ${t.tenPodman.describe()}`,
);
figure(
  "Deployment of 10 replicas vs podman, 10 Pods",
  t.deployPlay.median / t.tenPodman.median,
  0.5,
  `kplay ${t.deployPlay.describe()}, podman kube play of ten Pods ${t.tenPodman.describe()}`,
);
figure(
  "down of 10 pods vs podman kube down",
  t.tenDown.median / t.tenPodmanDown.median,
  0.3,
  `kplay down ${t.tenDown.describe()}, podman kube down ${t.tenPodmanDown.describe()}`,
);
figure(
  "unchanged re-play of 10 pods vs their play",
  t.tenReplay.median / t.tenPlay.median,
  0.1,
  `re-play ${t.tenReplay.describe()} (podman kube play refuses: "pod already exists"), play ${t.tenPlay.describe()}`,
);

// ---------------------------------------------------------------------------------------
// The corpus, offline, in this process: the cost of validate + plan per real-world file.

const corpus = join(root, "../shared/corpus");
const corpusFiles: string[] = [];
const walk = (d: string) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith(".yaml") || f.endsWith(".yml")) corpusFiles.push(p);
  }
};
try {
  walk(corpus);
} catch {
  // A clone without ../shared has no corpus.
}
if (corpusFiles.length > 0) {
  const { loadManifests } = await import("../src/manifest/index.ts");
  const { planState, checkPlannable } = await import("../src/plan/index.ts");
  const { buildDesiredState } = await import("../src/graph/index.ts");
  const sources = corpusFiles.map((f) => ({ name: f, dir: corpus, bytes: readFileSync(f) }));
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) {
    for (const source of sources) {
      const r = loadManifests([source]);
      const state = buildDesiredState(r.pods, r.objects, {
        digestKey: new Uint8Array(32),
        nonce: "bench",
      });
      if (r.pods.length + r.objects.length > 0 && checkPlannable(state).length === 0)
        planState(state);
    }
  }
  const perFile = (performance.now() - t0) / (5 * sources.length);
  console.log(
    `\ncorpus (in-process, no target): validate+plan ${perFile.toFixed(2)} ms per file over ${sources.length} files`,
  );
}

const met = verdicts.filter((v) => v.met).length;
console.log(`\ntargets met: ${met} of ${verdicts.length}`);
for (const v of verdicts) console.log(`  ${v.met ? "met    " : "NOT met"}  ${v.target}`);
