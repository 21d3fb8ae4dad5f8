import type { PodmanClient } from "../podman/client.ts";
import {
  removeContainer,
  removePod,
  removeSharedNetwork,
  removeSharedVolume,
  removeVolume,
} from "../podman/objects.ts";
import type { Leftover } from "./errors.ts";
import type { HostFs, HostPathCreated } from "./hostpath.ts";
import { removeSecret } from "./secrets.ts";

/**
 * A `claim` is a volume behind a PersistentVolumeClaim, which other pods may share; a
 * `secret` is a Podman secret holding one key of a Secret.
 */
type CreatedKind = "pod" | "container" | "volume" | "claim" | "secret" | "network";

/** An object created through Podman; `uncertain` when its create got no answer. */
export type CreatedEntry = {
  [K in CreatedKind]: { readonly kind: K; readonly name: string; readonly uncertain?: boolean };
}[CreatedKind];

export type JournalEntry =
  | CreatedEntry
  | {
      readonly kind: "host-path";
      readonly name: string;
      readonly created: NonNullable<HostPathCreated>;
    };

const COLLECTION = {
  pod: "pods",
  container: "containers",
  volume: "volumes",
  claim: "volumes",
  secret: "secrets",
  network: "networks",
} as const;

/**
 * Everything one play created, in order, so a failure can remove exactly that, newest first.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];

  record(entry: JournalEntry): void {
    this.entries.push(entry);
  }

  /** Drops an object the run removed again itself (a helper container). */
  forget(entry: CreatedEntry): void {
    const i = this.entries.findIndex((e) => e.kind === entry.kind && e.name === entry.name);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** Removes every recorded object, newest first; returns what was removed and what was not. */
  async rollback(
    client: PodmanClient,
    hostFs: HostFs,
  ): Promise<{ removed: string[]; leftovers: Leftover[] }> {
    const removed: string[] = [];
    const leftovers: Leftover[] = [];
    const entries = await this.confirmed(client);
    const hasPod = entries.some((e) => e.kind === "pod");
    for (const entry of [...entries].reverse()) {
      try {
        if (entry.kind === "container") {
          // Containers of a pod this run created go with the pod itself, below.
          if (hasPod) continue;
          await removeContainer(client, entry.name);
        } else if (entry.kind === "pod") {
          await removePod(client, entry.name, 0);
          for (const c of entries) if (c.kind === "container") removed.push(`container ${c.name}`);
        } else if (entry.kind === "volume") {
          await removeVolume(client, entry.name);
        } else if (entry.kind === "claim") {
          // Never forced: a pod played alongside this one may have mounted it meanwhile.
          if ((await removeSharedVolume(client, entry.name)) === "in-use") continue;
        } else if (entry.kind === "secret") {
          await removeSecret(client, entry.name);
        } else if (entry.kind === "network") {
          // Never forced: pods played alongside may use it meanwhile.
          if ((await removeSharedNetwork(client, entry.name)) === "in-use") continue;
        } else {
          hostFs.undo(entry.created);
        }
        removed.push(`${kindWord(entry)} ${entry.name}`);
      } catch (e) {
        leftovers.push({
          kind: kindWord(entry),
          name: entry.name,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
    return { removed, leftovers };
  }

  /** The entries, less the uncertain ones Podman says it does not have (kept when it cannot say). */
  private async confirmed(client: PodmanClient): Promise<JournalEntry[]> {
    const out: JournalEntry[] = [];
    for (const e of this.entries) {
      if (e.kind !== "host-path" && e.uncertain) {
        const path = `/${COLLECTION[e.kind]}/${encodeURIComponent(e.name)}/exists`;
        if (!(await client.exists(path).catch(() => true))) continue;
      }
      out.push(e);
    }
    return out;
  }
}

/** What the user reads: a claim's volume is a volume. */
function kindWord(entry: JournalEntry): Leftover["kind"] {
  return entry.kind === "claim" ? "volume" : entry.kind;
}
