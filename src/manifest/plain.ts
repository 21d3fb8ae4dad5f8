/**
 * A document's plain JavaScript value, with alias expansion bounded: a billion-laughs file is
 * refused by yaml's `maxAliasCount` before it can expand, and becomes a diagnostic.
 */
import { visit } from "yaml";
import { type ObjectContext, report } from "./context.ts";
import { MAX_ALIAS_COUNT } from "./limits.ts";
import { spanOf } from "./span.ts";

/** The plain value of the context's document, or a reported `alias-limit` error. */
export function toPlainValue(ctx: ObjectContext): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: ctx.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    // yaml throws a ReferenceError for excessive aliasing; anything else is a bug of ours.
    if (!(error instanceof ReferenceError)) throw error;
    const message = `Document expands aliases too much: more than ${MAX_ALIAS_COUNT} alias expansions`;
    const hint =
      "Anchors and aliases (&a, *a) are fine in moderation; this looks like a billion-laughs file";
    let first: [number, number] | undefined;
    visit(ctx.doc, {
      Alias(_, node) {
        if (node.range) first = [node.range[0], node.range[1]];
        return visit.BREAK;
      },
    });
    if (first === undefined) report(ctx, "alias-limit", "error", [], message, hint);
    else
      ctx.diagnostics.push({
        code: "alias-limit",
        severity: "error",
        message,
        hint,
        span: spanOf(ctx.file, ctx.lineCounter, first[0], first[1]),
      });
    return { ok: false };
  }
}
