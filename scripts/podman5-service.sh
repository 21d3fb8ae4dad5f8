#!/usr/bin/env bash
# podman5-service.sh start DIR | stop DIR | status DIR
#
# A second, newer Podman for the tests: Debian trixie's Podman 5.4 in a chroot, next to the
# host's Podman 4.3.1 (PODMAN-HERE.md, "A second Podman version (5.4) to test against").
# Runs as root. Everything lives in DIR:
#   DIR/rootfs    the chroot (a trixie minbase with podman, runc, catatonit, netavark, nftables),
#                 extracted from a cached tarball; its store is DIR/rootfs/var/lib/containers
#   DIR/share     bind-mounted at the same absolute path inside the chroot: the one place
#                 where a hostPath folder means the same thing to kplay (on the host) and to
#                 Podman (in the chroot). Tests put their hostPath folders there.
#   DIR/service.pid, DIR/service.log, DIR/slot, DIR/kind
#   socket        DIR/rootfs/kplay/podman.sock (on disk, so the host reaches it)
#
# How it runs: `unshare --mount --pid --fork` gives a private mount namespace (its own /proc,
# /sys, /dev, tmpfs /run and /tmp; the chroot folder bind-mounted onto itself and made the
# namespace's root with pivot_root, see __ns-init) and a private PID namespace whose init
# is catatonit inside the chroot:
#   unshare -m -p -f -- podman5-service.sh __ns-init ROOT SHARE \
#     -> pivot_root into ROOT, catatonit -- podman system service --time=0 unix:///kplay/podman.sock
# Killing that init ends every process of the namespace (service, conmons, containers) and
# with them every mount: nothing of it can outlive `stop`. The network namespace is the
# host's (a hostPort on 127.0.0.1 must be reachable from the host), so the chroot gets its
# own bridge network: interface kplay5br<N>, subnet 10.201.<N>.0/24 (not the host Podman's
# 10.88.0.0/16 nor the 10.89.x.0/24 its `network create` hands out), netavark's nftables
# driver (table inet netavark; the host's 4.3.1 uses iptables). N is a slot claimed under
# a lock in /run/kplay-podman5, so concurrent runs get different bridges and subnets.
#
# The rootfs tarball is cached outside the repository (KPLAY_CACHE_DIR, default
# /var/cache/kplay): podman5-trixie-rootfs.tar.zst plus a .stamp naming the recipe. A missing
# or stale cache is rebuilt with debootstrap from the Debian mirror the host's apt uses
# (~30-40 s, needs the packages of scripts/setup.sh); extracting it takes 1-3 s.
#
# start:  (re)builds the cache if needed, extracts it into DIR/rootfs, writes the chroot's
#         containers.conf and networks/podman.json, starts the service, waits (20 s at most)
#         for GET /_ping, imports localhost/busybox:test (scripts/lib.sh), prints
#         unix://DIR/rootfs/kplay/podman.sock and the timings (stderr). Idempotent while
#         the service answers; a DIR left by a killed run is cleaned first.
# stop:   SIGKILLs the namespace (service, conmons, containers: everything in it), lets the
#         CLI remove the pods in a fresh namespace (their cgroups on the host), removes what
#         lives in the host's network namespace (bridge, nftables rules), releases the slot,
#         deletes DIR. The same whether the service runs or died (a killed run, a crash).
#         No-op if DIR is gone; refuses a DIR that was never one of ours. About 1 s.
# status: exit 0 if the service of DIR answers.
#
# A look around by hand (PID = DIR/service.pid):
#   nsenter -t PID -m -p --root --wd podman ps -a
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCRIPT="$KPLAY_ROOT/scripts/podman5-service.sh"
SUITE=trixie
# podman pulls conmon and containers-common in as dependencies. netavark by name: apt
# otherwise satisfies containers-common's container-network-stack with the CNI plugins
# (54 MB, unused). netavark's nftables driver runs `nft`; catatonit is both the infra
# (pause) image's init and our namespace's; aardvark-dns answers names on the networks
# kplay creates for Services (the default network has no DNS).
PACKAGES=(podman runc catatonit netavark aardvark-dns nftables)
# Bump when the way the rootfs is made changes: the cache is rebuilt when the stamp differs.
RECIPE="kplay podman5 rootfs v2: debootstrap --variant=minbase $SUITE + ${PACKAGES[*]} (no recommends), trimmed"
CACHE_DIR="${KPLAY_CACHE_DIR:-/var/cache/kplay}"
TARBALL="$CACHE_DIR/podman5-$SUITE-rootfs.tar.zst"
STAMP="$TARBALL.stamp"
# The chroot's environment: nothing of the caller's (CONTAINER_HOST would make podman remote).
CHROOT_ENV=(
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
  # Podman 5 warns on every command that cgroup v1 (these hosts' hybrid setup) is deprecated.
  PODMAN_IGNORE_CGROUPSV1_WARNING=1
)
SLOTS_DIR=/run/kplay-podman5
SUBNET_PREFIX=10.201
IMAGE=localhost/busybox:test

