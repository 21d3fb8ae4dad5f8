import { describe, expect, test } from "bun:test";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.ts";
import {
  diagnosticToJson,
  renderDiagnostic,
  renderDiagnostics,
} from "../../src/diagnostics/render.ts";

const text = "spec:\n  ports:\n    - hostPort: 70000\n";
const offset = text.indexOf("70000");
const diagnostic: Diagnostic = {
  code: "port-range",
  severity: "error",
  message: "spec.containers[0].ports[0].hostPort: 70000 is out of range (1-65535)",
  path: "spec.containers[0].ports[0].hostPort",
  span: { file: "pod.yaml", line: 3, column: 17, offset, endOffset: offset + 5 },
  hint: "Use a port between 1 and 65535",
};

describe("renderDiagnostic", () => {
  test("location, code, message, source line, caret under the value, hint", () => {
    expect(renderDiagnostic(diagnostic, text, { color: false })).toBe(
      [
        "pod.yaml:3:17: error[port-range]: spec.containers[0].ports[0].hostPort: 70000 is out of range (1-65535)",
        "    - hostPort: 70000",
        "                ^^^^^",
        "  hint: Use a port between 1 and 65535",
      ].join("\n"),
    );
  });

  test("without the text, no frame; without a span, no location", () => {
    expect(renderDiagnostic(diagnostic, undefined, { color: false }).split("\n")).toHaveLength(2);
    const { span: _, ...bare } = diagnostic;
    expect(renderDiagnostic(bare, text, { color: false }).split("\n")[0]).toBe(
      "error[port-range]: spec.containers[0].ports[0].hostPort: 70000 is out of range (1-65535)",
    );
  });

  test("the caret stops at the end of the line and keeps tabs for alignment", () => {
    const tabbed = "a:\n\tb: [1,\n 2]\n";
    const d: Diagnostic = {
      code: "x",
      severity: "warning",
      message: "m",
      span: { file: "f", line: 2, column: 5, offset: 7, endOffset: 14 },
    };
    expect(renderDiagnostic(d, tabbed, { color: false })).toBe(
      "f:2:5: warning[x]: m\n\tb: [1,\n\t   ^^^",
    );
  });

  test("colour only when asked", () => {
    expect(renderDiagnostic(diagnostic, text, { color: false })).not.toContain("\x1b[");
    const coloured = renderDiagnostic(diagnostic, text, { color: true });
    expect(coloured).toContain("\x1b[31merror[port-range]\x1b[0m");
    const ESC = String.fromCharCode(27);
    expect(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "")).toBe(
      renderDiagnostic(diagnostic, text, { color: false }),
    );
  });

  test("renderDiagnostics separates diagnostics with a blank line and finds each file's text", () => {
    const other: Diagnostic = { code: "y", severity: "warning", message: "n" };
    const out = renderDiagnostics([diagnostic, other], new Map([["pod.yaml", text]]), {
      color: false,
    });
    expect(out.split("\n\n")).toHaveLength(2);
    expect(out).toContain("    - hostPort: 70000");
  });
});

describe("diagnosticToJson", () => {
  test("a fixed shape with null for absent values", () => {
    expect(diagnosticToJson(diagnostic)).toEqual({
      code: "port-range",
      severity: "error",
      message: "spec.containers[0].ports[0].hostPort: 70000 is out of range (1-65535)",
      file: "pod.yaml",
      line: 3,
      column: 17,
      path: "spec.containers[0].ports[0].hostPort",
      hint: "Use a port between 1 and 65535",
    });
    expect(diagnosticToJson({ code: "c", severity: "warning", message: "m" })).toEqual({
      code: "c",
      severity: "warning",
      message: "m",
      file: null,
      line: null,
      column: null,
      path: null,
      hint: null,
    });
  });
});
