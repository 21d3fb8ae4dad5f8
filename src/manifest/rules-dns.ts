/**
 * The API server's name resolution rules (validatePodDNSConfig, ValidateHostAliases):
 * dnsPolicy None needs nameservers; the resolver's limits (3 nameservers, 32 search domains,
 * 2048 characters of search list); valid IPs, search domains, option names and host names.
 */
import { checkName, fail } from "./check.ts";
import { list, mapping, type ObjectContext, quote } from "./context.ts";
import { isIp } from "./ip.ts";
import type { FieldPath } from "./model.ts";
import { checkDns1123Subdomain, checkDnsSearch } from "./names.ts";

const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/** Checks `spec.dnsConfig` (with `spec.dnsPolicy`) and `spec.hostAliases`. */
export function checkNameResolution(
  ctx: ObjectContext,
  spec: Record<string, unknown>,
  reported: ReadonlySet<string>,
): void {
  const at: FieldPath = ["spec", "dnsConfig"];
  const config = mapping(spec.dnsConfig);
  const nameservers = list(config?.nameservers);
  if (spec.dnsPolicy === "None" && nameservers.length === 0) {
    const where = config === undefined ? ["spec", "dnsPolicy"] : [...at, "nameservers"];
    const detail =
      config === undefined
        ? 'dnsConfig must be set when dnsPolicy is "None"'
        : 'must list at least one nameserver when dnsPolicy is "None"';
    fail(ctx, "dns-config", where, detail, reported, {
      anchor: config === undefined ? "value" : "key",
      hint: "With dnsPolicy None the pod gets only the DNS settings of its dnsConfig",
    });
  }
  if (config !== undefined) {
    if (nameservers.length > MAX_NAMESERVERS)
      fail(
        ctx,
        "dns-config",
        [...at, "nameservers"],
        `must not list more than ${MAX_NAMESERVERS} nameservers (${nameservers.length} are given)`,
        reported,
        { anchor: "key" },
      );
    nameservers.forEach((ip, i) => {
      checkIp(ctx, [...at, "nameservers", i], ip, reported);
    });
    const searches = list(config.searches);
    if (searches.length > MAX_SEARCHES)
      fail(
        ctx,
        "dns-config",
        [...at, "searches"],
        `must not list more than ${MAX_SEARCHES} search domains (${searches.length} are given)`,
        reported,
        { anchor: "key" },
      );
    const chars = searches.reduce<number>((n, s) => n + (typeof s === "string" ? s.length : 0), 0);
    const total = chars + Math.max(0, searches.length - 1);
    if (total > MAX_SEARCH_CHARS)
      fail(
        ctx,
        "dns-config",
        [...at, "searches"],
        `must not be longer than ${MAX_SEARCH_CHARS} characters with the spaces between them (it is ${total})`,
        reported,
        { anchor: "key" },
      );
    searches.forEach((s, i) => {
      checkName(ctx, [...at, "searches", i], s, "search domain", checkDnsSearch, reported);
    });
    list(config.options).forEach((o, i) => {
      if (mapping(o)?.name === "")
        fail(ctx, "missing-field", [...at, "options", i, "name"], "must not be empty", reported);
    });
  }
  list(spec.hostAliases).forEach((a, i) => {
    const alias = mapping(a);
    if (alias === undefined) return;
    const here = ["spec", "hostAliases", i];
    checkIp(ctx, [...here, "ip"], alias.ip, reported);
    list(alias.hostnames).forEach((h, j) => {
      checkName(
        ctx,
        [...here, "hostnames", j],
        h,
        "host name (a DNS-1123 subdomain)",
        checkDns1123Subdomain,
        reported,
      );
    });
  });
}

function checkIp(
  ctx: ObjectContext,
  path: FieldPath,
  ip: unknown,
  reported: ReadonlySet<string>,
): void {
  if (typeof ip !== "string" || isIp(ip)) return;
  const detail = `${quote(ip)} is not a valid IP address (such as 10.9.8.7 or 2001:db8::ffff)`;
  fail(ctx, "bad-ip", path, detail, reported);
}
