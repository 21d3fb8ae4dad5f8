/**
 * imagePullSecrets: the registry credentials of the pod's dockerconfigjson Secrets go with the
 * pull as libpod's X-Registry-Auth (a map of server to credentials). There is no registry
 * here and test traffic stays on this machine, so the proxy answers the pull itself (the
 * request never reaches Podman, which would go out to the registry); what kplay sent, and
 * that no credential shows in its output or its --debug trace, is what is checked.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { cleanupStore, runKplay, snapshotState } from "../support/podman.ts";
import { writeManifest } from "./helpers.ts";

let work: string;
let proxy: FaultProxy;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "kplay-pull-secrets-"));
  proxy = await startFaultProxy();
  await cleanupStore();
});
afterAll(async () => {
  await proxy.close();
  rmSync(work, { recursive: true, force: true });
});

const PASSWORD = `pw-${crypto.randomUUID().slice(0, 8)}`;
const TOKEN_USER = "robot";
const TOKEN_PASSWORD = `tk-${crypto.randomUUID().slice(0, 8)}`;

function manifest(): string {
  const config = {
    auths: {
      "registry.example.com": { username: "dev", password: PASSWORD },
      "https://quay.example.org/v1/": {
        auth: Buffer.from(`${TOKEN_USER}:${TOKEN_PASSWORD}`).toString("base64"),
      },
    },
  };
  return `apiVersion: v1
kind: Secret
metadata:
  name: regcred
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${JSON.stringify(config)}'
---
apiVersion: v1
kind: Pod
metadata:
  name: pulls
spec:
  imagePullSecrets:
    - name: regcred
  containers:
    - name: app
      image: registry.example.com/team/app:1.0
`;
}

test("a pull carries the pod's registry credentials, and nothing prints them", async () => {
  const before = await snapshotState();
  const file = writeManifest(work, "pulls.yaml", manifest());
  const pulled = proxy.inject({
    method: "POST",
    path: "/images/pull",
    action: { kind: "fail", message: "registry.example.com: unauthorized (from the test proxy)" },
  });
  const run = await runKplay(["play", "--debug", "--url", proxy.url, file]);
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toContain(
    '"/images/pull": 500 Internal Server Error: registry.example.com: unauthorized',
  );
  expect(run.stderr).toContain("nothing had been created");
  const seen = await pulled;
  const header = String(seen.headers["x-registry-auth"] ?? "");
  // Go's URLEncoding: the URL-safe alphabet, with padding.
  expect(header).toMatch(/^[A-Za-z0-9_-]+=*$/);
  const decoded = JSON.parse(
    Buffer.from(header.replaceAll("-", "+").replaceAll("_", "/"), "base64").toString("utf8"),
  );
  expect(decoded).toEqual({
    "registry.example.com": { username: "dev", password: PASSWORD },
    "https://quay.example.org/v1/": { username: TOKEN_USER, password: TOKEN_PASSWORD },
  });
  for (const secret of [PASSWORD, TOKEN_PASSWORD, header])
    expect(run.stdout + run.stderr).not.toContain(secret);
  // The plan knows which Secrets a pull uses, never what they hold.
  const plan = await runKplay(["plan", file]);
  expect(plan.stdout).toContain('"pullSecrets": [\n');
  expect(plan.stdout).not.toContain(PASSWORD);
  expect(await snapshotState()).toEqual(before);
});
