/** One run reports every problem: validation errors in one file, planner refusals in another. */
import { expect, test } from "bun:test";
import type { CliIo } from "../../src/cli/io.ts";
import { checkInputs } from "../../src/cli/load.ts";
import { memoryInputs } from "../support/inputs.ts";

const files: Record<string, string> = {
  "/in/bad.yaml":
    "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: a, image: i, imagePulPolicy: Never}]\n",
  "/in/refused.yaml":
    "apiVersion: v1\nkind: Pod\nmetadata: {name: r}\nspec:\n  containers:\n    - name: a\n      image: i\n      volumeMounts: [{name: v, mountPath: /v, subPath: ../x}]\n  volumes: [{name: v, emptyDir: {}}]\n",
};

const io: CliIo = {
  env: {},
  cwd: "/in",
  stdoutIsTTY: false,
  stderrIsTTY: false,
  stdout: () => {},
  stderr: () => {},
  inputs: memoryInputs(files),
  signal: new AbortController().signal,
};

test("validation errors do not hide the planner's refusals of other files", async () => {
  const checked = await checkInputs(io, ["bad.yaml", "refused.yaml"], { strict: false });
  expect(checked.diagnostics.map((d) => `${d.span?.file}:${d.span?.line} ${d.code}`)).toEqual([
    "bad.yaml:5 unknown-field",
    "refused.yaml:8 unsafe-sub-path",
  ]);
  expect(checked.state.objects).toEqual([]);
});
