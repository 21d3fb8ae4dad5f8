import type { PodmanClient } from "../podman/client.ts";
import { removeContainer, removePod, removeVolume } from "../podman/objects.ts";
import type { HostFs, HostPathCreated } from "./hostpath.ts";
import type { Leftover } from "./errors.ts";

export type JournalEntry =
  | { readonly kind: "pod"; readonly name: string }
  | { readonly kind: "container"; readonly name: string }
  | { readonly kind: "volume"; readonly name: string }
  | { readonly kind: "host-path"; readonly name: string; readonly created: NonNullable<HostPathCreated> };

/**
 * Everything one play created, in order, so a failure can remove exactly that, newest first.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];

  record(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  /** Removes every recorded object, newest first; returns what was removed and what was not. */
  async rollback(client: PodmanClient, hostFs: HostFs): Promise<{ removed: string[]; leftovers: Leftover[] }> {
    const removed: string[] = [];
    const leftovers: Leftover[] = [];
    const hasPod = this.entries.some((e) => e.kind === "pod");
    for (const entry of [...this.entries].reverse()) {
      try {
        if (entry.kind === "container") {
          // Containers of a pod this run created go with the pod itself, below.
          if (hasPod) continue;
          await removeContainer(client, entry.name);
        } else if (entry.kind === "pod") {
          await removePod(client, entry.name, 0);
          for (const c of this.entries) if (c.kind === "container") removed.push(`container ${c.name}`);
        } else if (entry.kind === "volume") {
          await removeVolume(client, entry.name);
        } else {
          hostFs.undo(entry.created);
        }
        removed.push(`${entry.kind} ${entry.name}`);
      } catch (e) {
        leftovers.push({ kind: entry.kind, name: entry.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { removed, leftovers };
  }
}
