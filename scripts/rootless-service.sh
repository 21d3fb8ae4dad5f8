#!/usr/bin/env bash
# rootless-service.sh start DIR | stop DIR | status DIR   (run as root)
#
# A ROOTLESS Podman API service, as kplay's main users run it on their laptops, for the
# tests of a root-run `npm test` (PODMAN-HERE.md, "Rootless Podman"). It runs as the
# dedicated user kplay-rootless, and everything it keeps lives in DIR:
#   DIR/home      HOME: ~/.config/containers/{containers,storage}.conf, the store
#                 (~/.local/share/containers/storage)
#   DIR/run       XDG_RUNTIME_DIR (no logind here to make /run/user/UID): runroot, tmp_dir,
#                 the pause process's pid file, the socket DIR/run/podman/podman.sock
#   DIR/service.pid, DIR/service.log, DIR/user (the user's name, for stop)
#   DIR/work-*    scratch folders of test/e2e/rootless.test.ts (hostPath sources), so that
#                 stop removes them too after a killed run
# Root (the tests) can connect to the socket whatever its mode.
#
# start: creates the user if needed (idempotent), makes /dev/net/tun usable, writes the
#        configuration, launches `podman system service` as the user, waits (20 s at most)
#        for GET /_ping, imports localhost/busybox:test into the user's store and prints
#        unix://DIR/run/podman/podman.sock. Idempotent while the service answers.
# stop:  kills the service, SIGKILLs and removes the user's pods/containers/volumes of this
#        DIR (CLI, as the user), ends the rootless pause process and whatever else still
#        runs for DIR (by pid), deletes DIR. Works on a dead service (cleanup after a
#        killed run). No-op if DIR is gone; refuses a DIR that was never one of ours.
#        The user itself stays (cheap to keep, shared by concurrent runs).
# prepare: the user, configuration and store (with the test image) of start, and no service.
# status: exit 0 if the service of DIR answers.
#
# The manual equivalent for a look around as that user:
#   setpriv --reuid kplay-rootless --regid kplay-rootless --init-groups \
#     env -i HOME=DIR/home XDG_RUNTIME_DIR=DIR/run PATH=/usr/sbin:/usr/bin:/sbin:/bin podman ps -a
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KPLAY_ROOTLESS_USER=kplay-rootless
KPLAY_ROOTLESS_IMAGE=localhost/busybox:test

