/**
 * The Kubernetes oracle: `k8s-oracle/main.go` built against Debian's gopkg.in/yaml.v2 and
 * sigs.k8s.io/yaml, cached under `.tmp/` by a hash of its source, and run on batches of
 * inputs. Where Go or the packages are missing (and apt cannot bring them) the oracle is
 * unavailable and says why, so a differential test can skip instead of failing.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const source = join(import.meta.dir, "k8s-oracle", "main.go");
const GOPATH = "/usr/share/gocode";
const PACKAGES = ["golang-go", "golang-gopkg-yaml.v2-dev", "golang-k8s-sigs-yaml-dev"];

/** What kubectl makes of one input. */
export interface OracleResult {
  /** Each document's JSON text, in order (chunks that decode to null are left out). */
  readonly docs: string[];
  /** Why kubectl refuses the input, if it does. */
  readonly error?: string;
  /** YAMLToJSONStrict's error (duplicate keys, merge collisions), or a JSON duplicate key. */
  readonly strict?: string;
  /** Distinct YAML keys that become one JSON key (then Go's map order picks a value). */
  readonly collision?: string;
}

/** The oracle, or why there is none here. */
export type Oracle =
  | { readonly ok: true; run(inputs: readonly Uint8Array[]): OracleResult[] }
  | { readonly ok: false; readonly reason: string };

/** Builds (or reuses) the oracle binary; installs the Go packages with apt when root. */
export function loadOracle(): Oracle {
  const missing = missingPackages();
  if (missing.length > 0) {
    const installed = installPackages(missing);
    if (installed !== undefined) return { ok: false, reason: installed };
  }
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 16);
  const dir = join(root, ".tmp", "k8s-oracle-build");
  const binary = join(dir, `k8s-oracle-${hash}`);
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const built = spawnSync("go", ["build", "-o", binary, "."], {
      cwd: join(import.meta.dir, "k8s-oracle"),
      env: {
        ...process.env,
        GO111MODULE: "off",
        GOPATH,
        GOCACHE: join(dir, "gocache"),
        GOFLAGS: "",
      },
      encoding: "utf8",
    });
    if (built.status !== 0)
      return { ok: false, reason: `go build of the oracle failed: ${built.stderr || built.error}` };
  }
  return { ok: true, run: (inputs) => runOracle(binary, inputs) };
}

function runOracle(binary: string, inputs: readonly Uint8Array[]): OracleResult[] {
  const parts: Uint8Array[] = [];
  for (const input of inputs) {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, input.length);
    parts.push(header, input);
  }
  const ran = spawnSync(binary, [], { input: Buffer.concat(parts), maxBuffer: 1 << 30 });
  if (ran.status !== 0) throw new Error(`k8s-oracle failed: ${ran.stderr?.toString()}`);
  const lines = ran.stdout.toString("utf8").split("\n");
  const results: OracleResult[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const line = lines[i];
    if (line === undefined) throw new Error(`k8s-oracle answered ${i} of ${inputs.length} inputs`);
    results.push(parseLine(line));
  }
  return results;
}

/** One answer line; each document stays JSON text, to be parsed keeping big integers. */
function parseLine(line: string): OracleResult {
  const raw = JSON.parse(line) as {
    error?: string;
    strict?: string;
    collision?: string;
  };
  // The documents are re-cut from the line itself: JSON.parse would round big integers.
  return {
    docs: splitDocs(line),
    ...(raw.error === undefined ? {} : { error: raw.error }),
    ...(raw.strict === undefined ? {} : { strict: raw.strict }),
    ...(raw.collision === undefined ? {} : { collision: raw.collision }),
  };
}

/** The raw texts of the `docs` array of an answer line (`{"docs":[...],...}`). */
function splitDocs(line: string): string[] {
  const start = line.indexOf("[") + 1;
  const docs: string[] = [];
  let depth = 0;
  let inString = false;
  let from = start;
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (depth === 0) {
        if (i > from) docs.push(line.slice(from, i));
        break;
      }
      depth--;
    } else if (c === "," && depth === 0) {
      docs.push(line.slice(from, i));
      from = i + 1;
    }
  }
  return docs;
}

function missingPackages(): string[] {
  const missing: string[] = [];
  if (spawnSync("go", ["version"]).status !== 0) missing.push("golang-go");
  if (!existsSync(join(GOPATH, "src/gopkg.in/yaml.v2/decode.go")))
    missing.push("golang-gopkg-yaml.v2-dev");
  if (!existsSync(join(GOPATH, "src/sigs.k8s.io/yaml/yaml.go")))
    missing.push("golang-k8s-sigs-yaml-dev");
  return missing;
}

/** Installs the packages with apt; returns why the oracle is unavailable if it cannot. */
function installPackages(missing: string[]): string | undefined {
  const names = PACKAGES.filter((p) => missing.includes(p) || p === "golang-go");
  if (process.getuid?.() !== 0)
    return `the Kubernetes oracle needs ${missing.join(", ")} (apt-get install -y ${names.join(" ")}), and this user is not root`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-qq", ...names], { env, encoding: "utf8" });
  let done = install();
  if (done.status !== 0) {
    spawnSync("apt-get", ["update", "-qq"], { env });
    done = install();
  }
  if (done.status !== 0) return `apt-get install ${names.join(" ")} failed: ${done.stderr}`;
  const still = missingPackages();
  return still.length === 0 ? undefined : `still missing after apt-get: ${still.join(", ")}`;
}
