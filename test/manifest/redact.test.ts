/** Secret values never reach a rendered diagnostic, even through its source frame. */
import { describe, expect, test } from "bun:test";
import { renderDiagnostics } from "../../src/diagnostics/render.ts";
import { loadManifests } from "../../src/manifest/index.ts";

function render(text: string): string {
  const r = loadManifests([{ name: "s.yaml", dir: "/", bytes: new TextEncoder().encode(text) }]);
  return renderDiagnostics(r.diagnostics, r.texts, { color: false });
}

describe("secret redaction", () => {
  test("a duplicate key in a Secret's data shows the line masked", () => {
    const out = render(
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aGk=\n  password: c2VjcmV0\n",
    );
    expect(out).toContain("s.yaml:7:3: error[duplicate-key]");
    expect(out).toContain("  password: ********\n  ^^^^^^^^");
    expect(out).not.toContain("c2VjcmV0");
  });

  test("block scalars under stringData and flow-style Secrets are masked too", () => {
    const block = render(
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  cert: |\n    hunter2\n  cert: x\n",
    );
    expect(block).toContain("error[duplicate-key]");
    expect(block).not.toContain("hunter2");
    const flow = render(
      '{\n  apiVersion: "v1",\n  kind: "Secret",\n  data: {\n    password: "c2VjcmV0", password: "x",\n  },\n}\n',
    );
    expect(flow).toContain("error[duplicate-key]");
    expect(flow).not.toContain("c2VjcmV0");
  });

  test("a commented kind line and a one-line JSON Secret are masked too", () => {
    const commented = render(
      "apiVersion: v1\nkind: Secret # db creds\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n  password: hunter3\n",
    );
    expect(commented).toContain("error[duplicate-key]");
    expect(commented).not.toContain("hunter");
    const json = render(
      '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"password": "hunter2", "password": "x"}}\n',
    );
    expect(json).toContain("error[duplicate-key]");
    expect(json).not.toContain("hunter2");
  });

  test("other kinds are shown as written", () => {
    const out = render(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: visible\n  k: again\n",
    );
    expect(out).toContain("  k: again");
  });
});
