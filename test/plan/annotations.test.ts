/** Podman's annotations and user namespaces, read as podman kube play reads them. */
import { describe, expect, test } from "bun:test";
import type { Pod } from "../../src/manifest/model.ts";
import {
  autoUpdateLabels,
  containerAnnotationFields,
  parseBool,
  parseUlimits,
} from "../../src/plan/annotations.ts";
import { podUserNamespace } from "../../src/plan/namespaces.ts";

const pod = (annotations: Record<string, string>, hostUsers?: boolean): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", annotations },
  spec: {
    containers: [{ name: "c", image: "i" }],
    ...(hostUsers === undefined ? {} : { hostUsers }),
  },
});
const P = "io.podman.annotations.";

describe("parseUlimits and parseBool", () => {
  test("ulimits", () => {
    expect(parseUlimits("nofile=1024:2048,nproc=512")).toEqual([
      { type: "nofile", soft: 1024, hard: 2048 },
      { type: "nproc", soft: 512, hard: 512 },
    ]);
    expect(parseUlimits("core=-1")).toEqual([{ type: "core", soft: -1, hard: -1 }]);
    expect(parseUlimits("nofile=2:1")).toBe('"nofile=2:1": the soft limit is above the hard limit');
    expect(typeof parseUlimits("files=1")).toBe("string");
  });
  test("Go's ParseBool spellings", () => {
    expect(["1", "t", "T", "true", "TRUE", "True"].map(parseBool)).toEqual(Array(6).fill(true));
    expect(["0", "f", "F", "false", "FALSE", "False"].map(parseBool)).toEqual(Array(6).fill(false));
    expect(parseBool("yes")).toBeUndefined();
  });
});

describe("containerAnnotationFields", () => {
  test("per-container keys apply to their container only", () => {
    const p = pod({
      [`${P}init/c`]: "true",
      [`${P}autoremove/other`]: "true",
      [`${P}pids-limit/c`]: "50",
    });
    expect(containerAnnotationFields(p, "c", [])).toEqual({
      fields: { init: true },
      resources: { pids: { limit: 50 } },
      problems: [],
    });
  });
  test("volumes-from names earlier containers of the pod with the pod prefix", () => {
    const p = pod({ [`${P}volumes-from/c`]: "a:ro;outside" });
    expect(containerAnnotationFields(p, "c", ["a"]).fields).toEqual({
      volumes_from: ["p-a:ro", "outside"],
    });
    expect(
      containerAnnotationFields(pod({ [`${P}volumes-from/c`]: "c" }), "c", []).problems,
    ).toHaveLength(1);
  });
  test("auto-update labels: the container's own wins", () => {
    const p = pod({
      "io.containers.autoupdate": "registry",
      "io.containers.autoupdate/c": "local",
    });
    expect(autoUpdateLabels(p, "c")).toEqual({ "io.containers.autoupdate": "local" });
    expect(autoUpdateLabels(p, "d")).toEqual({ "io.containers.autoupdate": "registry" });
  });
});

describe("podUserNamespace", () => {
  test("hostUsers false is auto, with the ID mappings Podman 4.3 needs", () => {
    expect(podUserNamespace(pod({}, false))).toEqual({
      userns: { nsmode: "auto" },
      idmappings: { AutoUserNs: true },
    });
    expect(podUserNamespace(pod({}, true))).toBeUndefined();
  });
  test("the annotation wins, private reads as auto", () => {
    expect(podUserNamespace(pod({ [`${P}userns`]: "host" }, false))).toBeUndefined();
    expect(podUserNamespace(pod({ [`${P}userns/p`]: "private" }))).toMatchObject({
      userns: { nsmode: "auto" },
    });
    expect(podUserNamespace(pod({ [`${P}userns`]: "auto:size=100" }))).toEqual({
      userns: { nsmode: "auto", value: "size=100" },
      idmappings: { AutoUserNs: true, AutoUserNsOpts: { Size: 100 } },
    });
    expect(podUserNamespace(pod({ [`${P}userns`]: "keep-id:uid=1" }))).toEqual({
      userns: { nsmode: "keep-id", value: "uid=1" },
    });
    expect(podUserNamespace(pod({ [`${P}userns`]: "ns:/proc/1/ns/user" }))).toEqual({
      userns: { nsmode: "path", value: "/proc/1/ns/user" },
    });
    expect(podUserNamespace(pod({ [`${P}userns`]: "auto:uidmapping=0:1:1" }))).toMatchObject({
      key: `${P}userns`,
    });
  });
});
