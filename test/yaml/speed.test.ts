/**
 * Linear time: a file of 2000 Pods (~1 MB) decodes in under 100 ms on an idle machine, and
 * 16 MiB of each hostile single-document shape (a huge mapping or list, deep flow nesting,
 * long scalars) in a fraction of a second. The bounds below leave room for a busy 2-core CI
 * whose memory is slow to grow; the timings are printed.
 */
import { expect, test } from "bun:test";
import { decodeYamlText } from "../../src/manifest/yaml/index.ts";

const pod = (i: number) => `---
apiVersion: v1
kind: Pod
metadata:
  name: web-${i}
  labels: {app: web, tier: "frontend", index: "${i}"}
spec:
  containers:
    - name: web
      image: localhost/busybox:test
      command: ["sh", "-c", "echo hello && sleep 3600"]
      ports:
        - containerPort: 8080
          hostPort: ${10000 + i}
      env:
        - name: MODE
          value: production
      resources:
        limits: {cpu: 500m, memory: 128Mi}
`;

function timed(text: string): { ms: number; documents: number } {
  decodeYamlText(text.slice(0, 10_000));
  const t0 = performance.now();
  const r = decodeYamlText(text);
  return { ms: performance.now() - t0, documents: r.documents.length };
}

test("2000 Pods (~1 MB) decode in well under 100 ms", () => {
  const text = Array.from({ length: 2000 }, (_, i) => pod(i)).join("");
  const best = Math.min(...[0, 1, 2].map(() => timed(text).ms));
  const { documents } = timed(text);
  console.log(`speed: 2000 pods, ${(text.length / 1e6).toFixed(2)} MB: ${best.toFixed(1)} ms`);
  expect(documents).toBe(2000);
  expect(best).toBeLessThan(250);
});

test("16 MiB inputs decode in bounded time", () => {
  const size = 16 * 1024 * 1024;
  const shapes: Record<string, string> = {
    "key lines": "k: 1\n".repeat(size / 5),
    "list items": "- a\n".repeat(size / 4),
    "flow list": `[${"1,".repeat(size / 2)}]\n`,
    "[ nesting": "[".repeat(size),
    "long plain scalar": `a: ${"x".repeat(size)}\n`,
    "long quoted scalar": `a: "${"x ".repeat(size / 2)}"\n`,
  };
  for (const [name, text] of Object.entries(shapes)) {
    const { ms } = timed(text);
    console.log(`speed: 16 MiB of ${name}: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000);
  }
}, 60_000);
