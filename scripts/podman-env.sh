#!/usr/bin/env bash
# podman-env.sh DIR: the podman CLI bound to the isolated store in DIR.
#
#   . scripts/podman-env.sh DIR    defines `kpodman` (podman with the isolated flags)
#   bash scripts/podman-env.sh DIR ARGS...   runs `kpodman ARGS...` (handy by hand:
#                                  `bash scripts/podman-env.sh .tmp/x ps -a --pod`)
#
# The CLI and the service (scripts/podman-service.sh) must use the same CONTAINERS_CONF,
# --root, --runroot and --tmpdir, or they see different stores (PODMAN-HERE.md). The CLI
# runs in-process against the store (not through the socket), so it also works when the
# service is dead, which is what cleanup of a killed run needs.

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -lt 1 || -z "$1" ]]; then
  kplay_log "usage: podman-env.sh DIR [PODMAN ARGS...]"
  # Sourced: return; executed: exit.
  # shellcheck disable=SC2317
  return 2 2>/dev/null || exit 2
fi
# realpath -m: DIR may not exist yet (start) or any more (a second stop).
KPODMAN_DIR="$(realpath -m "$1")"
shift
export KPODMAN_DIR

# env -u: with CONTAINER_HOST or CONTAINER_CONNECTION set (kplay's own variable; a
# user's shell may have it), podman silently turns into the remote client and then
# rejects --root ("unknown flag"): podman 4.3 cmd/podman/registry/remote.go.
kpodman() {
  env -u CONTAINER_HOST -u CONTAINER_CONNECTION CONTAINERS_CONF="$KPLAY_CONTAINERS_CONF" podman \
    --root "$KPODMAN_DIR/root" --runroot "$KPODMAN_DIR/run" --tmpdir "$KPODMAN_DIR/tmp" "$@"
}

# Executed rather than sourced: run the remaining arguments.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  kpodman "$@"
fi
