#!/usr/bin/env bash
# test.sh (`npm test`): everything CI checks, in order.
#   setup.sh -> build and release -> typecheck + lint -> an isolated Podman service in
#   .tmp/test-XXXXXX (podman-service.sh) -> test images (test-image.sh) -> as root, a
#   rootless Podman service in .tmp/rootless-XXXXXX (rootless-service.sh) and a Podman 5.4
#   service in a chroot in .tmp/podman5-XXXXXX (podman5-service.sh) -> bun test "$@"
# The services and their stores are removed on exit, whatever happens; bun's exit code is ours.
#
# Extra arguments go to `bun test`: `npm test -- test/support.test.ts`, `npm test -- -t ping`.
# For quick local iterations (never in CI): KPLAY_SKIP_BUILD=1 and/or KPLAY_SKIP_CHECKS=1;
# KPLAY_SKIP_PODMAN5=1 starts no Podman 5.4 (test/podman5 is then skipped).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KPLAY_ROOT"

# The typecheck and lint gate. One function so it is easy to find and to change.
run_checks() {
  node_modules/.bin/tsc --noEmit -p .
  node_modules/.bin/biome check src test
  # The same source must typecheck under Deno too (STYLE.md).
  node_modules/.bin/deno check --no-lock --quiet src/main.ts
}

