import { describe, expect, test } from "bun:test";
import { loadManifests } from "../../src/manifest/index.ts";
import { brief, loadText, podWith } from "./helpers.ts";

describe("loadManifests", () => {
  test("a valid Pod comes back typed, with nothing reported", () => {
    const result = loadText(podWith("ports:\n  - containerPort: 80\n    hostPort: 8080"));
    expect(result.diagnostics).toEqual([]);
    expect(result.pods).toHaveLength(1);
    const [doc] = result.pods;
    expect(doc?.pod.spec.containers[0]?.ports).toEqual([{ containerPort: 80, hostPort: 8080 }]);
    expect(doc?.file).toBe("pod.yaml");
    expect(doc?.dir).toBe("/work");
    expect(doc?.documentIndex).toBe(0);
    expect(result.texts.get("pod.yaml")).toContain("hostPort: 8080");
  });

  test("locate points at a value, file-absolute in a later document", () => {
    const text = `${podWith("")}---\n${podWith("ports:\n  - containerPort: 80").replace("name: web\nspec", "name: two\nspec")}`;
    const result = loadText(text);
    expect(result.diagnostics).toEqual([]);
    const second = result.pods[1];
    expect(second?.documentIndex).toBe(1);
    const span = second?.locate(["spec", "containers", 0, "ports", 0, "containerPort"]);
    expect(span).toMatchObject({ file: "pod.yaml", line: 20, column: 26 });
    expect(span && text.slice(span.offset, span.endOffset)).toBe("80");
  });

  test("locate follows merge keys and List items: a merged key is where the << entry is", () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web}
    spec:
      containers:
        - &base {name: one, image: busybox}
        - <<: *base
          name: two
`;
    const result = loadText(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.pods[0]?.pod.spec.containers[1]).toEqual({ name: "two", image: "busybox" });
    expect(result.pods[0]?.locate(["spec", "containers", 1, "image"])).toMatchObject({
      line: 10,
      column: 11,
    });
    expect(result.pods[0]?.locate(["spec", "containers", 1, "name"])).toMatchObject({
      line: 11,
      column: 17,
    });
  });

  test("every problem of every document and file is collected, in input order", () => {
    const a = {
      name: "a.yaml",
      dir: "/",
      bytes: new TextEncoder().encode("kind: Pod\napiVersion: v2\n---\n- x\n"),
    };
    const b = {
      name: "b.yaml",
      dir: "/",
      bytes: new TextEncoder().encode(podWith("imagePulPolicy: Always")),
    };
    const result = loadManifests([a, b]);
    expect(result.diagnostics.map((d) => `${d.span?.file} ${brief(d)}`)).toEqual([
      "a.yaml 2:13 bad-api-version apiVersion",
      "a.yaml 4:1 not-kubernetes",
      "b.yaml 9:7 unknown-field spec.containers[0].imagePulPolicy",
    ]);
    expect(result.pods).toEqual([]);
  });

  test("warnings do not block; strict turns them into errors", () => {
    const text = podWith("", "nodeSelector: {disktype: ssd}");
    const lax = loadText(text);
    expect(lax.diagnostics.map(brief)).toEqual(["6:3 ignored-field spec.nodeSelector"]);
    expect(lax.diagnostics[0]?.severity).toBe("warning");
    expect(lax.diagnostics[0]?.message).toBe(
      "spec.nodeSelector is ignored: kplay runs every pod on this host",
    );
    expect(lax.pods).toHaveLength(1);
    const strict = loadText(text, { strict: true });
    expect(strict.diagnostics[0]?.severity).toBe("error");
    expect(strict.pods).toEqual([]);
  });

  test("empty documents are skipped; an input with no object at all is an error", () => {
    const result = loadText(`---\n${podWith("")}---\n---\n# nothing\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.pods).toHaveLength(1);
    for (const text of ["", "---\n---\n# nothing\n"]) {
      expect(loadText(text).diagnostics.map((d) => `${brief(d)} ${d.message}`)).toEqual([
        "1:1 no-objects No Kubernetes objects in pod.yaml: it is empty or only comments",
      ]);
    }
  });

  test("kinds: cluster-only kinds and custom resources are ignored, unknown core kinds are errors", () => {
    const result = loadText(
      [
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: s}",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}",
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m}",
        "apiVersion: v1\nkind: pod",
        "apiVersion: apps/v1\nkind: Deploymnet",
        "apiVersion: extensions/v1beta1\nkind: Deployment",
      ].join("\n---\n"),
    );
    expect(result.diagnostics.map((d) => `${brief(d)} ${d.severity}`)).toEqual([
      "2:7 ignored-kind kind warning",
      "6:7 ignored-kind kind warning",
      "10:7 ignored-kind kind warning",
      "14:7 unknown-kind kind error",
      "17:7 unknown-kind kind error",
      "19:13 bad-api-version apiVersion error",
    ]);
    expect(result.diagnostics[1]?.message).toBe(
      'kind "Role" is ignored: it configures a cluster, and one host running Podman has no use for it',
    );
    expect(result.diagnostics[2]?.message).toBe(
      'kind "ServiceMonitor" of "monitoring.coreos.com/v1" is ignored: it is a custom resource, which only its controller on a cluster acts on',
    );
    expect(result.diagnostics[3]?.hint).toBe('Did you mean "Pod"?');
    expect(result.diagnostics[4]?.hint).toBe('Did you mean "Deployment"?');
    expect(result.diagnostics[5]?.message).toBe(
      'apiVersion "extensions/v1beta1" is wrong for kind "Deployment": expected "apps/v1"',
    );
  });

  test("a number in env value is an error with a hint to quote it", () => {
    const [d] = loadText(podWith("env:\n  - name: PORT\n    value: 3")).diagnostics;
    expect(d && brief(d)).toBe("11:18 type-mismatch spec.containers[0].env[0].value");
    expect(d?.message).toBe("spec.containers[0].env[0].value: expected a string, got 3");
    expect(d?.hint).toBe('Quote the value to make it a string: "3"');
  });

  test("unknown and misplaced fields", () => {
    const text = podWith("imagePulPolicy: Always").replace(
      "  name: web\n",
      "  name: web\n  restartPolicy: Never\n",
    );
    expect(loadText(text).diagnostics.map((d) => `${brief(d)} | ${d.hint}`)).toEqual([
      "5:3 unknown-field metadata.restartPolicy | restartPolicy belongs under spec",
      '10:7 unknown-field spec.containers[0].imagePulPolicy | Did you mean "imagePullPolicy"?',
    ]);
  });

  test("a reference to a Secret the input lacks is an error at the reference, unless optional", () => {
    const [d] = loadText(podWith("envFrom:\n  - secretRef: {name: creds}")).diagnostics;
    expect(d && brief(d)).toBe(
      "10:29 missing-reference spec.containers[0].envFrom[0].secretRef.name",
    );
    expect(d?.message).toBe(
      'spec.containers[0].envFrom[0].secretRef.name: Secret "creds" is not in the input',
    );
    const optional = loadText(podWith("envFrom:\n  - secretRef: {name: creds, optional: true}"));
    expect(optional.diagnostics).toEqual([]);
  });

  test("go-yaml's \\' escape in double quotes is accepted, as Kubernetes accepts it", () => {
    const result = loadText(podWith(`command: ["sh", "-c", "echo \\'hi\\'"]`));
    expect(result.diagnostics).toEqual([]);
    expect(result.pods[0]?.pod.spec.containers[0]?.command).toEqual(["sh", "-c", "echo 'hi'"]);
  });

  test("YAML 1.1 as Kubernetes reads it: timestamps and sexagesimal numbers stay strings", () => {
    const result = loadText(
      `${podWith("")}`.replace(
        "  name: web\n",
        "  name: web\n  annotations: {when: 2024-01-01, at: 1:20}\n",
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.pods[0]?.pod.metadata.annotations).toEqual({ when: "2024-01-01", at: "1:20" });
  });

  test("a Secret's values never appear in a diagnostic", () => {
    const text =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: hunter2\n";
    const result = loadText(text);
    expect(JSON.stringify(result.diagnostics)).not.toContain("hunter2");
  });

  test("ports out of range, duplicate host ports", () => {
    const text = podWith(
      "ports:\n  - containerPort: 80\n    hostPort: 70000\n  - containerPort: 81\n    hostPort: 8080\n  - containerPort: 82\n    hostPort: 8080",
    );
    expect(loadText(text).diagnostics.map(brief)).toEqual([
      "11:21 port-range spec.containers[0].ports[0].hostPort",
      "15:21 duplicate-host-port spec.containers[0].ports[2].hostPort",
    ]);
  });

  // Regression guard: the check across pods once took hostPort 0 for a published port 0.
  test("hostPort 0 publishes nothing, within a pod or across pods", () => {
    const pod = (name: string) =>
      podWith("ports:\n  - containerPort: 80\n    hostPort: 0").replace(
        "name: web\nspec",
        `name: ${name}\nspec`,
      );
    const result = loadText(`${pod("one")}---\n${pod("two")}`);
    expect(result.diagnostics.map(brief)).toEqual([]);
    expect(result.pods.map((p) => p.pod.metadata.name)).toEqual(["one", "two"]);
  });
});
