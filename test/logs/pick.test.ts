/** Which container `kplay logs` reads, and the messages when it cannot choose. Pure. */
import { describe, expect, test } from "bun:test";
import { type PodMember, pickContainer } from "../../src/cli/commands/logs.ts";

const member = (container: string, init = false): PodMember => ({
  container,
  id: `id-${container}`,
  init,
});

describe("pickContainer", () => {
  test("the only app container, even with init containers around", () => {
    expect(pickContainer("web", [member("seed", true), member("httpd")], undefined)).toEqual({
      member: member("httpd"),
    });
  });

  test("-c picks an app or an init container by its Kubernetes name", () => {
    const members = [member("httpd"), member("seed", true), member("sidecar")];
    expect(pickContainer("web", members, "sidecar")).toEqual({ member: member("sidecar") });
    expect(pickContainer("web", members, "seed")).toEqual({ member: member("seed", true) });
  });

  test("several app containers and no -c: exit 2, the choices listed like kubectl", () => {
    expect(pickContainer("web", [member("httpd"), member("sidecar")], undefined)).toEqual({
      error: "A container name must be specified for pod web, choose one of: [httpd sidecar]",
      code: 2,
    });
    expect(
      pickContainer("web", [member("httpd"), member("seed", true), member("sidecar")], undefined),
    ).toEqual({
      error:
        "A container name must be specified for pod web, choose one of: [httpd sidecar] or one of the init containers: [seed]",
      code: 2,
    });
  });

  test("an unknown -c, or a pod with no app container: exit 1", () => {
    expect(pickContainer("web", [member("httpd")], "nope")).toEqual({
      error: 'Container "nope" not found in pod "web", choose one of: [httpd]',
      code: 1,
    });
    expect(pickContainer("web", [], "nope")).toEqual({
      error: 'Container "nope" not found in pod "web"',
      code: 1,
    });
    expect(pickContainer("web", [member("seed", true)], undefined)).toEqual({
      error: 'Pod "web" has no app containers; its init containers: [seed]',
      code: 1,
    });
  });
});