# ---------------------------------------------------------------------------------------
# Inside the new namespaces (internal): `podman5-service.sh __ns-init ROOT SHARE CMD...`
# runs as PID 1 of the fresh PID namespace, in the fresh mount namespace. It mounts what
# the chroot needs, then becomes catatonit (which reaps the orphans conmon leaves to PID 1)
# running CMD in the chroot.
if [[ "${1:-}" == __ns-init ]]; then
  root="$2" share="$3"
  shift 3
  # Nothing mounted here may propagate back to the host (unshare already makes it so).
  mount --make-rprivate /
  mount --bind "$root" "$root"
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
  # The host's hybrid cgroup v1 hierarchies: podman (cgroupfs manager) and runc create the
  # pods' cgroups there, under /libpod_parent like the host's Podman does.
  mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup"
  # Our own /dev: above all our own /dev/shm, where Podman keeps its lock table
  # (/dev/shm/libpod_lock, the same name Podman 4 uses on the host).
  mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
  mknod -m 666 "$root/dev/null" c 1 3
  mknod -m 666 "$root/dev/zero" c 1 5
  mknod -m 666 "$root/dev/full" c 1 7
  mknod -m 666 "$root/dev/random" c 1 8
  mknod -m 666 "$root/dev/urandom" c 1 9
  mknod -m 666 "$root/dev/tty" c 5 0
  mkdir "$root/dev/pts" "$root/dev/shm" "$root/dev/mqueue"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
  ln -s pts/ptmx "$root/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
  mount -t mqueue mqueue "$root/dev/mqueue"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  # Podman's runtime state (netns files, locks, conmon sockets) is per boot: a tmpfs, gone
  # with the namespace.
  mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
  mkdir -p "$root$share"
  mount --bind "$share" "$root$share"
  # pivot_root, not chroot: the chroot folder must become the ROOT MOUNT of the namespace.
  # A process that joins a mount namespace (setns) gets that namespace's root mount as its
  # root, and runc's pivot_root in a container's namespace only swaps the calling process's
  # root. Under a mere chroot, every `podman exec` (and so every exec probe) ran in the
  # host's root filesystem instead of the container's (measured: `ls /` listed the host's).
  cd "$root"
  pivot_root . .
  umount -l .
  cd /
  exec /usr/bin/catatonit -- /usr/bin/env -i "${CHROOT_ENV[@]}" "$@"
fi
# ---------------------------------------------------------------------------------------

usage() {
  kplay_log "usage: podman5-service.sh start|stop|status DIR"
  exit 2
}
[[ $# -eq 2 ]] || usage
cmd="$1"
dir="$(realpath -m "$2")"
root="$dir/rootfs"
share="$dir/share"
sock="$root/kplay/podman.sock"
pidfile="$dir/service.pid"
logfile="$dir/service.log"
slotfile="$dir/slot"
kindfile="$dir/kind"

((EUID == 0)) || kplay_die "podman5-service.sh runs as root (chroot, namespaces, a bridge network)"

# The pid in DIR/service.pid if it is alive and still the init of our namespace: catatonit
# whose root directory is DIR/rootfs.
service_pid() {
  local pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == catatonit ]] || return 1
  # Its root is DIR/rootfs (pivot_root'ed, so readlink shows "/"): compare the files.
  [[ "/proc/$pid/root/kplay" -ef "$root/kplay" ]] || return 1
  printf '%s\n' "$pid"
}

# The host pids of every catatonit whose root is DIR/rootfs: the inits of this DIR's
# namespaces. Builtins only (a fork per process would cost seconds on a busy host).
namespace_inits() {
  local p comm
  [[ -d "$root/kplay" ]] || return 0
  for p in /proc/[0-9]*; do
    read -r comm <"$p/comm" 2>/dev/null || continue
    [[ "$comm" == catatonit && "$p/root/kplay" -ef "$root/kplay" ]] && printf '%s\n' "${p#/proc/}"
  done
  return 0
}

