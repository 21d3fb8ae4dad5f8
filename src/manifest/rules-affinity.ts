/**
 * The API server's affinity rules (validateAffinity): node selector terms and their
 * requirements, preferred terms' weights (1-100), and pod (anti-)affinity terms: label and
 * namespace selectors, namespace names, a required topologyKey, and matchLabelKeys and
 * mismatchLabelKeys (label names, only beside a labelSelector, never the same key in both).
 */
import { checkName, checkRange, fail } from "./check.ts";
import { list, mapping, type ObjectContext, quote } from "./context.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Label } from "./names.ts";
import {
  checkFieldRequirement,
  checkLabelKey,
  checkLabelSelector,
  checkNodeRequirement,
} from "./rules-selectors.ts";

const REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution";
const PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution";
const WEIGHT = { min: 1, max: 100 } as const;

/** Checks `spec.affinity`. */
export function checkAffinity(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const affinity = mapping(spec.affinity);
  if (affinity === undefined) return;
  const at: FieldPath = ["spec", "affinity"];
  const node = mapping(affinity.nodeAffinity);
  if (node !== undefined) checkNodeAffinity(ctx, node, [...at, "nodeAffinity"], reported);
  for (const kind of ["podAffinity", "podAntiAffinity"] as const) {
    const pod = mapping(affinity[kind]);
    if (pod === undefined) continue;
    const here = [...at, kind];
    list(pod[REQUIRED]).forEach((t, i) => {
      checkPodTerm(ctx, mapping(t), [...here, REQUIRED, i], reported);
    });
    list(pod[PREFERRED]).forEach((t, i) => {
      const term = mapping(t);
      if (term === undefined) return;
      checkRange(ctx, [...here, PREFERRED, i, "weight"], term.weight, WEIGHT, reported);
      const path = [...here, PREFERRED, i, "podAffinityTerm"];
      checkPodTerm(ctx, mapping(term.podAffinityTerm), path, reported);
    });
  }
}

function checkNodeAffinity(
  ctx: ObjectContext,
  node: Record<string, unknown>,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  const required = mapping(node[REQUIRED]);
  if (required !== undefined) {
    const terms = list(required.nodeSelectorTerms);
    const path = [...at, REQUIRED, "nodeSelectorTerms"];
    // An absent list is a missing required field (fields.ts); an empty one is as bad.
    if (Array.isArray(required.nodeSelectorTerms) && terms.length === 0)
      fail(ctx, "missing-field", path, "must have at least one node selector term", reported, {
        anchor: "key",
      });
    terms.forEach((t, i) => {
      checkNodeTerm(ctx, mapping(t), [...path, i], true, reported);
    });
  }
  list(node[PREFERRED]).forEach((t, i) => {
    const term = mapping(t);
    if (term === undefined) return;
    const here = [...at, PREFERRED, i];
    checkRange(ctx, [...here, "weight"], term.weight, WEIGHT, reported);
    // Preferred terms may name label values that are invalid: they can still match nothing.
    checkNodeTerm(ctx, mapping(term.preference), [...here, "preference"], false, reported);
  });
}

function checkNodeTerm(
  ctx: ObjectContext,
  term: Record<string, unknown> | undefined,
  at: FieldPath,
  checkValues: boolean,
  reported: ReadonlySet<string>,
): void {
  if (term === undefined) return;
  list(term.matchExpressions).forEach((r, j) => {
    checkNodeRequirement(ctx, mapping(r), [...at, "matchExpressions", j], checkValues, reported);
  });
  list(term.matchFields).forEach((r, j) => {
    checkFieldRequirement(ctx, mapping(r), [...at, "matchFields", j], reported);
  });
}

function checkPodTerm(
  ctx: ObjectContext,
  term: Record<string, unknown> | undefined,
  at: FieldPath,
  reported: ReadonlySet<string>,
): void {
  if (term === undefined) return;
  const selector = mapping(term.labelSelector);
  checkLabelSelector(ctx, selector, [...at, "labelSelector"], reported);
  checkLabelSelector(ctx, mapping(term.namespaceSelector), [...at, "namespaceSelector"], reported);
  list(term.namespaces).forEach((n, i) => {
    checkName(
      ctx,
      [...at, "namespaces", i],
      n,
      "namespace (a DNS-1123 label)",
      checkDns1123Label,
      reported,
    );
  });
  checkLabelKeys(ctx, term, at, selector !== undefined, reported);
  // An absent topologyKey is a missing required field (fields.ts); an empty one is as bad.
  const key = term.topologyKey;
  if (key === "") fail(ctx, "missing-field", [...at, "topologyKey"], "must not be empty", reported);
  else checkLabelKey(ctx, [...at, "topologyKey"], key, "topology key", reported);
}

/** matchLabelKeys and mismatchLabelKeys: label names, beside a labelSelector, disjoint. */
export function checkLabelKeys(
  ctx: ObjectContext,
  term: Record<string, unknown>,
  at: FieldPath,
  hasSelector: boolean,
  reported: ReadonlySet<string>,
): void {
  const match = list(term.matchLabelKeys);
  const mismatch = new Set(list(term.mismatchLabelKeys));
  for (const field of ["matchLabelKeys", "mismatchLabelKeys"] as const) {
    const keys = list(term[field]);
    if (keys.length === 0) continue;
    if (!hasSelector) {
      fail(
        ctx,
        "forbidden-field",
        [...at, field],
        "must not be set when labelSelector is not set",
        reported,
        { anchor: "key" },
      );
      continue;
    }
    keys.forEach((k, i) => {
      checkLabelKey(ctx, [...at, field, i], k, "label key", reported);
    });
  }
  match.forEach((k, i) => {
    if (typeof k === "string" && mismatch.has(k))
      fail(
        ctx,
        "conflicting-fields",
        [...at, "matchLabelKeys", i],
        `${quote(k)} is also in mismatchLabelKeys`,
        reported,
      );
  });
}
