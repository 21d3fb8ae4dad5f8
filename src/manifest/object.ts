/**
 * One Kubernetes object: decide by kind what to do with it, flatten Lists, and hand Pods to
 * the Pod checks. Returns the Pods found, each with the path prefix locating it in its document.
 */
import { describe, type ObjectContext, quote, report, reportMissing } from "./context.ts";
import { classifyKind, KNOWN_KINDS } from "./kinds.ts";
import type { FieldPath, Pod } from "./model.ts";
import { checkPod } from "./pod.ts";
import { suggest } from "./suggest.ts";

/** A Pod found in a document, and where in the document it is. */
export interface FoundPod {
  readonly pod: Pod;
  readonly prefix: FieldPath;
}

/** Checks one object (a whole document, or a List item) and returns the Pods it holds. */
export function checkObject(ctx: ObjectContext, value: unknown, depth = 0): FoundPod[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    report(
      ctx,
      "not-kubernetes",
      "error",
      [],
      `Document is not a Kubernetes object: expected a mapping, got ${describe(value)}`,
    );
    return [];
  }
  const object = value as Record<string, unknown>;
  const { apiVersion, kind } = object;
  if (kind === undefined && apiVersion === undefined && "services" in object) {
    const hint =
      "kplay reads Kubernetes YAML; a compose file can be converted with a tool such as kompose";
    report(
      ctx,
      "not-kubernetes",
      "error",
      ["services"],
      "Document looks like a docker-compose file, not Kubernetes YAML",
      hint,
      "key",
    );
    return [];
  }
  if (typeof kind !== "string" || typeof apiVersion !== "string") {
    for (const [field, v] of [
      ["apiVersion", apiVersion],
      ["kind", kind],
    ] as const) {
      if (v === undefined) reportMissing(ctx, [field]);
      else if (typeof v !== "string")
        report(
          ctx,
          "type-mismatch",
          "error",
          [field],
          `${field}: expected a string, got ${describe(v)}`,
        );
    }
    return [];
  }
  const verdict = classifyKind(apiVersion, kind);
  switch (verdict.action) {
    case "play": {
      const pod = checkPod(ctx, object);
      return pod === undefined ? [] : [{ pod, prefix: ctx.prefix }];
    }
    case "flatten":
      return checkList(ctx, object, depth);
    case "ignore":
      report(
        ctx,
        "ignored-kind",
        "warning",
        ["kind"],
        `kind ${quote(kind)} is ignored: kplay publishes ports through each container's hostPort`,
      );
      return [];
    case "refuse":
      report(
        ctx,
        "unsupported-kind",
        "error",
        ["kind"],
        `kind ${quote(kind)} is valid Kubernetes but kplay plays only Pods for now`,
        kind === "PersistentVolumeClaim"
          ? "a Pod's persistentVolumeClaim volume needs no claim object here: kplay creates a Podman volume of the claim's name; give kplay the Pods only"
          : undefined,
      );
      return [];
    case "bad-api-version": {
      const expected = verdict.expected.map(quote).join(" or ");
      report(
        ctx,
        "bad-api-version",
        "error",
        ["apiVersion"],
        `apiVersion ${quote(apiVersion)} is wrong for kind ${quote(kind)}: expected ${expected}`,
      );
      return [];
    }
    case "unknown": {
      const near = suggest(kind, KNOWN_KINDS.keys());
      const hint = near === undefined ? undefined : `Did you mean ${quote(near)}?`;
      report(
        ctx,
        "unknown-kind",
        "error",
        ["kind"],
        `kind ${quote(kind)} is not a Kubernetes kind kplay knows`,
        hint,
      );
      return [];
    }
  }
}

function checkList(ctx: ObjectContext, list: Record<string, unknown>, depth: number): FoundPod[] {
  const { items } = list;
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    report(
      ctx,
      "type-mismatch",
      "error",
      ["items"],
      `items: expected a list, got ${describe(items)}`,
    );
    return [];
  }
  if (depth > 0) {
    report(
      ctx,
      "unsupported-kind",
      "error",
      ["kind"],
      'kind "List" inside a List is not supported',
    );
    return [];
  }
  return items.flatMap((item, i) =>
    checkObject({ ...ctx, prefix: [...ctx.prefix, "items", i] }, item, depth + 1),
  );
}
