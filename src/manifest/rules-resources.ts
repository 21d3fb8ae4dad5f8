/**
 * The API server's rules for a container's `resources` (validateResourceRequirements): names
 * are standard (cpu, memory, ephemeral-storage, hugepages-<size>) or vendor-qualified extended
 * resources, amounts are not negative, extended resources are whole numbers, huge pages are
 * whole pages and come with cpu or memory, and a request never exceeds its limit. Extended
 * resources and huge pages cannot be overcommitted: a request needs a limit equal to it.
 */
import { fail } from "./check.ts";
import { mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkQualifiedName } from "./names.ts";
import { own } from "./own.ts";
import { compareQuantities, parseQuantity, type Rational, toBytes } from "./quantity.ts";
import { isUnderReported } from "./validate.ts";

const STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);
const HUGEPAGES = "hugepages-";

/** What kind of resource a name is, or why it is none. */
type Kind = "standard" | "hugepages" | "native" | "extended" | { problem: string };

/** Classifies a container resource name as the API server does. */
export function resourceKind(name: string): Kind {
  const syntax = checkQualifiedName(name);
  if (syntax !== undefined) return { problem: `it is not a qualified name: ${syntax}` };
  if (!name.includes("/")) {
    if (STANDARD.has(name)) return "standard";
    if (name.startsWith(HUGEPAGES)) return "hugepages";
    return {
      problem:
        "it must be cpu, memory, ephemeral-storage, hugepages-<size> or a vendor-qualified extended resource such as example.com/gpu",
    };
  }
  if (name.includes("kubernetes.io/")) return "native";
  // The quota name of an extended resource (`requests.<name>`) must be a qualified name too.
  if (name.startsWith("requests.") || checkQualifiedName(`requests.${name}`) !== undefined)
    return { problem: "it does not follow the extended resource name standard" };
  return "extended";
}

/** Checks a container's resource names, amounts, and requests against limits. */
export function checkResources(
  ctx: ObjectContext,
  container: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  const resources = mapping(container.resources);
  if (resources === undefined) return;
  const here = [...at, "resources"];
  const limits = checkList(ctx, mapping(resources.limits), [...here, "limits"], reported);
  const requests = checkList(ctx, mapping(resources.requests), [...here, "requests"], reported);
  for (const [name, request] of requests) {
    const path = [...here, "requests", name];
    const limit = limits.get(name);
    const overcommit = request.kind === "standard" || request.kind === "native";
    const shown = quote(String(own(mapping(resources.requests) ?? {}, name)));
    if (limit === undefined) {
      if (!overcommit && !isUnderReported([...here, "limits", name], reported))
        fail(
          ctx,
          "request-limit-mismatch",
          path,
          `${name} cannot be overcommitted: a limit equal to the request must be set`,
          reported,
        );
      continue;
    }
    const order = compareQuantities(request.value, limit.value);
    const limitShown = quote(String(own(mapping(resources.limits) ?? {}, name)));
    if (!overcommit && order !== 0)
      fail(
        ctx,
        "request-limit-mismatch",
        path,
        `request ${shown} must equal the limit ${limitShown}: ${name} cannot be overcommitted`,
        reported,
      );
    else if (order > 0)
      fail(
        ctx,
        "request-exceeds-limit",
        path,
        `request ${shown} is more than the limit ${limitShown}`,
        reported,
      );
  }
  const names = [
    ...Object.keys(mapping(resources.limits) ?? {}),
    ...Object.keys(mapping(resources.requests) ?? {}),
  ];
  if (
    names.some((n) => n.startsWith(HUGEPAGES)) &&
    !names.includes("cpu") &&
    !names.includes("memory")
  ) {
    const detail = "huge pages require a cpu or memory request or limit";
    fail(ctx, "bad-resource", here, detail, reported, { anchor: "key" });
  }
}

interface Checked {
  readonly kind: Exclude<Kind, { problem: string }>;
  readonly value: Rational;
}

/** The valid entries of one list, keyed by name; reports the invalid ones. */
function checkList(
  ctx: ObjectContext,
  list: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): Map<string, Checked> {
  const out = new Map<string, Checked>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const path = [...at, name];
    const kind = resourceKind(name);
    if (typeof kind === "object") {
      fail(
        ctx,
        "bad-resource",
        path,
        `${quote(name)} is not a container resource: ${kind.problem}`,
        reported,
        {
          anchor: "key",
        },
      );
      continue;
    }
    if ((typeof raw !== "string" && typeof raw !== "number") || isUnderReported(path, reported))
      continue;
    const parsed = parseQuantity(raw);
    if (!parsed.ok) continue; // reported as bad-quantity by the field walk
    const problem = amountProblem(name, kind, parsed.value);
    if (problem !== undefined) {
      fail(ctx, "bad-resource", path, `${quote(String(raw))} ${problem}`, reported);
      continue;
    }
    out.set(name, { kind, value: parsed.value });
  }
  return out;
}

function amountProblem(name: string, kind: Checked["kind"], q: Rational): string | undefined {
  if (q.numerator < 0n) return "must not be negative";
  if (kind === "extended" && q.denominator !== 1n)
    return "must be a whole number: an extended resource is counted in units";
  if (kind !== "hugepages") return undefined;
  const size = parseQuantity(name.slice(HUGEPAGES.length));
  const page = size.ok && size.value.denominator === 1n ? size.value.numerator : 0n;
  if (page <= 0n || toBytes(q) % page !== 0n)
    return `must be a whole number of pages of the size ${name} names`;
  return undefined;
}
