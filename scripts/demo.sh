#!/usr/bin/env bash
# demo.sh (`npm run demo`): kplay end to end on a fresh clone.
#   1. setup.sh + build
#   2. find a Podman that answers: $CONTAINER_HOST, $XDG_RUNTIME_DIR/podman/podman.sock,
#      /run/podman/podman.sock; none: start one (root: the system socket; otherwise the
#      rootless one) with scripts/containers.conf, and leave it running (we say so)
#   3. build localhost/busybox:demo in THAT Podman's store (no registry here)
#   4. dist/kplay play fixtures/demo/pod.yaml, GET http://127.0.0.1:18080/, dist/kplay ps,
#      dist/kplay down fixtures/demo/pod.yaml
# kplay finds Podman through CONTAINER_HOST, which this script exports.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$KPLAY_ROOT"

pod_file=fixtures/demo/pod.yaml
# Must match fixtures/demo/pod.yaml (hostIP/hostPort of the httpd container).
demo_url=http://127.0.0.1:18080/
demo_image=localhost/busybox:demo
kplay=dist/kplay

step() { printf '\n== %s\n' "$*"; }

step "setup and build"
bash scripts/setup.sh
npm run --silent build

# --- 2. a Podman that answers ------------------------------------------------------
candidates=()
if [[ -n "${CONTAINER_HOST:-}" ]]; then
  if sock="$(kplay_socket_path "$CONTAINER_HOST")"; then
    candidates+=("$sock")
  else
    # ssh:// or tcp://: we cannot ping those cheaply; trust the user and let kplay try.
    kplay_log "CONTAINER_HOST=$CONTAINER_HOST is not a unix socket; using it as is"
  fi
fi
if [[ -n "${XDG_RUNTIME_DIR:-}" ]]; then
  candidates+=("$XDG_RUNTIME_DIR/podman/podman.sock")
fi
candidates+=(/run/podman/podman.sock)

url="${CONTAINER_HOST:-}"
if [[ -z "$url" || "$url" == unix://* || "$url" == /* ]]; then
  url=""
  for sock in "${candidates[@]}"; do
    if kplay_ping "$sock"; then
      url="unix://$sock"
      break
    fi
  done
fi

if [[ -z "$url" ]]; then
  if ((EUID == 0)); then
    sock=/run/podman/podman.sock
  else
    [[ -n "${XDG_RUNTIME_DIR:-}" ]] ||
      kplay_die "no Podman answers and XDG_RUNTIME_DIR is unset: cannot place a rootless socket"
    sock="$XDG_RUNTIME_DIR/podman/podman.sock"
  fi
  mkdir -p "$(dirname "$sock")" .tmp
  log="$KPLAY_ROOT/.tmp/demo-podman-service.log"
  rm -f "$sock"
  # Same settings as the test service (runc, ulimits, no systemd): see
  # scripts/containers.conf. setsid: it outlives this script on purpose.
  # env -u: a CONTAINER_HOST that did not answer would turn this podman into a client.
  env -u CONTAINER_HOST -u CONTAINER_CONNECTION CONTAINERS_CONF="$KPLAY_CONTAINERS_CONF" \
    setsid podman system service --time=0 "unix://$sock" </dev/null >"$log" 2>&1 &
  service_pid=$!
  kplay_await_service "$service_pid" "$sock" "$log" "the Podman service on $sock" ||
    kplay_die "could not start a Podman service on $sock (log: $log)"
  url="unix://$sock"
  kplay_log "No Podman service was answering, so this demo started one and leaves it running:"
  kplay_log "  pid $service_pid, socket $url, log $log"
  kplay_log "  stop it with: kill $service_pid"
fi
export CONTAINER_HOST="$url"
kplay_log "using Podman at $CONTAINER_HOST"

# --- 3. the demo image, in that Podman's store -----------------------------------------
# Through the API (podman --remote), so it lands in the store of the service kplay talks
# to, whichever that is (system, rootless, another --root).
demo_podman() { podman --remote --url "$CONTAINER_HOST" "$@"; }
if [[ "$CONTAINER_HOST" == unix://* ]]; then
  kplay_build_images demo_podman "$demo_image"
else
  demo_podman image exists "$demo_image" ||
    kplay_die "$demo_image is missing on $CONTAINER_HOST; build it there with scripts/test-image.sh"
fi

# --- 4. kplay --------------------------------------------------------------------------
# A pod left by an interrupted earlier demo would make `play` fail: remove it first.
"$kplay" down "$pod_file" >/dev/null 2>&1 || true
# Whatever happens from here on, do not leave the demo pod behind.
cleanup() { "$kplay" down "$pod_file" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "$kplay play $pod_file"
"$kplay" play "$pod_file"

step "GET $demo_url"
deadline=$((SECONDS + 20))
until body="$(kplay_http_get "$demo_url" "" 2 2>/dev/null)"; do
  ((SECONDS < deadline)) || kplay_die "$demo_url did not answer within 20 s"
  sleep 0.2
done
printf '%s\n' "$body"

step "$kplay ps"
"$kplay" ps

step "$kplay down $pod_file"
trap - EXIT
"$kplay" down "$pod_file"
printf '\ndemo done\n'
