/** How failures read: user errors plainly, Podman errors with exit 1, real bugs as bugs. */
import { expect, test } from "bun:test";
import { PodPlayFailed } from "../../src/apply/errors.ts";
import { describeFailure } from "../../src/cli/failure.ts";
import { UsageError } from "../../src/cli/io.ts";
import { PodmanApiError } from "../../src/podman/errors.ts";

test("an unexpected error is an internal error: one line, the stack only with --debug", () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
  const plain = describeFailure(bug, false);
  expect(plain).toEqual({
    text: "kplay: internal error, please report it: Cannot read properties of undefined (reading 'x') (run with --debug for details)\n",
    code: 1,
  });
  const debug = describeFailure(bug, true);
  expect(debug.text).toStartWith("kplay: internal error, please report it: Cannot read");
  expect(debug.text).toContain("    at ");
});

test("usage errors exit 2, Podman errors exit 1, an incomplete rollback exits 3", () => {
  expect(describeFailure(new UsageError("No manifest given"), false)).toEqual({
    text: "kplay: No manifest given\n",
    code: 2,
  });
  const api = new PodmanApiError("POST", "/pods/create", 409, "pod already exists");
  expect(describeFailure(api, false)).toEqual({
    text: 'kplay: [POST] "/pods/create": 409 Conflict: pod already exists\n',
    code: 1,
  });
  const partial = new PodPlayFailed(
    "web",
    api,
    ["volume web_data"],
    [{ kind: "pod", name: "web", error: "boom" }],
    false,
  );
  expect(describeFailure(partial, false)).toEqual({
    text: 'kplay: pod "web" failed: [POST] "/pods/create": 409 Conflict: pod already exists\n  rollback incomplete; still present:\n    pod web: boom\n',
    code: 3,
  });
});
