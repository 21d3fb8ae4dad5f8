import { type Diagnostic, hasErrors } from "../diagnostics/diagnostic.ts";
import { renderDiagnostics } from "../diagnostics/render.ts";
import { buildDesiredState } from "../graph/index.ts";
import type { DesiredState } from "../graph/types.ts";
import { checkAcrossPods } from "../manifest/across.ts";
import { loadManifests } from "../manifest/index.ts";
import type { SecretObject } from "../manifest/objects.ts";
import type { SourceFile } from "../manifest/source.ts";
import { checkPlannable } from "../plan/index.ts";
import { ownerLabel } from "../plan/labels.ts";
import { digestKey, webCrypto } from "./digest-key.ts";
import { type InputOptions, readInputs } from "./inputs.ts";
import type { CliIo } from "./io.ts";

/** How the command reads its inputs. */
export interface LoadFlags extends InputOptions {
  readonly strict: boolean;
  /** The namespace of objects that name none (`-n`). */
  readonly namespace?: string;
  /** Whether Secrets' digests are needed (play, plan, down): they need the local key. */
  readonly digests?: boolean;
}

export interface Checked {
  /** The desired state; empty when any error was found. */
  readonly state: DesiredState;
  /** The Secrets of the input, whose values the executor sends to Podman. */
  readonly secrets: readonly SecretObject[];
  readonly diagnostics: Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
}

const EMPTY: DesiredState = {
  objects: [],
  secrets: [],
  claims: [],
  networks: [],
  services: [],
  data: { configMaps: new Map(), secrets: new Map() },
};

/**
 * Reads, parses and validates the files, expands them into the desired state, then asks the
 * planner whether it can plan every pod of it (an unsafe subPath, a value it cannot compute),
 * and checks what pods of different objects would clash over: every problem, as diagnostics.
 */
export async function checkInputs(
  io: CliIo,
  files: readonly string[],
  flags: LoadFlags,
): Promise<Checked> {
  const sources = await readInputs(io, files, flags);
  return checkSources(sources, flags, flags.digests ? digestKey(io.env) : new Uint8Array(32));
}

/**
 * What `checkInputs` does once the inputs are read: pure but for the fresh nonce of
 * generateName objects; for `validate` and the tests. `key` is the Secret digest key (any
 * fixed bytes when digests do not matter).
 */
export function checkSources(
  sources: readonly SourceFile[],
  flags: Omit<LoadFlags, "digests">,
  key: Uint8Array,
): Checked {
  const result = loadManifests(sources, {
    strict: flags.strict,
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
  const state = buildDesiredState(result.validPods, result.validObjects, {
    digestKey: key,
    nonce: webCrypto().randomUUID(),
  });
  const pods = state.objects.flatMap((o) =>
    o.pods.map((p) => ({ ...p.doc, owner: ownerLabel(o.ref) })),
  );
  // The planner's refusals of the valid pods are reported too, so one run shows every problem.
  const found = [...result.diagnostics];
  if (!hasErrors(found)) found.push(...checkAcrossPods(pods));
  found.push(...checkPlannable(state));
  const ok = !hasErrors(found);
  const secrets = result.objects.filter((o): o is SecretObject => o.kind === "Secret");
  return {
    state: ok ? state : EMPTY,
    secrets: ok ? secrets : [],
    diagnostics: found,
    texts: result.texts,
  };
}

/** The outcome of reading and validating the command's files. */
export type Loaded =
  | { ok: true; state: DesiredState; secrets: readonly SecretObject[] }
  | { ok: false };

/**
 * Checks the inputs and prints every diagnostic to stderr with its source frame. Not ok
 * when any error was found: the caller exits 2 and sends nothing to Podman.
 */
export async function loadForCommand(
  io: CliIo,
  files: readonly string[],
  flags: LoadFlags,
): Promise<Loaded> {
  const checked = await checkInputs(io, files, flags);
  printDiagnostics(io, checked);
  if (hasErrors(checked.diagnostics)) return { ok: false };
  return { ok: true, state: checked.state, secrets: checked.secrets };
}

/** Prints diagnostics to stderr with source frames (colour on a terminal unless NO_COLOR). */
export function printDiagnostics(io: CliIo, checked: Pick<Checked, "diagnostics" | "texts">): void {
  if (checked.diagnostics.length === 0) return;
  const color = io.stderrIsTTY && !io.env.NO_COLOR;
  io.stderr(`${renderDiagnostics(checked.diagnostics, checked.texts, { color })}\n`);
}
