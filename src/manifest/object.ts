/**
 * One Kubernetes object: decide by kind what to do with it, flatten Lists, and hand each kind
 * to its checks. Returns what was found, each with the path prefix locating it in its
 * document (`["items", 3]` inside a List).
 */

import type { CheckedData } from "./config.ts";
import { checkData } from "./config.ts";
import { describe, type ObjectContext, quote, report, reportMissing } from "./context.ts";
import { checkFields } from "./fields.ts";
import { classifyKind, KNOWN_KINDS, type WorkloadKind } from "./kinds.ts";
import type { FieldPath, Pod } from "./model.ts";
import type { ObjectMeta, WorkloadSpecs } from "./objects.ts";
import { checkPod } from "./pod.ts";
import { type CheckedService, checkService } from "./service.ts";
import { suggest } from "./suggest.ts";
import { checkWorkload } from "./workload.ts";

/** What one object turned out to be, once checked without error. */
export type Found =
  | { readonly kind: "Pod"; readonly pod: Pod; readonly prefix: FieldPath }
  | {
      readonly kind: WorkloadKind;
      readonly metadata: ObjectMeta;
      readonly spec: WorkloadSpecs[WorkloadKind];
      readonly prefix: FieldPath;
    }
  | (CheckedData & { readonly prefix: FieldPath })
  | (CheckedService & { readonly prefix: FieldPath });

/** Checks one object (a whole document, or a List item) and returns what it holds. */
export function checkObject(ctx: ObjectContext, value: unknown, depth = 0): Found[] {
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
  if (kind === undefined && apiVersion === undefined && Object.hasOwn(object, "services")) {
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
    case "pod": {
      const pod = checkPod(ctx, object);
      return pod === undefined ? [] : [{ kind: "Pod", pod, prefix: ctx.prefix }];
    }
    case "workload": {
      const typed = checkWorkload(ctx, verdict.kind, verdict.type, object);
      return typed === undefined ? [] : [{ kind: verdict.kind, ...typed, prefix: ctx.prefix }];
    }
    case "data": {
      const typed = checkData(ctx, verdict.kind, verdict.type, object);
      return typed === undefined ? [] : [{ ...typed, prefix: ctx.prefix }];
    }
    case "list":
      return checkList(ctx, object, depth);
    case "service": {
      const typed = checkService(ctx, verdict.type, object);
      return typed === undefined ? [] : [{ ...typed, prefix: ctx.prefix }];
    }
    case "cluster-only":
      checkFields(ctx, object, new Set(), verdict.type);
      report(
        ctx,
        "ignored-kind",
        "warning",
        ["kind"],
        `kind ${quote(kind)} is ignored: it configures a cluster, and one host running Podman has no use for it`,
      );
      return [];
    case "custom-resource":
      report(
        ctx,
        "ignored-kind",
        "warning",
        ["kind"],
        `kind ${quote(kind)} of ${quote(apiVersion)} is ignored: it is a custom resource, which only its controller on a cluster acts on`,
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

function checkList(ctx: ObjectContext, list: Record<string, unknown>, depth: number): Found[] {
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
