/**
 * What stops a valid Pod from being planned, found before planning: the planner's own
 * refusals (a value it cannot compute, a path it will not mount), returned as diagnostics
 * pointing at the manifest. Pure, like the planner; the CLI prints them as it prints
 * validation's, and planPod refuses a pod that has any.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { DataIndex, DesiredState } from "../graph/types.ts";
import { formatPath, podError } from "../manifest/context.ts";
import type { Container, FieldPath, PodDocument } from "../manifest/model.ts";
import { containerAnnotationFields } from "./annotations.ts";
import { checkClaimNames, checkHostPorts, type Report } from "./checks-pod.ts";
import { DEFAULT_NODE } from "./downward.ts";
import { mountSubPath, planEnv, referencedNames, secretExpansion } from "./env.ts";
import { imageReferenceProblem } from "./image-reference.ts";
import { podUserNamespace } from "./namespaces.ts";
import { MAX_LIBPOD_INTEGER, oversizedResources } from "./resources.ts";
import { containerSecurity } from "./security.ts";
import { signalNumber } from "./signals.ts";
import type { PlanOptions } from "./types.ts";

const SECRET_EXPANSION_HINT =
  "Read the variable in the program itself (sh -c 'echo $PASSWORD'): the shell expands it at run time, from Podman's secret store";

/** What the checks need besides the plan options: the input's ConfigMaps and Secrets. */
export type CheckOptions = PlanOptions & { readonly data?: DataIndex };

const NO_DATA: DataIndex = { configMaps: new Map(), secrets: new Map() };

