/**
 * Keys and values that are Object.prototype's names (`constructor`, `__proto__`, `toString`,
 * ...) once crashed the field walk and the quantity parser, and a `__proto__` env var or a
 * `constructor` label vanished from the plan. The class, not the cases: each name is put as
 * a key into every mapping of every golden plan fixture, and as a quantity suffix into every
 * scalar, and the whole pipeline (load, planner checks, plan) must answer with diagnostics or
 * a plan, never a throw; where the key is the user's (labels, annotations, env names), the
 * plan must carry it.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { isDiagnosticCode } from "../../src/diagnostics/codes.ts";
import { hasErrors } from "../../src/diagnostics/diagnostic.ts";
import { loadManifests } from "../../src/manifest/index.ts";
import { checkPlannable } from "../../src/plan/index.ts";
import { planOf, stateOf } from "../support/plan.ts";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty"];
const dir = join(import.meta.dir, "../../fixtures/plan");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a mapping (`[]` is the document itself) and to a scalar. */
function paths(
  value: Json,
  at: (string | number)[] = [],
  out = { maps: [], scalars: [] } as {
    maps: (string | number)[][];
    scalars: (string | number)[][];
  },
) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...at, i], out);
  } else if (value !== null && typeof value === "object") {
    out.maps.push(at);
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  } else out.scalars.push(at);
  return out;
}

/** A deep copy of `doc` with `edit` applied to the node at `path`. */
function edited(doc: Json, path: (string | number)[], edit: (node: Json) => Json): Json {
  if (path.length === 0) return edit(doc);
  const [step, ...rest] = path;
  if (Array.isArray(doc)) return doc.map((v, i) => (i === step ? edited(v, rest, edit) : v));
  const obj = doc as Record<string, Json>;
  const out: Record<string, Json> = Object.create(null);
  for (const [k, v] of Object.entries(obj)) out[k] = k === step ? edited(v, rest, edit) : v;
  return out;
}

/** Runs the pipeline on YAML text; returns the plan's JSON or undefined, throwing on a bug. */
function run(text: string): { json?: string; errors: boolean } {
  const loaded = loadManifests([
    { name: "p.yaml", dir: "/work", bytes: new TextEncoder().encode(text) },
  ]);
  for (const d of loaded.diagnostics) expect(isDiagnosticCode(d.code)).toBe(true);
  const refusals = checkPlannable(stateOf(loaded));
  if (hasErrors(loaded.diagnostics) || refusals.length > 0) return { errors: true };
  return { json: JSON.stringify(planOf(loaded)), errors: false };
}

/** JSON is YAML (flow style), and much cheaper to write than block YAML. */
function asText(docs: readonly Json[]): string {
  return docs.map((d) => JSON.stringify(d)).join("\n---\n");
}

function docsOf(file: string): Json[] {
  return parseAllDocuments(readFileSync(join(dir, file), "utf8")).map((d) => d.toJS() as Json);
}

describe.each(fixtures)("%s", (file) => {
  const docs = docsOf(file);
  test("each name as a key in every mapping, and as a quantity suffix in every scalar", () => {
    let runs = 0;
    docs.forEach((doc, d) => {
      const { maps, scalars } = paths(doc);
      const texts: string[] = [];
      for (const name of NAMES) {
        for (const at of maps) {
          for (const value of name === "constructor" ? ["x", { [name]: "1" } as Json] : ["x"]) {
            const copy = edited(doc, at, (node) => {
              const out = edited(node, [], (n) => n) as Record<string, Json>;
              Object.defineProperty(out, name, { value, enumerable: true, writable: true });
              return out;
            });
            texts.push(asText(docs.map((x, i) => (i === d ? copy : x))));
          }
        }
        for (const at of scalars)
          texts.push(asText(docs.map((x, i) => (i === d ? edited(doc, at, () => `1${name}`) : x))));
      }
      for (const text of texts) {
        run(text);
        runs++;
      }
    });
    expect(runs).toBeGreaterThan(0);
  });
});

test("user keys named like prototype members reach the plan", () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {constructor: a, toString: b, valueOf: c, hasOwnProperty: d, prototype: e}
  annotations: {constructor: a, toString: b}
spec:
  containers:
    - name: c
      image: localhost/busybox:test
      env:
        - {name: __proto__, value: "1"}
        - {name: constructor, value: "2"}
        - {name: toString, value: "3"}
`;
  const { json, errors } = run(text);
  expect(errors).toBe(false);
  const plan = JSON.parse(json ?? "{}") as {
    objects: {
      pods: { steps: { action: string; request?: { body?: Record<string, unknown> } }[] }[];
    }[];
  };
  const steps = plan.objects[0]?.pods[0]?.steps ?? [];
  const pod = steps.find((s) => s.action === "create-pod")?.request?.body ?? {};
  const container = steps.find((s) => s.action === "create-container")?.request?.body ?? {};
  expect(Object.keys(pod.labels as object)).toEqual(
    expect.arrayContaining(["constructor", "toString", "valueOf", "hasOwnProperty", "prototype"]),
  );
  expect(container.env).toEqual(
    JSON.parse('{"__proto__": "1", "constructor": "2", "toString": "3"}'),
  );
  expect(Object.keys(container.annotations as object)).toEqual(["constructor", "toString"]);
});
