/**
 * Podman's names for a container that ran and finished. libpod reports "stopped" as soon as
 * the process has exited and "exited" once the cleanup process (conmon's exit command) has
 * run; the second step is asynchronous and, under rootless Podman on a busy machine, can
 * take seconds. A test that inspects a finished init container must accept both.
 */
export const FINISHED_STATES: readonly string[] = ["stopped", "exited"];
