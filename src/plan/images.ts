import type { Container } from "../manifest/model.ts";
import type { EnsureImageStep, PullPolicy } from "./types.ts";

/**
 * Kubernetes' default pull policy: `:latest` or no tag pulls always, anything else
 * if not present. Images under `localhost/` can never be pulled, so they are only checked.
 */
export function effectivePullPolicy(image: string, policy: PullPolicy | undefined): PullPolicy {
  if (isLocalImage(image)) return "Never";
  if (policy) return policy;
  const { tag, digest } = splitReference(image);
  if (digest) return "IfNotPresent";
  return tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

/** Whether the image lives only in local storage (no registry could serve it). */
export function isLocalImage(image: string): boolean {
  return image.startsWith("localhost/");
}

/** Splits `repo[:tag][@digest]`; a `:` before the last `/` is a registry port, not a tag. */
export function splitReference(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const out: { name: string; tag?: string; digest?: string } =
    colon > slash ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1) } : { name: rest };
  if (digest !== undefined) out.digest = digest;
  return out;
}

/** One ensure-image step per distinct image, in first-use order. */
export function planImages(
  containers: readonly (Container & { readonly pullSecrets?: readonly string[] })[],
): EnsureImageStep[] {
  const byImage = new Map<
    string,
    { policy: PullPolicy; containers: string[]; secrets: Set<string> }
  >();
  for (const c of containers) {
    const policy = effectivePullPolicy(c.image, c.imagePullPolicy);
    const seen = byImage.get(c.image);
    if (seen) {
      seen.containers.push(c.name);
      for (const s of c.pullSecrets ?? []) seen.secrets.add(s);
      // The strongest policy wins: if any container asks to pull always, pull.
      if (rank(policy) > rank(seen.policy)) seen.policy = policy;
    } else {
      byImage.set(c.image, { policy, containers: [c.name], secrets: new Set(c.pullSecrets) });
    }
  }
  return [...byImage].map(([image, { policy, containers, secrets }]) => {
    const ref = encodeURIComponent(image);
    const step: EnsureImageStep = {
      action: "ensure-image",
      image,
      policy,
      containers,
      inspect: { method: "GET", path: `/images/${ref}/json` },
      ...(policy === "Never"
        ? {}
        : {
            pull: {
              method: "POST",
              path: "/images/pull",
              query: { reference: image, policy: "always", quiet: "true" },
            },
            ...(secrets.size > 0 ? { pullSecrets: [...secrets].sort() } : {}),
          }),
    };
    return step;
  });
}

function rank(p: PullPolicy): number {
  return p === "Always" ? 2 : p === "IfNotPresent" ? 1 : 0;
}