# A .tmp/test-*, .tmp/rootless-* or .tmp/podman5-* folder (or a test's own .tmp/autostart-*,
# .tmp/ssh-*) is stale when the test.sh that
# made it is gone (killed, machine crash): its service may still run (setsid), or be dead
# with containers, mounts, /run/netns entries or a bridge and nftables rules left.
# podman-service.sh / rootless-service.sh / podman5-service.sh stop clean up either way.
# A folder whose owner is alive belongs to a concurrent run and is left alone.
reap_stale_dirs() {
  local d owner
  for d in .tmp/test-*/ .tmp/rootless-*/ .tmp/podman5-*/ .tmp/autostart-*/ .tmp/ssh-*/; do
    [[ -d "$d" ]] || continue
    d="${d%/}"
    owner="$(cat "$d/owner.pid" 2>/dev/null || true)"
    if [[ "$owner" =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null &&
      tr '\0' ' ' <"/proc/$owner/cmdline" 2>/dev/null | grep -q 'test\.sh'; then
      continue
    fi
    kplay_log "removing stale test folder $d"
    if [[ "$d" == .tmp/rootless-* ]]; then
      bash scripts/rootless-service.sh stop "$d" || kplay_log "warning: could not clean $d"
    elif [[ "$d" == .tmp/ssh-* ]]; then
      # test/e2e/ssh.test.ts's sshd on 127.0.0.1 (its PidFile is in the folder).
      local sshd
      sshd="$(cat "$d/sshd.pid" 2>/dev/null || true)"
      if [[ "$sshd" =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/$sshd/comm" 2>/dev/null)" == sshd ]]; then
        kill "$sshd" 2>/dev/null || true
      fi
      rm -rf "$d"
    elif [[ "$d" == .tmp/autostart-* ]]; then
      # test/e2e/autostart.test.ts's store: its service ran in a private mount namespace
      # (no mounts out here) and exits by itself 10 s after its last request.
      rm -rf "$d"
    elif [[ "$d" == .tmp/podman5-* ]]; then
      bash scripts/podman5-service.sh stop "$d" || kplay_log "warning: could not clean $d"
    else
      bash scripts/podman-service.sh stop "$d" || kplay_log "warning: could not clean $d"
    fi
  done
}

bash scripts/setup.sh

if [[ "${KPLAY_SKIP_BUILD:-}" == 1 ]]; then
  kplay_log "KPLAY_SKIP_BUILD=1: not building (dist/ may be stale)"
else
  npm run --silent build
  # The five release executables: test/release runs linux-arm64 under qemu against
  # linux-x64 (dist/kplay's twin) and checks the macOS and Windows ones it cannot run.
  npm run --silent release
fi

if [[ "${KPLAY_SKIP_CHECKS:-}" == 1 ]]; then
  kplay_log "KPLAY_SKIP_CHECKS=1: no typecheck/lint"
else
  run_checks
fi

mkdir -p .tmp
reap_stale_dirs
dir="$(mktemp -d "$KPLAY_ROOT/.tmp/test-XXXXXX")"
# Written before anything else, so a run killed from here on is recognisable as stale.
echo $$ >"$dir/owner.pid"

rootless_dir=""
podman5_dir=""
# shellcheck disable=SC2317 # called by the EXIT trap
stop_service() {
  if [[ -n "$podman5_dir" ]]; then
    bash scripts/podman5-service.sh stop "$podman5_dir" ||
      kplay_log "warning: cleanup of $podman5_dir failed"
  fi
  if [[ -n "$rootless_dir" ]]; then
    bash scripts/rootless-service.sh stop "$rootless_dir" ||
      kplay_log "warning: cleanup of $rootless_dir failed"
  fi
  bash scripts/podman-service.sh stop "$dir" || kplay_log "warning: cleanup of $dir failed"
}
# EXIT covers normal ends and errors; INT/TERM are turned into an exit so EXIT runs once.
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url="$(bash scripts/podman-service.sh start "$dir")"
bash scripts/test-image.sh "$dir"

# The rootless Podman kplay's users run (test/e2e/rootless.test.ts): as the user
# kplay-rootless, which only root can create and switch to. About 1 s with its image.
if ((EUID == 0)); then
  rootless_dir="$(mktemp -d "$KPLAY_ROOT/.tmp/rootless-XXXXXX")"
  echo $$ >"$rootless_dir/owner.pid"
  rootless_url="$(bash scripts/rootless-service.sh start "$rootless_dir")"
  export KPLAY_TEST_ROOTLESS_URL="$rootless_url"
else
  kplay_log "not root: no rootless Podman service, test/e2e/rootless.test.ts is skipped"
  unset KPLAY_TEST_ROOTLESS_URL
fi

# Podman 5.4, the version most users run (test/podman5), in a trixie chroot: chroot,
# namespaces and a bridge need root. About 2 s from the cached rootfs; the first run on a
# machine builds that cache with debootstrap (~40 s, /var/cache/kplay).
if ((EUID == 0)) && [[ "${KPLAY_SKIP_PODMAN5:-}" != 1 ]]; then
  podman5_dir="$(mktemp -d "$KPLAY_ROOT/.tmp/podman5-XXXXXX")"
  echo $$ >"$podman5_dir/owner.pid"
  podman5_url="$(bash scripts/podman5-service.sh start "$podman5_dir")"
  export KPLAY_TEST_PODMAN5_URL="$podman5_url"
else
  kplay_log "not root or KPLAY_SKIP_PODMAN5=1: no Podman 5.4 service, test/podman5 is skipped"
  unset KPLAY_TEST_PODMAN5_URL
fi

export KPLAY_TEST_URL="$url"
export KPLAY_TEST_PODMAN_DIR="$dir"
export KPLAY_TEST_CONTAINERS_CONF="$KPLAY_CONTAINERS_CONF"
# Tests reach kplay's Podman through runKplay (which sets CONTAINER_HOST per call); an
# inherited CONTAINER_HOST would point the podman CLI helper at the remote client.
unset CONTAINER_HOST CONTAINER_CONNECTION

# Not `exec`: the EXIT trap must still run. 300 s per test: a cold first pod also
# builds the pause image; init containers under podman kube play wait ~20 s (measured);
# CI machines have run rootless plays ten times slower than here. A hang still fails.
log="$dir/bun-test.log"
set +e
node_modules/.bin/bun test --timeout 300000 "$@" 2>&1 | tee "$log"
status="${PIPESTATUS[0]}"
set -e
# bun ends with " N pass" and " N fail" on two lines; CI reads the one-line form.
passed="$(sed -n 's/^ \([0-9][0-9]*\) pass$/\1/p' "$log" | tail -n 1)"
failed="$(sed -n 's/^ \([0-9][0-9]*\) fail$/\1/p' "$log" | tail -n 1)"
if [[ -n "$passed" ]]; then
  printf '%s passed, %s failed\n' "$passed" "${failed:-0}"
fi
exit "$status"
