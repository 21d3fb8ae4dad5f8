#!/usr/bin/env bash
# setup.sh: make this machine able to build and test kplay. Idempotent and silent when
# there is nothing to do, so every `npm test` / `npm run demo` can call it.
#
#  - apt packages (Debian 12): Podman 4.3.1 and what PODMAN-HERE.md found it needs here.
#    Installed when missing and running as root (CI); otherwise listed, exit 1.
#  - node_modules: `npm ci` when missing or older than package-lock.json.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# podman + runc: crun (Debian's default runtime) fails on these hosts' hybrid cgroups.
# catatonit: the pause process in the infra image Podman builds locally.
# busybox-static: the only content of our test images (no registry is reachable).
# uidmap, slirp4netns, fuse-overlayfs: rootless Podman (the users' setup).
# iptables: netavark's firewall driver for hostPort forwarding. apt pulled it in on its
#   own when measured, but only as a side effect, so name it.
# debootstrap, zstd: build and unpack the Podman 5.4 (Debian trixie) rootfs of
#   scripts/podman5-service.sh; debian-archive-keyring holds trixie's signing keys.
# nftables, iproute2: that service's cleanup removes its bridge and its netavark nftables
#   rules from the host (both are installed on Debian by default, but named).
# qemu-user-static, libc6-arm64-cross: run the linux-arm64 release build here
#   (test/release), `qemu-aarch64-static -L /usr/aarch64-linux-gnu`: the emulator, and the
#   arm64 glibc and loader that build is linked against.
# openssh-server: test/e2e/ssh.test.ts runs its own sshd on 127.0.0.1 (a throwaway config,
#   port and key) to play through an ssh:// address; the package's own service is never
#   started (see policy-rc.d below).
packages=(podman runc catatonit busybox-static uidmap slirp4netns fuse-overlayfs iptables
  debootstrap zstd debian-archive-keyring nftables iproute2 qemu-user-static libc6-arm64-cross
  openssh-server)

# One dpkg-query for all (it prints nothing for a package it has never heard of).
installed=" $(dpkg-query -W -f='${Package}:${db:Status-Status} ' "${packages[@]}" 2>/dev/null || true) "
missing=()
for pkg in "${packages[@]}"; do
  [[ "$installed" == *" $pkg:installed "* ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  if ((EUID != 0)); then
    kplay_log "kplay needs these Debian packages, which are not installed: ${missing[*]}"
    kplay_log "install them as root:  apt-get update && apt-get install -y ${missing[*]}"
    exit 1
  fi
  kplay_log "installing ${missing[*]} (apt) ..."
  export DEBIAN_FRONTEND=noninteractive
  # Recommends are kept on purpose: that is how PODMAN-HERE.md measured Podman working
  # (netavark, aardvark-dns, ... arrive that way).
  apt-get update -qq >/dev/null
  # Installing a package must not start its system service (openssh-server's sshd on port
  # 22 of every address): without a policy-rc.d of the machine's own, deny starts for the
  # duration of the install (exit 101 is "action forbidden" to invoke-rc.d).
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=1
  fi
  status=0
  apt-get install -y -qq "${missing[@]}" >/dev/null || status=$?
  if [[ -n "$own_policy" ]]; then rm -f "$policy"; fi
  ((status == 0)) || exit "$status"
fi

# Node is not ours to install: Debian 12's nodejs is 18, package.json wants >= 20 (and
# npm is how the dependencies arrive).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  kplay_die "node (>= 20) and npm are required and not on PATH"
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || kplay_die "node >= 20 is required, found $(node --version)"

# npm writes node_modules/.package-lock.json on every install: its age is the install's.
cd "$KPLAY_ROOT"
stamp=node_modules/.package-lock.json
if [[ ! -d node_modules || ! -f "$stamp" || package-lock.json -nt "$stamp" ]]; then
  kplay_log "installing node_modules (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
