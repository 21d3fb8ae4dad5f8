/** docs/kubernetes-support.md is generated from the support table and must stay in step. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { renderSupportDoc, SUPPORT_DOC_PATH } from "../../scripts/gen-support-doc.ts";

test("the committed support doc is what the support table generates", () => {
  // On failure: run `bun scripts/gen-support-doc.ts` and commit the result.
  expect(readFileSync(SUPPORT_DOC_PATH, "utf8")).toBe(renderSupportDoc());
});

test("the support doc covers the fields the issues name", () => {
  const doc = renderSupportDoc();
  for (const row of [
    "| `nodeSelector` | ⚪ ignored (warning)",
    "| `hostPort` | ✅ supported",
    "| `subPath` | ✅ supported",
  ]) {
    expect(doc).toContain(row);
  }
});
