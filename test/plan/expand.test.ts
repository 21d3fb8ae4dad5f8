/** $(VAR) expansion: the rules of Kubernetes' third_party/forked/golang/expansion, case by case. */
import { describe, expect, test } from "bun:test";
import { expandVariables, lookupIn } from "../../src/plan/expand.ts";

const vars = lookupIn({ A: "alpha", B: "beta", EMPTY: "", "WITH.DOT": "dot", DOLLAR: "$(A)" });

describe("expandVariables", () => {
  const cases: [string, string][] = [
    ["", ""],
    ["plain text", "plain text"],
    ["$(A)", "alpha"],
    ["x$(A)y$(B)z", "xalphaybetaz"],
    ["$(EMPTY)", ""],
    ["$(UNKNOWN)", "$(UNKNOWN)"],
    ["$$(A)", "$(A)"],
    ["$$$(A)", "$alpha"],
    ["$$$$(A)", "$$(A)"],
    ["$$", "$"],
    ["$", "$"],
    ["a$", "a$"],
    ["$x", "$x"],
    ["$ A", "$ A"],
    ["$(A", "$(A"],
    ["$(A$(B)", "$(A$(B)"],
    ["$()", "$()"],
    ["$(WITH.DOT)", "dot"],
    ["$((A))", "$((A))"],
    ["$(A))", "alpha)"],
    // A value is not expanded again: no recursion, as in Kubernetes.
    ["$(DOLLAR)", "$(A)"],
    ["$(constructor)", "$(constructor)"],
    ["ünï$(A)cödé", "ünïalphacödé"],
  ];
  for (const [input, want] of cases) {
    test(JSON.stringify(input), () => expect(expandVariables(input, vars)).toBe(want));
  }
});
