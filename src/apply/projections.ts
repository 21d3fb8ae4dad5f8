/**
 * A changed ConfigMap reaches a running pod as the kubelet delivers it: the files of its
 * volumes are rewritten in place (a new `..<hash>` directory, then `..data` swapped), the pod,
 * its containers and their processes stay. Which data directory a volume shows is read from
 * a container of the pod that mounts it (`..data`'s link target); only volumes whose
 * directory differs from the plan's are written, so an unchanged re-play writes nothing.
 *
 * What libpod's API cannot do: delete a file. A key removed from a ConfigMap leaves its
 * top-level link behind, pointing nowhere (reading it fails, as reading a removed key should).
 */
import type { PodPlan, PrepareVolumesStep, VolumeFill } from "../plan/types.ts";
import type { PodmanClient } from "../podman/client.ts";
import { prepareVolumes } from "./execute.ts";
import { Journal } from "./journal.ts";

/** Rewrites the projected volumes of an existing pod whose content changed; returns their names. */
export async function refreshProjections(client: PodmanClient, plan: PodPlan): Promise<string[]> {
  const step = plan.steps.find((s): s is PrepareVolumesStep => s.action === "prepare-volumes");
  if (!step || step.projections.length === 0) return [];
  const stale: VolumeFill[] = [];
  for (const fill of step.projections) {
    const mount = mountOf(plan, fill.volume);
    if (!mount) continue;
    const current = await client
      .statPath(mount.container, `${mount.path}/..data`)
      .catch(() => undefined);
    // libpod resolves the link: its target comes back as an absolute path in the container.
    if (current?.linkTarget?.split("/").pop() !== fill.dataDir) stale.push(fill);
  }
  if (stale.length === 0) return [];
  // The same helper as at creation, with only the stale volumes' files and no folders.
  await prepareVolumes(client, { ...step, folders: [], projections: stale }, new Journal());
  return stale.map((f) => f.volume);
}

/** A container of the pod that mounts `volume`, and where. */
function mountOf(plan: PodPlan, volume: string): { container: string; path: string } | undefined {
  for (const s of plan.steps) {
    if (s.action !== "create-container") continue;
    const body = s.request.body as { volumes?: { Name: string; Dest: string; SubPath?: string }[] };
    const v = body.volumes?.find((x) => x.Name === volume && x.SubPath === undefined);
    if (v) return { container: s.name, path: v.Dest };
  }
  return undefined;
}