/** Every reason the planner cannot plan the desired state's pods; empty when it can. */
export function checkPlannable(state: DesiredState, options: PlanOptions = {}): Diagnostic[] {
  // A workload's pods share their template: its refusals are told once, at the template.
  const seen = new Set<string>();
  return state.objects
    .flatMap((o) => o.pods)
    .flatMap((p) => checkPod(p.doc, { ...options, data: state.data }))
    .filter((d) => {
      const key = `${d.span?.file}:${d.span?.offset}:${d.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The reasons one pod cannot be planned. */
export function checkPod(doc: PodDocument, options: CheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report: Report = (code, path, message, hint) => {
    out.push(podError(doc, code, path, message, hint));
  };
  const { pod } = doc;
  const userns = podUserNamespace(pod);
  if (userns && "problem" in userns)
    report(
      "bad-annotation",
      ["metadata", "annotations", userns.key],
      `Annotation "${userns.key}": ${userns.problem}`,
    );
  checkSysctls(doc, report);
  checkHostPorts(doc, report);
  checkClaimNames(doc, report);
  const names: string[] = [];
  for (const field of ["initContainers", "containers"] as const) {
    (pod.spec[field] ?? []).forEach((c, i) => {
      checkContainer(doc, c, ["spec", field, i], names, options, report);
      names.push(c.name);
    });
  }
  // A pod-wide annotation is checked once per container: report it once.
  return out.filter(
    (d, i) => out.findIndex((o) => o.path === d.path && o.message === d.message) === i,
  );
}

function checkContainer(
  doc: PodDocument,
  c: Container,
  at: FieldPath,
  earlier: readonly string[],
  options: CheckOptions,
  report: Report,
): void {
  const { pod } = doc;
  const { env, secretEnv, problems } = planEnv(pod, c, options.node ?? DEFAULT_NODE, {
    data: options.data ?? NO_DATA,
    namespace: doc.namespace,
  });
  for (const p of problems) {
    const path =
      p.field === "value"
        ? [...at, "env", p.index, "value"]
        : [
            ...at,
            "env",
            p.index,
            "valueFrom",
            p.field,
            ...(p.field === "fieldRef" ? ["fieldPath"] : []),
          ];
    report(
      p.field === "value" ? "secret-expansion" : "unsupported-env-source",
      path,
      `${formatPath(path)}: ${p.problem}`,
      p.field === "value" ? SECRET_EXPANSION_HINT : undefined,
    );
  }
  for (const field of ["command", "args"] as const) {
    (c[field] ?? []).forEach((arg, j) => {
      const secret = referencedNames(arg).filter((n) => Object.hasOwn(secretEnv, n));
      if (secret.length === 0) return;
      const path = [...at, field, j];
      report(
        "secret-expansion",
        path,
        `${formatPath(path)}: ${secretExpansion(secret)}`,
        SECRET_EXPANSION_HINT,
      );
    });
  }
  const imageProblem = imageReferenceProblem(c.image);
  if (imageProblem !== undefined)
    report(
      "invalid-image-name",
      [...at, "image"],
      `${formatPath([...at, "image"])}: ${JSON.stringify(c.image)} is not an image reference: ${imageProblem}`,
      "The API server accepts it, but no runtime can pull it: on a cluster the container would wait with InvalidImageName",
    );
  for (const o of oversizedResources(c)) {
    const path = [...at, "resources", o.list, o.name];
    const written = c.resources?.[o.list]?.[o.name];
    report(
      "quantity-too-large",
      path,
      `${formatPath(path)}: ${JSON.stringify(String(written))} is more than libpod can take (at most ${MAX_LIBPOD_INTEGER} ${o.unit})`,
    );
  }
  const sc = containerSecurity(pod, c);
  if (sc.runAsNonRoot && sc.runAsUser === 0) {
    const own = c.securityContext?.runAsUser !== undefined;
    const path = own
      ? [...at, "securityContext", "runAsUser"]
      : ["spec", "securityContext", "runAsUser"];
    report(
      "run-as-root",
      path,
      `Container "${c.name}" would run as root (runAsUser 0) but runAsNonRoot is set`,
      "Set runAsUser to a non-zero UID, or drop runAsNonRoot",
    );
  }
  const profile = sc.seccompProfile;
  if (profile?.type === "Localhost" && !isDescendingPath(profile.localhostProfile ?? "")) {
    const own = c.securityContext?.seccompProfile !== undefined;
    const path = [
      ...(own ? [...at, "securityContext"] : ["spec", "securityContext"]),
      "seccompProfile",
    ];
    report(
      "bad-seccomp-profile",
      path,
      `${formatPath(path)}: a Localhost profile needs localhostProfile, a relative path without ".."`,
    );
  }
  (c.volumeMounts ?? []).forEach((m, j) => {
    const subPath = mountSubPath(m, env);
    if (subPath !== undefined && subPath !== "" && !isDescendingPath(subPath)) {
      const field = m.subPath ? "subPath" : "subPathExpr";
      const path = [...at, "volumeMounts", j, field];
      const shown =
        field === "subPath" ? `"${subPath}"` : `"${m.subPathExpr}" (expanded to "${subPath}")`;
      report(
        "unsafe-sub-path",
        path,
        `${formatPath(path)}: ${shown} must be a relative path that does not contain ".."`,
      );
    }
  });
  const signal = c.lifecycle?.stopSignal;
  if (signal !== undefined && signalNumber(signal) === undefined) {
    report(
      "bad-stop-signal",
      [...at, "lifecycle", "stopSignal"],
      `Stop signal "${signal}" is not a Linux signal`,
    );
  }
  for (const p of containerAnnotationFields(pod, c.name, earlier).problems) {
    report(
      "bad-annotation",
      ["metadata", "annotations", p.key],
      `Annotation "${p.key}": ${p.problem}`,
    );
  }
}

/** Sysctls of a namespace the pod shares with the host would change the host (the API server's rule). */
function checkSysctls(doc: PodDocument, report: Report): void {
  const { spec } = doc.pod;
  (spec.securityContext?.sysctls ?? []).forEach((s, i) => {
    const net = s.name.startsWith("net.");
    const ipc = ["kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue."].some((p) =>
      s.name.startsWith(p),
    );
    const host =
      net && spec.hostNetwork ? "hostNetwork" : ipc && spec.hostIPC ? "hostIPC" : undefined;
    if (host === undefined) return;
    const path = ["spec", "securityContext", "sysctls", i, "name"];
    report(
      "host-sysctl",
      path,
      `Sysctl "${s.name}" cannot be set in a ${host} pod: it would change the host`,
    );
  });
}

/** Kubernetes' rule for subPath and localhostProfile: relative, and no `..` step. */
export function isDescendingPath(path: string): boolean {
  if (path === "" || path.startsWith("/")) return false;
  return !path.split("/").includes("..");
}
