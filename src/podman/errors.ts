/** Podman answered, but with an error status. Carries what is needed to explain it. */
export class PodmanApiError extends Error {
  override readonly name = "PodmanApiError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** Podman's own message (`cause` / `message` of its JSON error body), or the raw body. */
    readonly detail: string,
  ) {
    super(`[${method}] "${path}": ${status} ${statusText(status)}: ${detail}`);
  }
}

/** Podman's API is older than kplay can drive. */
export class PodmanVersionError extends Error {
  override readonly name = "PodmanVersionError";
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: "Bad Request",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    304: "Not Modified",
  };
  return texts[status] ?? "Error";
}

/** Extracts Podman's message from an error body (`{"cause":…,"message":…,"response":…}`). */
export function podmanErrorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; cause?: unknown; Errs?: unknown };
    if (typeof parsed.message === "string" && parsed.message) return parsed.message;
    if (Array.isArray(parsed.Errs) && parsed.Errs.length > 0)
      return parsed.Errs.map(String).join("; ");
    if (typeof parsed.cause === "string" && parsed.cause) return parsed.cause;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 500) || "(empty body)";
}
