#!/usr/bin/env bash
# build.sh: the two artefacts of kplay.
#   dist/kplay      `bun build --compile`: one self-contained executable (~108 MB, Bun
#                   runtime inside), the very build users download for this machine's
#                   platform (lib.sh's kplay_compile; scripts/release.sh makes the others).
#   dist/kplay.mjs  `bun build --target=node`: one ESM file, dependencies bundled, with a
#                   node shebang; package.json's "bin" points at it (npm/npx users).
# Both embed package.json's version and the git commit (`kplay version`).
# Usage: build.sh [ENTRY [OUTDIR]] (defaults src/main.ts, dist; the arguments exist so
# the script can be exercised before src/main.ts exists).
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KPLAY_ROOT"

entry="${1:-src/main.ts}"
outdir="${2:-dist}"
bun="$KPLAY_ROOT/node_modules/.bin/bun"
[[ -x "$bun" ]] || kplay_die "$bun is missing: run scripts/setup.sh (npm ci)"
[[ -f "$entry" ]] || kplay_die "$entry does not exist"

mkdir -p "$outdir"
t0="$(kplay_now_ms)"
commit="$(kplay_build_commit)"
order="$(mktemp -d "$outdir/.order.XXXXXX")"
trap 'rm -rf "$order"' EXIT
KPLAY_BYTECODE_ORDER="$(kplay_bytecode_order "$order" "$commit" "$entry")"
KPLAY_BYTECODE_ORDER="$KPLAY_BYTECODE_ORDER" kplay_compile "$(kplay_host_target)" "$commit" "$outdir/kplay" "$entry"
rm -rf "$order"

# The node shebang is prepended by hand rather than with --banner: if the entry has a
# shebang of its own (e.g. `#!/usr/bin/env bun`), bun keeps it as line 1 and --banner's
# would land on line 2, a SyntaxError under node (measured with bun 1.4.5).
# Built into a temp name and renamed, so a failed build never leaves a half-written artefact.
kplay_defines node-bundle "$commit"
"$bun" build --target=node --format=esm "${KPLAY_DEFINES[@]}" "$entry" \
  --outfile "$outdir/kplay.mjs.tmp" >/dev/null
sed -i '1{/^#!/d}' "$outdir/kplay.mjs.tmp"
sed -i '1i #!/usr/bin/env node' "$outdir/kplay.mjs.tmp"
mv -f "$outdir/kplay.mjs.tmp" "$outdir/kplay.mjs"
chmod +x "$outdir/kplay.mjs"
[[ "$(head -c 19 "$outdir/kplay.mjs")" == '#!/usr/bin/env node' ]] ||
  kplay_die "$outdir/kplay.mjs does not start with the node shebang"
kplay_log "built $outdir/kplay and $outdir/kplay.mjs in $(($(kplay_now_ms) - t0)) ms"
