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

/**
 * An environment variable name as Kubernetes 1.32+ accepts it (RelaxedEnvironmentVariable
 * Validation): not empty, printable ASCII (space included) other than `=`. `1ST_VAR` is valid.
 */
export function checkEnvName(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x3d)
      return "it must consist of printable ASCII characters other than '='";
  }
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

/** An HTTP header name as the API server checks it (Go's stricter subset): `[-A-Za-z0-9]+`. */
export function checkHttpHeaderName(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  for (const c of s)
    if (!isAlnum(c) && c !== "-") return "it must consist of letters, digits and '-'";
  return undefined;
}

/**
 * A sysctl name, ≤253: segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`
 * (`net.ipv4.ip_forward`, `net/ipv4/conf/eth0.100/forwarding`).
 */
export function checkSysctlName(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  if (s.length > 253) return `it is ${s.length} characters long (the limit is 253)`;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = s[i];
    if (c !== undefined && c !== "." && c !== "/") {
      if (!isLower(c) && !isDigit(c) && c !== "-" && c !== "_")
        return "it must consist of lower case letters, digits, '-', '_', '.' and '/'";
      continue;
    }
    const segment = s.slice(start, i);
    if (segment === "") return "it must not have empty parts between '.' or '/'";
    if (!isLowerOrDigit(segment[0]) || !isLowerOrDigit(segment[segment.length - 1]))
      return "each part must start and end with a lower case letter or digit";
    start = i + 1;
  }
  return undefined;
}

/**
 * A DNS search domain as Kubernetes 1.33+ accepts it (RelaxedDNSSearchValidation): `.`, or a
 * DNS-1123 subdomain whose parts may also hold `_` and start with one, with one trailing dot.
 */
export function checkDnsSearch(s: string): string | undefined {
  if (s === ".") return undefined;
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length === 0) return "it must not be empty";
  if (name.length > 253) return `it is ${name.length} characters long (the limit is 253)`;
  for (const part of name.split(".")) {
    if (part === "") return "it must not have empty parts between dots";
    const body = part.startsWith("_") ? part.slice(1) : part;
    for (const c of body) {
      if (!isLower(c) && !isDigit(c) && c !== "-" && c !== "_")
        return "it must consist of lower case letters, digits, '-', '_' and '.'";
    }
    if (!isLowerOrDigit(body[0]) || !isLowerOrDigit(body[body.length - 1]))
      return "each part must start (after an optional '_') and end with a lower case letter or digit";
  }
  return undefined;
}

/** A ConfigMap or Secret key: ≤253 of `[-._a-zA-Z0-9]`, and not `.`, `..` or `..`-prefixed. */
export function checkConfigMapKey(s: string): string | undefined {
  if (s.length === 0) return "it must not be empty";
  if (s.length > 253) return `it is ${s.length} characters long (the limit is 253)`;
  for (const c of s) {
    if (!isAlnum(c) && c !== "-" && c !== "_" && c !== ".")
      return "it must consist of letters, digits, '-', '_' and '.'";
  }
  if (s === "." || s.startsWith("..")) return "it must not be '.' or start with '..'";
  return undefined;
}

function isLowerOrDigit(c: string | undefined): boolean {
  return c !== undefined && (isLower(c) || isDigit(c));
}
