/**
 * kplay's port proxy as a Podman image, made here rather than pulled: a tar of the one static
 * file (binary.generated.ts, built from kplay-proxy.c) imported with `POST /images/import`,
 * the way Podman builds its own pause image from catatonit. Its tag is the source's hash, so
 * a kplay with another proxy never uses this one's.
 */

import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { PROXY_BINARIES, PROXY_SOURCE_SHA256 } from "./binary.generated.ts";

/** The image kplay's proxy containers run. */
export const PROXY_IMAGE = `localhost/kplay-proxy:${PROXY_SOURCE_SHA256.slice(0, 12)}`;

/** The proxy's path inside its image. */
export const PROXY_PATH = "/kplay-proxy";

/** Podman's architecture names (`GET /info` host.arch) of the proxies kplay carries. */
export function proxyArchitectures(): string[] {
  return Object.keys(PROXY_BINARIES);
}

/**
 * Imports the proxy image for Podman's architecture unless it is there; throws a PlayError-
 * like Error for an architecture kplay has no proxy for.
 */
export async function ensureProxyImage(
  client: PodmanClient,
  image: string,
  signal?: AbortSignal,
): Promise<void> {
  if (await client.exists(`/images/${encodeURIComponent(image)}/json`)) return;
  const info = await client.call<{ host?: { arch?: string } }>({ method: "GET", path: "/info" });
  const arch = info?.host?.arch ?? "";
  const binary = Object.hasOwn(PROXY_BINARIES, arch) ? PROXY_BINARIES[arch] : undefined;
  if (binary === undefined)
    throw new ProxyImageError(
      `Podman runs on ${arch || "an unknown architecture"}, and kplay's port proxy is built for ${proxyArchitectures().join(" and ")} only: a Service port other than its targetPort cannot be mapped`,
    );
  const tar = tarOf(PROXY_PATH.slice(1), Buffer.from(binary, "base64"));
  const res = await client.call<{ Id?: string } | string>(
    {
      method: "POST",
      path: "/images/import",
      query: {
        reference: image,
        changes: `ENTRYPOINT ["${PROXY_PATH}"]`,
        message: "kplay's Service port proxy",
      },
      body: tar,
      contentType: "application/x-tar",
    },
    signal ? { signal } : {},
  );
  if (!(await client.exists(`/images/${encodeURIComponent(image)}/json`)))
    throw new PodmanApiError(
      "POST",
      "/images/import",
      200,
      `no image after the import: ${JSON.stringify(res)}`,
    );
}

/** The proxy image could not be made. */
export class ProxyImageError extends Error {
  override readonly name = "ProxyImageError";
}

/** A POSIX (ustar) archive of one executable file owned by root. */
export function tarOf(name: string, data: Uint8Array): Uint8Array {
  const header = new Uint8Array(512);
  const put = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  const octal = (offset: number, width: number, value: number) =>
    put(offset, `${value.toString(8).padStart(width - 1, "0")}\0`);
  put(0, name);
  octal(100, 8, 0o755);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, data.length);
  octal(136, 12, 0);
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\u000000");
  put(265, "root");
  put(297, "root");
  let sum = 0;
  for (const b of header) sum += b;
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  const padded = Math.ceil(data.length / 512) * 512;
  const out = new Uint8Array(512 + padded + 1024);
  out.set(header, 0);
  out.set(data, 512);
  return out;
}
