#!/usr/bin/env bash
# release.sh (`npm run release`): the executables users download, one per platform Podman
# users run, in dist/release/:
#   kplay-linux-x64  kplay-linux-arm64  kplay-darwin-x64  kplay-darwin-arm64
#   kplay-windows-x64.exe  SHA256SUMS
# Each is lib.sh's kplay_compile for its target (the flags, and why, are there), embedding
# package.json's version and the git commit; kplay-linux-x64 is the same bytes as dist/kplay.
# The other targets' Bun runtimes come from the npm registry on first use (bun's own
# mechanism, cached by bun). Only linux-x64 runs here natively and linux-arm64 under qemu
# (test/release); the macOS and Windows files are built and checked, not run.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KPLAY_ROOT"

bash scripts/setup.sh
targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 windows-x64)
commit="$(kplay_build_commit)"
t0="$(kplay_now_ms)"
mkdir -p dist
# Built into a scratch folder and swapped in whole: a failed release never leaves old and new
# files mixed under one SHA256SUMS.
work="$(mktemp -d "$KPLAY_ROOT/dist/.release-XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The bytecode layout of every target comes from one host run (lib.sh's kplay_bytecode_order).
mkdir "$work/.order"
KPLAY_BYTECODE_ORDER="$(kplay_bytecode_order "$work/.order" "$commit")"
export KPLAY_BYTECODE_ORDER
files=()
for target in "${targets[@]}"; do
  file="kplay-$target"
  [[ "$target" == windows-* ]] && file+=".exe"
  kplay_compile "$target" "$commit" "$work/$file"
  files+=("$file")
done
# bun 1.4.5 leaves darwin-x64 with the Bun runtime's own signature, which no longer matches
# (a Mac kills such a file at launch); both darwin files get the ad-hoc signature bun itself
# gives darwin-arm64 (scripts/macho-sign.ts says how that is checked).
node_modules/.bin/bun scripts/macho-sign.ts "$work/kplay-darwin-x64" "$work/kplay-darwin-arm64"
rm -rf "$work/.order"
(cd "$work" && sha256sum "${files[@]}" >SHA256SUMS)

chmod 755 "$work"
rm -rf dist/release
mv "$work" dist/release
trap - EXIT

kplay_log "built dist/release (commit $commit) in $(($(kplay_now_ms) - t0)) ms:"
for file in "${files[@]}"; do
  bytes="$(stat -c %s "dist/release/$file")"
  kplay_log "$(awk -v f="$file" -v b="$bytes" 'BEGIN { printf "  %-24s %10d bytes  %6.1f MiB", f, b, b / 1048576 }')"
done