usage() {
  kplay_log "usage: rootless-service.sh start|prepare|stop|status DIR"
  exit 2
}
[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$(realpath -m "$2")"
home="$dir/home"
xdg="$dir/run"
sock="$xdg/podman/podman.sock"
pidfile="$dir/service.pid"
logfile="$dir/service.log"
user="$KPLAY_ROOTLESS_USER"

((EUID == 0)) || kplay_die "rootless-service.sh runs as root (it creates the user $user and switches to it)"

# as_user CMD...: CMD as the rootless user, with a clean, explicit environment. setpriv
# rather than su/runuser: no PAM session, no login shell (the user has none), nothing of
# root's environment (CONTAINER_HOST would make podman remote, TMPDIR would point at a
# folder the user cannot write, PATH may name root-only folders). HOME and
# XDG_RUNTIME_DIR alone decide where rootless podman keeps its configuration, store and
# runtime files. An array, not only a function: `"${as_user[@]}" podman ... &` makes $!
# podman's own pid (a backgrounded function would be a subshell around it).
as_user=(
  setpriv --reuid "$user" --regid "$user" --init-groups
  env -i HOME="$home" XDG_RUNTIME_DIR="$xdg" USER="$user" LOGNAME="$user"
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
)
as_user() { "${as_user[@]}" "$@"; }
upodman() { as_user podman "$@"; }

# kplay_build_images (lib.sh) runs here, as root, and writes its tar files into a fresh
# mktemp folder, mode 0700, that the user cannot enter. Hand each tar to the user's
# `podman import` on stdin ("-") instead of by path; every other subcommand as is.
upodman_import_stdin() {
  if [[ "${1:-}" == import ]]; then
    local args=("$@") i
    for ((i = 1; i < ${#args[@]}; i++)); do
      if [[ "${args[i]}" == *.tar && -f "${args[i]}" ]]; then
        local tar="${args[i]}"
        args[i]=-
        upodman "${args[@]}" <"$tar"
        return
      fi
    done
  fi
  upodman "$@"
}

# The pid in DIR/service.pid if that process is alive and is still our podman.
service_pid() { kplay_service_pid "$pidfile" "$sock"; }

# dir_pids [helpers]: pids of the user's processes that work for this DIR: the command line
# names DIR/ (podman, conmon, slirp4netns) or the environment has XDG_RUNTIME_DIR=DIR/run
# (podman and what it forks: the rootless pause process, rootlessport). Rootless podman
# is two processes: the one started here and its re-exec inside the user namespace.
# Container processes are not among them (their environment is the image's): `podman
# kill` ends those. With `helpers`: only conmon and `podman ... container cleanup`, the
# processes a removal should not race with.
dir_pids() {
  local only="${1:-}" f p comm
  {
    grep -lsaF -- "$dir/" /proc/[0-9]*/cmdline
    grep -lsaF -- "XDG_RUNTIME_DIR=$xdg" /proc/[0-9]*/environ
  } | while IFS= read -r f; do
    p="${f#/proc/}"
    p="${p%%/*}"
    # Only the user's processes: never a root shell that merely mentions DIR.
    [[ "$(stat -c %U "/proc/$p" 2>/dev/null)" == "$user" ]] || continue
    if [[ "$only" == helpers ]]; then
      comm="$(cat "/proc/$p/comm" 2>/dev/null)" || continue
      if [[ "$comm" == podman ]]; then
        tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q ' container cleanup ' || continue
      elif [[ "$comm" != conmon ]]; then
        continue
      fi
    fi
    printf '%s\n' "$p"
  done | sort -u
  return 0
}

kill_dir_pids() {
  local p
  for p in $(dir_pids); do
    kill -KILL "$p" 2>/dev/null || true
  done
}

# ensure_user: the user, with subordinate uid/gid ranges for its user namespace. Under a
# lock: concurrent `npm test` runs race for useradd/usermod otherwise.
ensure_user() {
  exec 9>/run/kplay-rootless-user.lock
  flock 9
  if ! getent passwd "$user" >/dev/null; then
    # Its passwd home is not used (HOME points into DIR); -m as a normal user would get.
    useradd -m -s /usr/sbin/nologin -c "kplay rootless Podman tests" "$user" >/dev/null
    kplay_log "created user $user"
  fi
  # Debian's useradd already assigns 65536 subordinate ids when /etc/subuid exists; a user
  # made by an older or different useradd may have none.
  if ! grep -q "^$user:" /etc/subuid; then
    usermod --add-subuids 100000-165535 "$user"
  fi
  if ! grep -q "^$user:" /etc/subgid; then
    usermod --add-subgids 100000-165535 "$user"
  fi
  flock -u 9
  exec 9>&-
}

write_config() {
  local conf="$home/.config/containers"
  as_user mkdir -p "$conf" "$home/.local/share/containers/storage"
  # The settings of scripts/containers.conf, for the same measured reasons.
  as_user tee "$conf/containers.conf" >/dev/null <<'EOF'
# Written by kplay's scripts/rootless-service.sh (PODMAN-HERE.md, "Rootless Podman").
[containers]
# Rootless, Podman caps the limits at the user's own hard limits by itself (measured:
# containers created through the API get nofile=20000, nproc=32768 with or without this
# line, and HostConfig.Ulimits stays empty). The CLI (`podman run` by hand) does apply
# it; kept so both modes' configurations read the same.
default_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]

[engine]
# crun fails on these hosts' hybrid cgroups.
runtime = "runc"
# No systemd/logind: no user systemd instance to ask for cgroups or a journal.
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  as_user tee "$conf/storage.conf" >/dev/null <<EOF
# Written by kplay's scripts/rootless-service.sh. Native (kernel) overlay: rootless overlay
# mounts work on this kernel; without this file podman would pick vfs (a full copy per layer).
[storage]
driver = "overlay"
graphroot = "$home/.local/share/containers/storage"
runroot = "$xdg/containers"
EOF
}

# setup_dir: the user, a usable /dev/net/tun, DIR with the user's HOME and XDG_RUNTIME_DIR,
# and the configuration: what start and prepare both need before podman runs.
setup_dir() {
  ensure_user
  # Debian's mode is 0666 (udev sets it); these machines have no udev and leave it 0600, so
  # slirp4netns, which rootless pods use for their network, fails with
  # open("/dev/net/tun"): Permission denied. The device itself checks CAP_NET_ADMIN in the
  # namespace that owns the netns, so 0666 opens nothing to unprivileged users beyond
  # what Debian normally allows.
  if [[ -c /dev/net/tun && "$(stat -c %a /dev/net/tun)" != 666 ]]; then
    chmod 0666 /dev/net/tun
  fi

  # DIR is ours; the user must be able to traverse it and every folder above it.
  mkdir -p "$dir"
  chmod 0711 "$dir"
  as_user test -x "$dir" ||
    kplay_die "user $user cannot reach $dir (a folder above it is not traversable: chmod o+x it)"
  printf '%s\n' "$user" >"$dir/user"
  install -d -m 0700 -o "$user" -g "$user" "$home" "$xdg"
  write_config
}

start() {
  if service_pid >/dev/null && kplay_ping "$sock"; then
    printf 'unix://%s\n' "$sock"
    return 0
  fi
  ((${#sock} < 108)) || kplay_die "socket path too long for a unix socket (${#sock} >= 108): $sock"
  command -v podman >/dev/null || kplay_die "podman is not installed: run scripts/setup.sh"
  local t0
  t0="$(kplay_now_ms)"

  setup_dir
  # podman creates the socket, not its folder.
  as_user mkdir -p "$xdg/podman"
  rm -f "$sock"

  # setsid: own session, so a Ctrl-C meant for the test run does not reach it.
  "${as_user[@]}" setsid podman system service --time=0 "unix://$sock" </dev/null >"$logfile" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"

  if ! kplay_await_service "$pid" "$sock" "$logfile" "rootless podman service in $dir"; then
    # Its pause process (and a half-started re-exec) outlive it.
    kill_dir_pids
    exit 1
  fi
  local t1
  t1="$(kplay_now_ms)"
  kplay_build_images upodman_import_stdin "$KPLAY_ROOTLESS_IMAGE"
  kplay_log "rootless podman service up in $((t1 - t0)) ms, image ready in $(($(kplay_now_ms) - t1)) ms: unix://$sock"
  printf 'unix://%s\n' "$sock"
}

stop() {
  [[ -d "$dir" ]] || return 0
  if [[ ! -f "$dir/user" ]]; then
    # A run killed before `start` got going leaves its folder with only scripts/test.sh's
    # owner.pid in it: nothing to stop. Anything else was never ours.
    if [[ -z "$(find "$dir" -mindepth 1 -maxdepth 1 ! -name owner.pid -print -quit)" ]]; then
      rm -rf "$dir"
      return 0
    fi
    kplay_die "$dir does not look like a rootless-service.sh DIR (no user file); not deleting it"
  fi
  local i p pids
  # The service: both rootless podman processes, the one `start` launched and its re-exec
  # inside the user namespace (same command line). SIGKILL, not TERM: on TERM podman
  # waits out a grace period for idle clients (podman-service.sh).
  pids="$(dir_pids | while read -r p; do
    if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "unix://$sock"; then
      echo "$p"
    fi
  done)"
  for p in $pids; do
    kill -KILL "$p" 2>/dev/null || true
  done
  for p in $pids; do
    # Bounded, and a zombie counts as gone (nobody here is its parent).
    for ((i = 0; i < 100; i++)); do
      [[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null || echo X)" =~ ^[XZ]$ ]] && break
      sleep 0.02
    done
  done
  if [[ -d "$home/.local/share/containers/storage/libpod" ]] && getent passwd "$user" >/dev/null; then
    # As in podman-service.sh: KILL first (a forced rm waits 10 s per PID 1 that ignores
    # SIGTERM), let conmon and the cleanup processes finish, then remove. Removing tears
    # down the pods' slirp4netns and rootlessport processes too.
    upodman kill --all --signal KILL >/dev/null 2>&1 || true
    for ((i = 0; i < 250; i++)); do
      [[ -z "$(dir_pids helpers)" ]] && break
      sleep 0.02
    done
    upodman pod rm --all --force >/dev/null 2>&1 || true
    upodman rm --all --force --time 0 >/dev/null 2>&1 || true
    upodman volume rm --all --force >/dev/null 2>&1 || true
  fi
  # The pause process (holds the user namespace) and anything else still working for DIR,
  # e.g. the slirp4netns that Podman 4.3.1's service leaks for every pod whose start
  # failed in rootlessport (measured; the same through `podman --remote pod start`).
  kill_dir_pids
  # Rootless mounts live in the user namespace's own mount namespace, which ends with its
  # last process; a fuse-overlayfs or shm mount seen by the host would be a leftover.
  kplay_unmount_under "$dir"
  # As root: the store's files belong to the user and to its subordinate ids.
  rm -rf "$dir"
}

status() {
  service_pid >/dev/null && kplay_ping "$sock"
}

# prepare: what start does, without a service: the user, its configuration and store with
# the test image in DIR, for a test that lets something else start the service (kplay's
# own, test/e2e/autostart.test.ts). The podman CLI's pause process is ended, so DIR/run
# holds no live state. stop cleans up as after start.
prepare() {
  command -v podman >/dev/null || kplay_die "podman is not installed: run scripts/setup.sh"
  setup_dir
  kplay_build_images upodman_import_stdin "$KPLAY_ROOTLESS_IMAGE"
  kill_dir_pids
}

case "$cmd" in
start) start ;;
prepare) prepare ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
