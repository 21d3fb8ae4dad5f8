/**
 * Kubernetes name syntaxes (k8s.io/apimachinery/pkg/util/validation), as scanners rather than
 * regular expressions: linear, and each checks the length first. Each returns undefined when
 * the name is valid, or the reason it is not.
 */

const isLower = (c: string) => c >= "a" && c <= "z";
const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlnum = (c: string) => isLower(c) || isDigit(c) || (c >= "A" && c <= "Z");

/** DNS-1123 label (container, volume, namespace names): `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, ≤63. */
export function checkDns1123Label(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  if (s.length > 63) return `it is ${s.length} characters long (the limit is 63)`;
  for (const c of s) {
    if (!isLower(c) && !isDigit(c) && c !== "-")
      return "it must consist of lower case letters, digits and '-'";
  }
  if (s.startsWith("-") || s.endsWith("-"))
    return "it must start and end with a lower case letter or digit";
  return undefined;
}

/** DNS-1123 subdomain (pod names): dot-separated DNS-1123 label syntax, ≤253. */
export function checkDns1123Subdomain(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  if (s.length > 253) return `it is ${s.length} characters long (the limit is 253)`;
  for (const part of s.split(".")) {
    if (part === "") return "it must not have empty parts between dots";
    for (const c of part) {
      if (!isLower(c) && !isDigit(c) && c !== "-")
        return "it must consist of lower case letters, digits, '-' and '.'";
    }
    if (part.startsWith("-") || part.endsWith("-"))
      return "each part must start and end with a lower case letter or digit";
  }
  return undefined;
}

/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of ≤63. */
export function checkQualifiedName(s: string): string | undefined {
  const slash = s.indexOf("/");
  if (slash !== -1) {
    const prefix = s.slice(0, slash);
    const problem = checkDns1123Subdomain(prefix);
    if (problem !== undefined)
      return `its prefix ${JSON.stringify(prefix.slice(0, 60))} is not a DNS subdomain: ${problem}`;
  }
  const name = slash === -1 ? s : s.slice(slash + 1);
  if (name.length === 0) return "its name part must not be empty";
  return checkLabelValue(name);
}

/** A label value: empty, or ≤63 of `[A-Za-z0-9._-]` starting and ending alphanumeric. */
export function checkLabelValue(s: string): string | undefined {
  if (s.length > 63) return `it is ${s.length} characters long (the limit is 63)`;
  if (s.length === 0) return undefined;
  for (const c of s) {
    if (!isAlnum(c) && c !== "-" && c !== "_" && c !== ".")
      return "it must consist of letters, digits, '-', '_' and '.'";
  }
  if (!isAlnum(s[0] ?? "") || !isAlnum(s[s.length - 1] ?? ""))
    return "it must start and end with a letter or digit";
  return undefined;
}

/** An environment variable name: `[-._a-zA-Z][-._a-zA-Z0-9]*`. */
export function checkEnvName(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  const ok = (c: string) => isAlnum(c) || c === "-" || c === "." || c === "_";
  if (isDigit(s[0] ?? "")) return "it must not start with a digit";
  for (const c of s) if (!ok(c)) return "it must consist of letters, digits, '_', '-' and '.'";
  return undefined;
}

/** An IANA service name (container port names): ≤15 lower case letters, digits and '-'. */
export function checkPortName(s: string): string | undefined {
  if (s.length === 0 || s.length > 15) return "it must be 1 to 15 characters long";
  let letter = false;
  for (const c of s) {
    if (!isLower(c) && !isDigit(c) && c !== "-")
      return "it must consist of lower case letters, digits and '-'";
    if (isLower(c)) letter = true;
  }
  if (!letter) return "it must contain at least one letter";
  if (s.startsWith("-") || s.endsWith("-") || s.includes("--"))
    return "it must not start or end with '-' or contain '--'";
  return undefined;
}
