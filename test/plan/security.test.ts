/** Security contexts: the merge of pod and container, libpod's fields, the image user check. */
import { describe, expect, test } from "bun:test";
import {
  imageUserCheck,
  imageUserProblem,
  mergeSecurityContext,
  securityFields,
} from "../../src/plan/security.ts";

describe("mergeSecurityContext", () => {
  test("the container's field wins, the pod's fills in", () => {
    const merged = mergeSecurityContext(
      { runAsUser: 1, runAsGroup: 2, runAsNonRoot: true, supplementalGroups: [5], fsGroup: 6 },
      { runAsUser: 10, privileged: true },
    );
    expect(merged).toEqual({
      runAsUser: 10,
      runAsGroup: 2,
      runAsNonRoot: true,
      privileged: true,
      supplementalGroups: [5],
      fsGroup: 6,
    });
  });
  test("seLinuxOptions and seccompProfile are replaced whole, never mixed", () => {
    const merged = mergeSecurityContext(
      { seLinuxOptions: { level: "s0:c1" }, seccompProfile: { type: "Unconfined" } },
      { seLinuxOptions: { type: "spc_t" }, seccompProfile: { type: "RuntimeDefault" } },
    );
    expect(merged.seLinuxOptions).toEqual({ type: "spc_t" });
    expect(merged.seccompProfile).toEqual({ type: "RuntimeDefault" });
  });
  test("a container's runAsNonRoot false overrides the pod's true", () => {
    expect(mergeSecurityContext({ runAsNonRoot: true }, { runAsNonRoot: false }).runAsNonRoot).toBe(
      false,
    );
  });
  test("no contexts at all", () => {
    expect(mergeSecurityContext(undefined, undefined)).toEqual({});
  });
});

describe("securityFields", () => {
  test("every field", () => {
    expect(
      securityFields(
        {
          runAsUser: 1000,
          runAsGroup: 3000,
          supplementalGroups: [4000],
          fsGroup: 2000,
          capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] },
          privileged: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          seLinuxOptions: { user: "u", role: "r", type: "t", level: "l" },
          seccompProfile: { type: "Localhost", localhostProfile: "a/b.json" },
          procMount: "Unmasked",
        },
        "/profiles",
      ),
    ).toEqual({
      user: "1000:3000",
      groups: ["4000", "2000"],
      cap_add: ["NET_ADMIN"],
      cap_drop: ["ALL"],
      privileged: true,
      read_only_filesystem: true,
      read_write_tmpfs: true,
      no_new_privileges: true,
      selinux_opts: ["user:u", "role:r", "type:t", "level:l"],
      seccomp_profile_path: "/profiles/a/b.json",
      unmask: ["ALL"],
    });
  });
  test("defaults say nothing", () => {
    expect(
      securityFields(
        {
          allowPrivilegeEscalation: true,
          procMount: "Default",
          seccompProfile: { type: "RuntimeDefault" },
        },
        "/x",
      ),
    ).toEqual({});
  });
  test("fsGroup already among the supplemental groups is not repeated", () => {
    expect(securityFields({ supplementalGroups: [7], fsGroup: 7 }, "/x").groups).toEqual(["7"]);
  });
});

describe("imageUserCheck and imageUserProblem", () => {
  test("a known runAsUser needs no check", () => {
    expect(imageUserCheck({ runAsNonRoot: true, runAsUser: 5 })).toBeUndefined();
    expect(imageUserCheck({ runAsGroup: 5, runAsUser: 5 })).toBeUndefined();
    expect(imageUserCheck({})).toBeUndefined();
  });
  test("runAsNonRoot refuses root, an empty user and user names", () => {
    const check = { runAsNonRoot: true };
    expect(imageUserProblem("", check)).toBe(
      "runAsNonRoot is set and the image runs as root; set runAsUser to a non-zero UID",
    );
    expect(imageUserProblem("0", check)).toBeDefined();
    expect(imageUserProblem("0:1000", check)).toBeDefined();
    expect(imageUserProblem("nginx", check)).toBe(
      'runAsNonRoot is set and the image\'s user "nginx" is a name, so kplay cannot verify it is not root; set runAsUser',
    );
    expect(imageUserProblem("root", check)).toBeDefined();
    expect(imageUserProblem("1000", check)).toBeUndefined();
    expect(imageUserProblem("1000:0", check)).toBeUndefined();
  });
  test("runAsGroup alone works for a root image only", () => {
    const check = imageUserCheck({ runAsGroup: 5 });
    expect(check).toEqual({ runAsNonRoot: false, runAsGroup: 5 });
    if (!check) return;
    expect(imageUserProblem("", check)).toBeUndefined();
    expect(imageUserProblem("0", check)).toBeUndefined();
    expect(imageUserProblem("101", check)).toBe(
      'runAsGroup without runAsUser keeps the image\'s user "101", which kplay can only combine with a group for root; set runAsUser too',
    );
  });
});