# p5 ARGS...: the chroot's podman CLI, in the service's namespaces (same store, same /run).
p5() {
  nsenter --target "$p5_pid" --mount --pid --root --wd /usr/bin/env -i "${CHROOT_ENV[@]}" podman "$@"
}
# kplay_build_images writes its tars into a host folder the chroot cannot see: hand them
# to `podman import` on stdin ("-").
p5_import_stdin() {
  if [[ "${1:-}" == import ]]; then
    local args=("$@") i
    for ((i = 1; i < ${#args[@]}; i++)); do
      if [[ "${args[i]}" == *.tar && -f "${args[i]}" ]]; then
        local tar="${args[i]}"
        args[i]=-
        p5 "${args[@]}" <"$tar"
        return
      fi
    done
  fi
  p5 "$@"
}

# --------------------------------------------------------------------------- the cache

# The Debian mirror the host's apt uses (deb822 .sources or one-line .list files): the URI
# that serves the host's own release, so the same mirror policy applies to the chroot.
# KPLAY_DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [[ -n "${KPLAY_DEBIAN_MIRROR:-}" ]]; then
    printf '%s\n' "$KPLAY_DEBIAN_MIRROR"
    return
  fi
  local codename
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  [[ -n "$codename" ]] || kplay_die "no VERSION_CODENAME in /etc/os-release: set KPLAY_DEBIAN_MIRROR"
  local files=() f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]} > 0)) || kplay_die "no apt sources in /etc/apt: set KPLAY_DEBIAN_MIRROR"
  local uri
  uri="$(awk -v c="$codename" '
    # one-line format: deb [options] URI SUITE COMPONENTS...
    $1 == "deb" {
      i = 2
      if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == c) { print $i; exit }
    }
    # deb822 format: stanzas separated by blank lines
    /^[ \t]*$/ { uris = ""; suites = ""; deb = 0; next }
    tolower($1) == "types:" { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
    tolower($1) == "uris:" { uris = $2 }
    tolower($1) == "suites:" { for (j = 2; j <= NF; j++) if ($j == c) suites = c }
    deb && uris != "" && suites != "" { print uris; exit }
  ' "${files[@]}")"
  [[ -n "$uri" ]] || kplay_die "no apt source for $codename in /etc/apt: set KPLAY_DEBIAN_MIRROR"
  printf '%s\n' "${uri%/}"
}

cache_fresh() {
  [[ -f "$TARBALL" && -f "$STAMP" && "$(head -n 1 "$STAMP")" == "$RECIPE" ]]
}

