#!/usr/bin/env bash
# podman-service.sh start DIR | stop DIR | status DIR
#
# An isolated Podman API service whose whole store lives in DIR (PODMAN-HERE.md):
#   CONTAINERS_CONF=scripts/containers.conf podman --root DIR/root --runroot DIR/run \
#     --tmpdir DIR/tmp system service --time=0 unix://DIR/podman.sock
# It shares nothing with the system's Podman except the default bridge network, the
# network config dir /etc/containers/networks, netns files in /run/netns and the
# /dev/shm/libpod_lock lock table (lock numbers come from one shared pool).
#
# start: launches it in the background (DIR/service.pid, DIR/service.log), waits (20 s at
#        most) until GET /_ping answers OK, prints unix://DIR/podman.sock. Idempotent.
# stop:  kills the service, SIGKILLs and removes every pod, container and volume of the
#        store (through the CLI), unmounts whatever is still mounted under DIR, deletes
#        DIR. Works on a dead service too (cleanup after a killed run). Quiet; no-op if
#        DIR is gone; refuses a DIR that was never a store.
# status: exit 0 if the service of DIR answers.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  kplay_log "usage: podman-service.sh start|stop|status DIR"
  exit 2
}
[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$(realpath -m "$2")"
sock="$dir/podman.sock"
pidfile="$dir/service.pid"
logfile="$dir/service.log"

# The pid in DIR/service.pid if that process is alive and is still our podman.
service_pid() { kplay_service_pid "$pidfile" "$sock"; }

# Pids of the conmon and podman processes working on this store (monitors, `podman
# container cleanup` exit commands, a wedged CLI): their command lines name DIR/. Only
# those two programs: a shell whose command line merely mentions DIR is not ours.
# One grep over all cmdlines instead of a fork per process.
store_pids() {
  local f p comm
  while IFS= read -r f; do
    p="${f#/proc/}"
    p="${p%/cmdline}"
    comm="$(cat "/proc/$p/comm" 2>/dev/null)" || continue
    [[ "$comm" == conmon || "$comm" == podman ]] && printf '%s\n' "$p"
  done < <(grep -lsaF -- "$dir/" /proc/[0-9]*/cmdline)
  return 0
}

start() {
  if service_pid >/dev/null && kplay_ping "$sock"; then
    printf 'unix://%s\n' "$sock"
    return 0
  fi
  # sun_path is 108 bytes; a deep checkout would otherwise fail with a cryptic bind error.
  ((${#sock} < 108)) || kplay_die "socket path too long for a unix socket (${#sock} >= 108): $sock"
  command -v podman >/dev/null || kplay_die "podman is not installed: run scripts/setup.sh"

  mkdir -p "$dir/root" "$dir/run" "$dir/tmp"
  rm -f "$sock"
  local t0
  t0="$(kplay_now_ms)"
  # setsid: the service gets its own session, so a Ctrl-C meant for the test run does not
  # kill it under the EXIT trap that is about to clean it up through the API/CLI.
  # env -u: see kpodman in podman-env.sh (CONTAINER_HOST would make podman remote).
  env -u CONTAINER_HOST -u CONTAINER_CONNECTION CONTAINERS_CONF="$KPLAY_CONTAINERS_CONF" setsid podman \
    --root "$dir/root" --runroot "$dir/run" --tmpdir "$dir/tmp" \
    system service --time=0 "unix://$sock" </dev/null >"$logfile" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"

  kplay_await_service "$pid" "$sock" "$logfile" "podman service in $dir" || exit 1
  kplay_log "podman service up in $(($(kplay_now_ms) - t0)) ms: unix://$sock"
  printf 'unix://%s\n' "$sock"
}

stop() {
  [[ -d "$dir" ]] || return 0
  # A DIR that never held a store (or a typo) must not be rm -rf'd by a cleanup script.
  if [[ ! -d "$dir/root" && ! -f "$pidfile" ]]; then
    kplay_die "$dir does not look like a podman-service.sh DIR (no root/, no service.pid); not deleting it"
  fi
  # Service first, so no client still connected can create anything while we clean.
  # SIGKILL, not TERM: on TERM podman 4.3 waits a fixed 1 s grace period for idle
  # clients and exits after ~1.5-2 s (measured). Killing it is safe: libpod's shm locks
  # are robust mutexes (a dead holder's lock is recovered), and the store's state lives
  # in bolt_state.db, which the CLI below opens just like the service did.
  local pid
  if pid="$(service_pid)"; then
    kill -KILL "$pid" 2>/dev/null || true
    # Bounded, and a zombie counts as gone: the service is not our child (an earlier
    # `start` launched it), so reaping it is up to PID 1.
    local i
    for ((i = 0; i < 100; i++)); do
      [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)" =~ ^[XZ]$ ]] && break
      sleep 0.02
    done
  fi

  # shellcheck source=scripts/podman-env.sh
  . "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh" "$dir"
  if [[ -d "$dir/root/libpod" ]] && command -v podman >/dev/null; then
    # SIGKILL the containers first: a forced rm would wait the 10 s stop timeout for
    # every PID 1 that ignores SIGTERM (busybox sh, httpd). The CLI works on the store
    # directly, without the service. Removing (rather than just deleting DIR) matters:
    # it tears down the netns files in the system-wide /run/netns, the bridge
    # addresses and the lock numbers, which rm -rf would leak. Errors are expected
    # (nothing running, already gone) and not interesting.
    # `kill --all` covers pod members and infra containers too (`pod kill` would be a
    # second, redundant pass: ~350 ms), and marks them stopped-by-user, so restart
    # policies (kube play's default is Always) do not bring them back.
    kpodman kill --all --signal KILL >/dev/null 2>&1 || true
    # Let conmon and the cleanup processes it spawns finish first (~0.1-0.3 s): a
    # `pod rm` issued while they still sit in the pod's cgroup takes ~3.5 s instead
    # of ~0.1 s (measured, 6 runs each: it waits for the cgroup to empty).
    local i
    for ((i = 0; i < 250; i++)); do
      [[ -z "$(store_pids)" ]] && break
      sleep 0.02
    done
    kpodman pod rm --all --force >/dev/null 2>&1 || true
    kpodman rm --all --force --time 0 >/dev/null 2>&1 || true
    kpodman volume rm --all --force >/dev/null 2>&1 || true
    # NOT `podman system reset`: besides the store it deletes every non-default network
    # (podman 4.3.1 libpod/reset.go), and networks live in the system-wide
    # /etc/containers/networks.
  fi

  # Whatever still runs for this store despite all that is ours: kill it by pid.
  local p
  for p in $(store_pids); do
    kill -KILL "$p" 2>/dev/null || true
  done

  # Unmount leftovers (overlay merged dirs, shm tmpfs, the overlay home bind mount).
  kplay_unmount_under "$dir"

  rm -rf "$dir"
}

status() {
  service_pid >/dev/null && kplay_ping "$sock"
}

case "$cmd" in
start) start ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
