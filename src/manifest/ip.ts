/**
 * IP addresses as the API server reads them (k8s.io/utils/net `ParseIPSloppy`, the Go 1.16
 * parser): dotted IPv4 whose parts may have leading zeros, and IPv6 with at most one `::`, an
 * optional trailing dotted IPv4, and no zone. A scanner: linear, no regular expression.
 */

/** Whether `s` is an IPv4 or IPv6 address the API server accepts. */
export function isIp(s: string): boolean {
  return s.includes(":") ? isIpv6(s) : isIpv4(s);
}

/** Dotted decimal, four parts of 0-255; leading zeros are allowed (`010` is 10). */
export function isIpv4(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => {
    if (p.length === 0) return false;
    let n = 0;
    for (const c of p) {
      if (c < "0" || c > "9") return false;
      n = n * 10 + (c.charCodeAt(0) - 48);
      if (n > 255) return false;
    }
    return true;
  });
}

function isIpv6(s: string): boolean {
  const ellipsis = s.indexOf("::");
  if (ellipsis !== -1 && s.indexOf("::", ellipsis + 1) !== -1) return false;
  const head = ellipsis === -1 ? s : s.slice(0, ellipsis);
  const tail = ellipsis === -1 ? "" : s.slice(ellipsis + 2);
  const groups = [...splitGroups(head), ...splitGroups(tail)];
  if (groups.includes(undefined)) return false;
  let count = 0;
  for (const [i, g] of groups.entries()) {
    // A dotted IPv4 may only end the address, and counts as two groups.
    if (g?.includes(".")) {
      if (i !== groups.length - 1 || !isIpv4(g)) return false;
      if (ellipsis !== -1 && tail === "") return false;
      count += 2;
    } else if (isHexGroup(g ?? "")) count += 1;
    else return false;
  }
  return ellipsis === -1 ? count === 8 : count < 8;
}

/** The `:`-separated groups of one side of `::`; undefined marks an empty group. */
function splitGroups(side: string): (string | undefined)[] {
  if (side === "") return [];
  return side.split(":").map((g) => (g === "" ? undefined : g));
}

/** Hex digits worth at most 0xFFFF (the sloppy parser allows leading zeros beyond four). */
function isHexGroup(g: string): boolean {
  if (g.length === 0) return false;
  let n = 0;
  for (const c of g) {
    const d = Number.parseInt(c, 16);
    if (Number.isNaN(d)) return false;
    n = n * 16 + d;
    if (n > 0xffff) return false;
  }
  return true;
}