# Builds the rootfs with debootstrap + apt inside it, trims it, and writes the tarball and
# its stamp atomically. Under the cache lock (the caller holds it).
build_cache() {
  local mirror t0 build
  mirror="$(debian_mirror)"
  for c in debootstrap zstd; do
    command -v "$c" >/dev/null || kplay_die "$c is not installed: run scripts/setup.sh"
  done
  t0="$(kplay_now_ms)"
  kplay_log "building the Podman 5 ($SUITE) rootfs cache from $mirror (about 35 s, once per machine) ..."
  # A build killed earlier left its folder; we hold the lock, so none is running.
  rm -rf "$CACHE_DIR"/build.*
  build="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  local r="$build/rootfs" log="$build/build.log"
  if ! debootstrap --variant=minbase "$SUITE" "$r" "$mirror" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$build"
    kplay_die "debootstrap $SUITE from $mirror failed (log above)"
  fi
  # apt needs /proc; a private mount namespace drops that mount whatever happens.
  # shellcheck disable=SC2016 # expanded by the inner sh
  if ! unshare --mount -- sh -c '
      r="$1" && shift && mount -t proc proc "$r/proc" &&
      chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
        apt-get install -y -q --no-install-recommends "$@"' sh "$r" "${PACKAGES[@]}" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf "$build"
    kplay_die "apt-get install ${PACKAGES[*]} in the $SUITE chroot failed (log above)"
  fi
  local version
  # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
  version="$(chroot "$r" dpkg-query -W -f='${Version}' podman)"
  # ~480 MB -> ~185 MB: package caches and lists, documentation, and podman's own test
  # helper (podman-testing, 36 MB).
  chroot "$r" apt-get clean
  rm -rf "$r"/var/lib/apt/lists/* "$r"/usr/share/doc "$r"/usr/share/man "$r"/usr/share/locale \
    "$r"/usr/share/info "$r"/usr/libexec/podman/podman-testing
  tar --numeric-owner -C "$r" -cf - . | zstd -q -T0 -3 -o "$build/rootfs.tar.zst"
  mv -f "$build/rootfs.tar.zst" "$TARBALL"
  printf '%s\npodman %s, built %s from %s\n' "$RECIPE" "$version" "$(date -u +%FT%TZ)" "$mirror" >"$STAMP.tmp"
  mv -f "$STAMP.tmp" "$STAMP"
  rm -rf "$build"
  kplay_log "Podman 5 rootfs cache built in $(($(kplay_now_ms) - t0)) ms: $TARBALL (podman $version)"
}

ensure_cache() {
  mkdir -p "$CACHE_DIR"
  cache_fresh && return 0
  # Concurrent runs on a fresh machine: one builds, the others wait and reuse.
  exec 7>"$CACHE_DIR/podman5.lock"
  flock 7
  cache_fresh || build_cache
  flock -u 7
  exec 7>&-
}

# ------------------------------------------------------------------------- the network

bridge_of() { printf 'kplay5br%s\n' "$1"; }
subnet_of() { printf '%s.%s.0/24\n' "$SUBNET_PREFIX" "$1"; }
# The network's id: fixed per slot, so its nftables chains (nv_<id:8>_<subnet>) are too.
netid_of() { printf 'kplay-podman5-net-%s' "$1" | sha256sum | cut -c1-64; }

# Claims the lowest free slot for DIR: no claim by a live DIR, no such bridge on the host,
# no host address in its subnet. Writes DIR/slot.
claim_slot() {
  mkdir -p "$SLOTS_DIR"
  exec 8>"$SLOTS_DIR/lock"
  flock 8
  local n claim owner addrs
  addrs="$(ip -4 -o addr show)"
  for ((n = 0; n < 64; n++)); do
    claim="$SLOTS_DIR/slot-$n"
    if [[ -f "$claim" ]]; then
      owner="$(<"$claim")"
      if [[ "$owner" != "$dir" && -f "$owner/slot" && "$(<"$owner/slot")" == "$n" ]]; then
        continue
      fi
    fi
    ip link show "$(bridge_of "$n")" >/dev/null 2>&1 && continue
    [[ "$addrs" == *" $SUBNET_PREFIX.$n."* ]] && continue
    printf '%s\n' "$dir" >"$claim"
    printf '%s\n' "$n" >"$slotfile"
    flock -u 8
    exec 8>&-
    return 0
  done
  flock -u 8
  exec 8>&-
  kplay_die "no free network slot for a Podman 5 service (64 in use? see $SLOTS_DIR)"
}

release_slot() {
  local claim="$SLOTS_DIR/slot-$1"
  if [[ -f "$claim" && "$(<"$claim")" == "$dir" ]]; then
    rm -f "$claim"
  fi
}

# Removes what netavark put into the host's network namespace for slot N and did not take
# down (the namespace was killed with containers running, or a teardown failed): the
# bridge, the rules naming the subnet or the bridge, and the network's own chains. The
# table itself goes when no network's chains are left in it (netavark recreates it on the
# next setup); it would otherwise leave its `ct state invalid drop` forward rule behind.
net_cleanup() {
  local n="$1" bridge subnet chains
  bridge="$(bridge_of "$n")"
  subnet="$(subnet_of "$n")"
  # netavark names them nv_<first 8 of the network id>_<subnet, . as _>_nm<prefix length>.
  chains="nv_$(netid_of "$n" | cut -c1-8)_${SUBNET_PREFIX//./_}_${n}_0_nm24"
  if ip link show "$bridge" >/dev/null 2>&1; then
    ip link del "$bridge" 2>/dev/null || kplay_log "warning: could not delete bridge $bridge"
  fi
  command -v nft >/dev/null || return 0
  local listing
  listing="$(nft -a list table inet netavark 2>/dev/null)" || return 0
  local batch
  batch="$(awk -v net="$SUBNET_PREFIX.$n." -v br="\"$bridge\"" -v ch="$chains" '
    $1 == "chain" { chain = $2; mine = (index(chain, ch) == 1); if (mine) own[chain] = 1; next }
    /# handle [0-9]+$/ && !mine {
      if (index($0, net) || index($0, br) || index($0, ch)) print "delete rule inet netavark " chain " handle " $NF
    }
    END { for (c in own) { print "flush chain inet netavark " c; print "delete chain inet netavark " c } }
  ' <<<"$listing")"
  if [[ -n "$batch" ]]; then
    nft -f - <<<"$batch" 2>/dev/null || kplay_log "warning: could not remove the nftables rules of $subnet"
  fi
  # Into a variable first: `nft ... | grep -q` under pipefail reads as "no chains" whenever
  # grep's early exit gets nft a SIGPIPE, and would delete the table of a concurrent run.
  if listing="$(nft list table inet netavark 2>/dev/null)" && [[ "$listing" != *"chain nv_"* ]]; then
    nft delete table inet netavark 2>/dev/null || true
  fi
}

# --------------------------------------------------------------------------- config

write_config() {
  local n="$1"
  mkdir -p "$root/etc/containers/networks" "$root/kplay"
  cat >"$root/etc/containers/containers.conf" <<EOF
# Written by kplay's scripts/podman5-service.sh (PODMAN-HERE.md).
[containers]
# Root lacks CAP_SYS_RESOURCE here and the hard nofile limit is 20000: Podman's defaults
# make every container fail in setrlimit.
default_ulimits = ["nofile=20000:20000", "nproc=1000:1000"]

[network]
# The host's Podman 4.3.1 uses iptables; ours keeps to its own table (inet netavark).
firewall_driver = "nftables"
# Networks made here (kplay's per-namespace ones) take subnets of their own slot, never the
# 10.89.x.0/24 the host's Podman hands out in the same network namespace.
default_subnet_pools = [{ "base" = "10.$((202 + n)).0.0/16", "size" = 24 }]

[engine]
# crun fails on these hosts' hybrid cgroups.
runtime = "runc"
# No systemd in the chroot.
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  # The default network "podman", redefined: another bridge and subnet than the host's
  # podman0 / 10.88.0.0/16. No DNS (aardvark-dns is not installed; the default network has
  # none either).
  local subnet gateway
  subnet="$(subnet_of "$n")"
  gateway="$SUBNET_PREFIX.$n.1"
  cat >"$root/etc/containers/networks/podman.json" <<EOF
{
  "name": "podman",
  "id": "$(netid_of "$n")",
  "driver": "bridge",
  "network_interface": "$(bridge_of "$n")",
  "created": "2025-01-01T00:00:00Z",
  "subnets": [{ "subnet": "$subnet", "gateway": "$gateway" }],
  "ipv6_enabled": false,
  "internal": false,
  "dns_enabled": false,
  "ipam_options": { "driver": "host-local" }
}
EOF
}

# ----------------------------------------------------------------------- start / stop

# Launches CMD... as PID 1's child in fresh namespaces over DIR/rootfs, in the background
# and in its own session (a Ctrl-C meant for the test run must not reach it). Prints the
# host pid of that PID 1 (catatonit) once it has exec'd.
launch() {
  setsid unshare --mount --pid --fork --kill-child -- bash "$SCRIPT" __ns-init "$root" "$share" "$@" \
    </dev/null >>"$logfile" 2>&1 &
  local upid=$! child i
  for ((i = 0; i < 400; i++)); do
    child="$(cat "/proc/$upid/task/$upid/children" 2>/dev/null || true)"
    child="${child%% *}"
    if [[ -n "$child" && "$(cat "/proc/$child/comm" 2>/dev/null)" == catatonit ]]; then
      printf '%s\n' "$child"
      return 0
    fi
    kill -0 "$upid" 2>/dev/null || break
    sleep 0.01
  done
  kill -KILL "$upid" 2>/dev/null || true
  return 1
}

start() {
  if service_pid >/dev/null && kplay_ping "$sock"; then
    printf 'unix://%s\n' "$sock"
    return 0
  fi
  ((${#sock} < 108)) || kplay_die "socket path too long for a unix socket (${#sock} >= 108): $sock"
  local t0 t1 t2 t3 t4
  t0="$(kplay_now_ms)"
  ensure_cache
  t1="$(kplay_now_ms)"

  mkdir -p "$dir"
  # A DIR a killed run left behind (or a failed start): clean it the way stop does.
  if [[ -e "$root" || -f "$pidfile" || -f "$slotfile" ]]; then
    teardown
  fi
  printf 'podman5\n' >"$kindfile"
  mkdir -p "$root" "$share"
  zstd -q -dc "$TARBALL" | tar --numeric-owner -C "$root" -xf -
  t2="$(kplay_now_ms)"

  claim_slot
  local n
  n="$(<"$slotfile")"
  write_config "$n"
  rm -f "$sock"
  : >"$logfile"
  local pid
  if ! pid="$(launch /usr/bin/podman system service --time=0 unix:///kplay/podman.sock)"; then
    kplay_log "the Podman 5 namespace in $dir did not start; $logfile says:"
    tail -n 20 "$logfile" >&2 || true
    exit 1
  fi
  echo "$pid" >"$pidfile"
  kplay_await_service "$pid" "$sock" "$logfile" "podman 5 service in $dir" || exit 1
  t3="$(kplay_now_ms)"
  p5_pid="$pid"
  kplay_build_images p5_import_stdin "$IMAGE"
  t4="$(kplay_now_ms)"
  kplay_log "podman 5 service up in $((t4 - t0)) ms (cache $((t1 - t0)) ms, extract $((t2 - t1)) ms, service $((t3 - t2)) ms, image $((t4 - t3)) ms; bridge $(bridge_of "$n"), $(subnet_of "$n")): unix://$sock"
  printf 'unix://%s\n' "$sock"
}

# Everything stop does but deleting DIR itself (and its owner.pid).
#
# The namespace goes first: SIGKILL to its init ends every process in it at once (service,
# conmons, containers and exec sessions, which live in child PID namespaces of it) and with
# the last of them every mount. Asking the running service or CLI to stop and remove things
# first is slower and can wait on things (exec sessions' conmons linger for minutes). What
# is left outside the namespace is cleaned afterwards: the pods' (empty) cgroups by the CLI
# in a fresh namespace, the bridge and the nftables rules by net_cleanup.
teardown() {
  local pid n=""
  [[ -f "$slotfile" ]] && n="$(<"$slotfile")"
  # Every init of a namespace over DIR/rootfs, not only the recorded one: a start killed
  # between launching and writing service.pid leaves one nobody recorded.
  for pid in $(namespace_inits); do
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 250 || kplay_log "warning: process $pid (the namespace's init) did not end"
  done
  if [[ -f "$root/var/lib/containers/storage/db.sql" && -x "$root/usr/bin/catatonit" ]]; then
    # Podman finds a new, empty /run, takes it for a reboot (every container exited) and
    # removes what it still lists, which deletes the pods' cgroups on the host. It does not
    # tear the network down for a "rebooted" container: net_cleanup does.
    mkdir -p "$share"
    if pid="$(launch /bin/sh -c 'podman pod rm --all --force; podman rm --all --force')"; then
      wait_gone "$pid" 1000
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [[ "$n" =~ ^[0-9]+$ ]]; then
    net_cleanup "$n"
    release_slot "$n"
  fi
  # Nothing of the namespace's mounts is visible here; whatever is (a bind mount made by
  # hand) must not be deleted through.
  kplay_unmount_under "$dir"
  rm -rf "$root" "$share" "$pidfile" "$slotfile"
}

# wait_gone PID TICKS: until PID is gone or a zombie (nobody here reaps it), 20 ms a tick.
wait_gone() {
  local pid="$1" i state
  for ((i = 0; i < $2; i++)); do
    state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)"
    [[ "$state" == X || "$state" == Z ]] && return 0
    sleep 0.02
  done
  return 1
}

stop() {
  [[ -d "$dir" ]] || return 0
  if [[ ! -f "$kindfile" || "$(<"$kindfile")" != podman5 ]]; then
    # A run killed before `start` got going leaves its folder with only scripts/test.sh's
    # owner.pid in it: nothing to stop. Anything else was never ours.
    if [[ -z "$(find "$dir" -mindepth 1 -maxdepth 1 ! -name owner.pid -print -quit)" ]]; then
      rm -rf "$dir"
      return 0
    fi
    kplay_die "$dir does not look like a podman5-service.sh DIR (no kind file); not deleting it"
  fi
  teardown
  rm -rf "$dir"
}

status() {
  service_pid >/dev/null && kplay_ping "$sock"
}

p5_pid=""
case "$cmd" in
start) start ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
