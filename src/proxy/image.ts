/**
 * kplay's port proxy as a Podman image, made here rather than pulled: a tar of the one static
 * file (binary.generated.ts, built from kplay-proxy.c) imported with `POST /images/import`,
 * the way Podman builds its own pause image from catatonit. Its tag is the source's hash, so
 * a kplay with another proxy never uses this one's.
 */

import { PlayError } from "../apply/errors.ts";
import type { PodmanClient } from "../podman/client.ts";
import { PodmanApiError } from "../podman/errors.ts";
import { tarOf } from "../podman/tar.ts";
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
 * Imports the proxy image for Podman's architecture unless it is there; a PlayError (exit 1,
 * nothing created yet) for an architecture kplay has no proxy for.
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
    throw new PlayError(
      `Podman runs on ${arch || "an unknown architecture"}, and kplay's port proxy is built for ${proxyArchitectures().join(" and ")} only: a Service port other than its targetPort cannot be mapped`,
    );
  const tar = tarOf(
    [{ type: "file", path: PROXY_PATH.slice(1), mode: 0o755, data: Buffer.from(binary, "base64") }],
    0,
  );
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
