#!/usr/bin/env bash
# test-image.sh DIR [NAME]: build kplay's test images in the isolated store of DIR
# (scripts/podman-service.sh), with no registry. NAME defaults to localhost/busybox:test;
# it also builds localhost/busybox-httpd:test and localhost/busybox-entry:test (names
# derived from NAME). What each image contains: kplay_build_images in scripts/lib.sh.
# Images that already exist are skipped. Images are written through the CLI with the
# same flags as the service, so the service sees them at once (same store).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: test-image.sh DIR [NAME]" >&2
  exit 2
fi
# shellcheck source=scripts/podman-env.sh
. "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh" "$1"
[[ -d "$KPODMAN_DIR/root" ]] || kplay_die "$KPODMAN_DIR has no store: run scripts/podman-service.sh start $1 first"

t0="$(kplay_now_ms)"
kplay_build_images kpodman "${2:-localhost/busybox:test}" all
kplay_log "test images ready in $(($(kplay_now_ms) - t0)) ms"
