/**
 * Kubernetes `$(VAR)` expansion, as the kubelet applies it to env values, command and args
 * (k8s.io/kubernetes third_party/forked/golang/expansion):
 *
 * - `$(NAME)` becomes NAME's value when NAME is known, and stays `$(NAME)` verbatim otherwise;
 * - `$$` becomes `$`, so `$$(NAME)` is the literal text `$(NAME)`;
 * - any other `$` (a `$` before another character, a trailing `$`, an unclosed `$(`) is kept.
 *
 * Podman does none of this; kplay follows Kubernetes so a manifest means the same everywhere.
 */

/** Looks a variable up; undefined when it is not defined (the reference then stays as written). */
export type Lookup = (name: string) => string | undefined;

/** Expands every `$(NAME)` reference of `input` with `lookup`, by the Kubernetes rules above. */
export function expandVariables(input: string, lookup: Lookup): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf("$", i);
    // A `$` as the last character starts nothing: it is copied with the rest.
    if (dollar < 0 || dollar === input.length - 1) break;
    out += input.slice(i, dollar);
    const next = input[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "(") {
      const close = input.indexOf(")", dollar + 2);
      if (close < 0) {
        // Unclosed: Kubernetes emits `$(` and goes on scanning after it.
        out += "$(";
        i = dollar + 2;
      } else {
        const name = input.slice(dollar + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += "$";
      i = dollar + 1;
    }
  }
  return out + input.slice(i);
}

/** A lookup over a plain record (own keys only, so `constructor` and friends are never found). */
export function lookupIn(vars: Readonly<Record<string, string>>): Lookup {
  return (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
}
