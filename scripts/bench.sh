#!/usr/bin/env bash
# bench.sh (`npm run bench`): kplay against `podman kube play` on the same isolated Podman,
# printed as ratios (this machine is noisy: absolute times mean little, ratios travel).
# Never part of `npm test`; nothing here asserts a time.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KPLAY_ROOT"

bash scripts/setup.sh
npm run --silent build
mkdir -p .tmp
dir="$(mktemp -d "$KPLAY_ROOT/.tmp/bench-XXXXXX")"
trap 'bash scripts/podman-service.sh stop "$dir" || true' EXIT
url="$(bash scripts/podman-service.sh start "$dir")"
bash scripts/test-image.sh "$dir" >/dev/null
# The start-up figures compare the release build (dist/kplay) with a plain compile.
node_modules/.bin/bun build --compile src/main.ts --outfile "$dir/kplay-plain" >/dev/null
KPLAY_BENCH_URL="$url" KPLAY_BENCH_DIR="$dir" KPLAY_CONTAINERS_CONF="$KPLAY_CONTAINERS_CONF" \
  KPLAY_BENCH_PLAIN="$dir/kplay-plain" node_modules/.bin/bun scripts/bench.ts "$@"
