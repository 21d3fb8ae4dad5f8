/** Something the plan needed was not there (an image under policy Never, a bad hostPath…). */
export class PlayError extends Error {
  override readonly name = "PlayError";
}

/** One object a rollback could not remove. */
export interface Leftover {
  readonly kind: "pod" | "container" | "volume" | "host-path" | "secret" | "network";
  readonly name: string;
  readonly error: string;
}

/**
 * A play failed before any object was played (an image, a Secret, a claim): what it had
 * created is removed again (`rolledBack`), or could not be (`leftovers`).
 */
export class PlayAborted extends Error {
  override readonly name = "PlayAborted";
  constructor(
    override readonly cause: unknown,
    readonly rolledBack: readonly string[],
    readonly leftovers: readonly Leftover[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * A pod's play failed. `cause` is the original failure; `rolledBack` lists what this run
 * created and then removed again; `leftovers` what it could not remove.
 */
export class PodPlayFailed extends Error {
  override readonly name = "PodPlayFailed";
  constructor(
    readonly pod: string,
    override readonly cause: unknown,
    readonly rolledBack: readonly string[],
    readonly leftovers: readonly Leftover[],
    readonly kept: boolean,
  ) {
    super(`Pod "${pod}" failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
