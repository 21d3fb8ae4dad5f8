/** Image references as the kubelet (and Podman) parse them: what the API server lets through. */
import { describe, expect, test } from "bun:test";
import { imageReferenceProblem } from "../../src/plan/image-reference.ts";

const VALID = [
  "busybox",
  "localhost/busybox:test",
  "library/nginx:1.25",
  "registry.k8s.io/pause:3.9",
  "gcr.io/google_containers/echoserver:1.10",
  "quay.io/a__b/c-d.e:v1.2_3-rc.1",
  "localhost:5000/app",
  "localhost:5000",
  "[::1]:5000/app:latest",
  "192.168.1.10:5000/team/app",
  "Registry.Example.COM/app",
  "my--app",
  `nginx@sha256:${"a".repeat(64)}`,
  `nginx:1.25@sha256:${"A".repeat(64)}`,
  `app:${"t".repeat(128)}`,
];

const INVALID = [
  "my image",
  "MyImage",
  "library/Nginx",
  "nginx:",
  "nginx:.tag",
  `app:${"t".repeat(129)}`,
  "-nginx",
  "nginx-",
  "a.-b",
  "a//b",
  "/nginx",
  "nginx/",
  "nginx@sha256:abc",
  "nginx@sha256",
  `nginx@:${"a".repeat(64)}`,
  "localhost:port/app",
  "exa_mple.com/app",
  "[::1/app",
  "a".repeat(256),
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  "ña",
];

describe("imageReferenceProblem", () => {
  for (const image of VALID)
    test(`${JSON.stringify(image.slice(0, 40))} is a reference`, () => {
      expect(imageReferenceProblem(image)).toBeUndefined();
    });
  for (const image of INVALID)
    test(`${JSON.stringify(image.slice(0, 40))} is not`, () => {
      expect(imageReferenceProblem(image)).toBeString();
    });
  test("linear on long hostile input", () => {
    const started = performance.now();
    imageReferenceProblem(`${"a-".repeat(200_000)}!`);
    imageReferenceProblem(`a:${"_".repeat(400_000)}`);
    imageReferenceProblem(`a@sha256:${"f".repeat(400_000)}`);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
