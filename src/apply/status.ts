import type { PodmanClient } from "../podman/client.ts";
import { inspectPod, listPods } from "../podman/objects.ts";
import { LABEL_MANAGED } from "../plan/labels.ts";

export interface PodStatus {
  readonly name: string;
  readonly id: string;
  readonly status: string;
  readonly running: number;
  /** App and init containers; the infra container is not counted. */
  readonly total: number;
  readonly ports: readonly string[];
  readonly created: string;
}

/** The pods kplay created, sorted by name, with counts and published ports. */
export async function listKplayPods(client: PodmanClient): Promise<PodStatus[]> {
  const pods = await listPods(client, `${LABEL_MANAGED}=true`);
  const out = await Promise.all(
    pods.map(async (p) => {
      const containers = (p.Containers ?? []).filter((c) => c.Id !== p.InfraId);
      const inspected = await inspectPod(client, p.Name).catch(() => undefined);
      const ports: string[] = [];
      for (const [target, binds] of Object.entries(inspected?.InfraConfig?.PortBindings ?? {})) {
        for (const b of binds ?? []) ports.push(`${b.HostIp || "0.0.0.0"}:${b.HostPort}->${target}`);
      }
      return {
        name: p.Name,
        id: p.Id,
        status: p.Status,
        running: containers.filter((c) => c.Status === "running").length,
        total: containers.length,
        ports: ports.sort(),
        created: p.Created,
      };
    }),
  );
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
