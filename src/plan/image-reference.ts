/**
 * Image references as the kubelet parses them before it pulls (distribution/reference's
 * `ParseNormalizedNamed`; Podman parses them the same way): the API server accepts any image
 * without surrounding whitespace, but a reference outside this grammar never runs, the pod's
 * container waits with InvalidImageName. A scanner, linear, without regular expressions:
 *
 *   reference := name [":" tag] ["@" digest]
 *   name      := [domain "/"] component ("/" component)*        (at most 255 characters)
 *   domain    := host [":" digits]    host := label ("." label)* | "[" IPv6 "]"
 *   component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := "." | "_" | "__" | "-"+
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex{32,}   algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.] …)*
 *
 * The first part is a domain when it has a "." or ":", is "localhost", or has upper case.
 */
import { isIp } from "../manifest/ip.ts";

const isLower = (c: string) => c >= "a" && c <= "z";
const isUpper = (c: string) => c >= "A" && c <= "Z";
const isDigit = (c: string) => c >= "0" && c <= "9";
const isHex = (c: string) => isDigit(c) || (c >= "a" && c <= "f") || (c >= "A" && c <= "F");
const isWord = (c: string) => isLower(c) || isUpper(c) || isDigit(c) || c === "_";

/** Why the kubelet could not parse `image` as a reference, or undefined when it can. */
export function imageReferenceProblem(image: string): string | undefined {
  // Pods of one app share a few images: each reference is parsed once (bounded, like the
  // quantities of manifest/quantity.ts).
  const known = checkedImages.get(image);
  if (known !== undefined) return known === "" ? undefined : known;
  const problem = parseImageReference(image);
  if (checkedImages.size >= 1024) checkedImages.clear();
  checkedImages.set(image, problem ?? "");
  return problem;
}

/** Reference -> its problem, "" for none. */
const checkedImages = new Map<string, string>();

function parseImageReference(image: string): string | undefined {
  if (image === "") return "it is empty";
  const at = image.indexOf("@");
  const withTag = at === -1 ? image : image.slice(0, at);
  if (at !== -1) {
    const problem = digestProblem(image.slice(at + 1));
    if (problem) return problem;
  }
  const slash = withTag.lastIndexOf("/");
  const colon = withTag.lastIndexOf(":");
  const name = colon > slash ? withTag.slice(0, colon) : withTag;
  if (colon > slash) {
    const problem = tagProblem(withTag.slice(colon + 1));
    if (problem) return problem;
  }
  if (name.length > 255) return `its name is ${name.length} characters long (the limit is 255)`;
  if (name.length === 64 && [...name].every(isHex))
    return "it is a 64-character hexadecimal ID, not a repository name";
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasDomain =
    parts.length > 1 &&
    (first.includes(".") ||
      first.includes(":") ||
      first === "localhost" ||
      [...first].some(isUpper));
  if (hasDomain) {
    const problem = domainProblem(first);
    if (problem) return problem;
  }
  for (const part of hasDomain ? parts.slice(1) : parts) {
    const problem = componentProblem(part);
    if (problem) return problem;
  }
  return undefined;
}

function componentProblem(part: string): string | undefined {
  if (part === "") return "it has an empty path component (a leading, trailing or double '/')";
  let separator = "";
  for (let i = 0; i < part.length; i++) {
    const c = part[i] ?? "";
    if (isLower(c) || isDigit(c)) {
      if (i > 0 && !isSeparator(separator)) return separatorProblem(part, separator);
      separator = "";
    } else if (c === "." || c === "_" || c === "-") {
      if (i === 0)
        return `its path component ${JSON.stringify(part)} must start with a lower case letter or digit`;
      separator += c;
    } else {
      return isUpper(c)
        ? `its repository name must be lower case (${JSON.stringify(part)})`
        : `it has a character a repository name cannot have: ${JSON.stringify(c)}`;
    }
  }
  if (separator !== "")
    return `its path component ${JSON.stringify(part)} must end with a lower case letter or digit`;
  return undefined;
}

function isSeparator(s: string): boolean {
  return s === "" || s === "." || s === "_" || s === "__" || [...s].every((c) => c === "-");
}

function separatorProblem(part: string, separator: string): string {
  return `its path component ${JSON.stringify(part)} joins words with ${JSON.stringify(separator)}: only ".", "_", "__" or dashes may`;
}

function domainProblem(domain: string): string | undefined {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith("[")) {
    const close = domain.indexOf("]");
    if (close === -1 || !isIp(domain.slice(1, close)) || !domain.slice(1, close).includes(":"))
      return `its registry ${JSON.stringify(domain)} is not a valid host`;
    host = "";
    const after = domain.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":"))
        return `its registry ${JSON.stringify(domain)} is not a valid host`;
      port = after.slice(1);
    }
  } else {
    const colon = domain.indexOf(":");
    if (colon !== -1) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
  }
  if (port !== undefined && (port === "" || ![...port].every(isDigit)))
    return `its registry port ${JSON.stringify(port)} is not a number`;
  if (host === "") return undefined;
  for (const label of host.split(".")) {
    const ok =
      label !== "" &&
      [...label].every((c) => isLower(c) || isUpper(c) || isDigit(c) || c === "-") &&
      !label.startsWith("-") &&
      !label.endsWith("-");
    if (!ok) return `its registry ${JSON.stringify(domain)} is not a valid host`;
  }
  return undefined;
}

function tagProblem(tag: string): string | undefined {
  const valid =
    tag.length >= 1 &&
    tag.length <= 128 &&
    isWord(tag[0] ?? "") &&
    [...tag].every((c) => isWord(c) || c === "." || c === "-");
  return valid
    ? undefined
    : `its tag ${JSON.stringify(tag)} must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`;
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(":");
  const algorithm = colon === -1 ? "" : digest.slice(0, colon);
  const hex = colon === -1 ? "" : digest.slice(colon + 1);
  const algorithmOk = algorithm
    .split(/[-_+.]/)
    .every(
      (p) =>
        p !== "" &&
        (isLower(p[0] ?? "") || isUpper(p[0] ?? "")) &&
        [...p].every((c) => isWord(c) && c !== "_"),
    );
  if (!algorithmOk || hex.length < 32 || ![...hex].every(isHex))
    return `its digest ${JSON.stringify(digest)} is not ALGORITHM:HEX (such as sha256: and 64 hex digits)`;
  return undefined;
}
