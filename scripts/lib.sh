# shellcheck shell=bash
# The KPLAY_* variables below are read by the scripts that source this file.
# shellcheck disable=SC2034
# Shared helpers for kplay's scripts. Source it; it defines functions and a few variables
# and runs nothing else. Callers set `set -euo pipefail` themselves.

# Absolute repo root, whatever the caller's cwd: scripts are run as `bash scripts/x.sh`
# by npm, by CI and by hand from anywhere.
KPLAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KPLAY_CONTAINERS_CONF="$KPLAY_ROOT/scripts/containers.conf"
# The PATH baked into our images. Without it `podman kube play` cannot find `sh`
# (PODMAN-HERE.md): import gives an image with no environment at all.
KPLAY_IMAGE_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

kplay_log() { printf '%s\n' "$*" >&2; }
kplay_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Milliseconds since the epoch, for the timings the scripts print.
kplay_now_ms() { date +%s%3N; }

# kplay_http_get URL [SOCKET] [MAX_SECONDS]: print the body of a GET, fail on connection
# errors and non-2xx. With SOCKET, the request goes over that unix socket (the URL's host
# is then ignored). curl is on every machine seen so far, but it is not a dependency we
# install, so fall back to node (which npm needs anyway).
kplay_http_get() {
  local url="$1" socket="${2:-}" max="${3:-5}"
  if command -v curl >/dev/null 2>&1; then
    if [[ -n "$socket" ]]; then
      curl -fsS --max-time "$max" --unix-socket "$socket" "$url"
    else
      curl -fsS --max-time "$max" "$url"
    fi
    return
  fi
  node -e '
    const [url, socketPath, max] = process.argv.slice(1);
    const u = new URL(url);
    const opts = { path: u.pathname + u.search, timeout: Number(max) * 1000 };
    if (socketPath) opts.socketPath = socketPath; else { opts.host = u.hostname; opts.port = u.port || 80; }
    const req = require("node:http").get(opts, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { body += c; });
      res.on("end", () => {
        process.stdout.write(body);
        process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 22);
      });
    });
    req.on("timeout", () => { req.destroy(new Error("timeout")); });
    req.on("error", (e) => { process.stderr.write(String(e.message) + "\n"); process.exit(7); });
  ' "$url" "$socket" "$max"
}

# kplay_ping SOCKET: true when a Podman service answers GET /_ping with OK on SOCKET.
kplay_ping() {
  local socket="$1" body
  [[ -S "$socket" ]] || return 1
  body="$(kplay_http_get "http://d/_ping" "$socket" 2 2>/dev/null)" || return 1
  [[ "$body" == "OK" ]]
}

# kplay_socket_path URL: unix:///x/y.sock -> /x/y.sock (also accepts a bare path).
kplay_socket_path() {
  local url="$1"
  case "$url" in
  unix://*) printf '%s\n' "${url#unix://}" ;;
  /*) printf '%s\n' "$url" ;;
  *) return 1 ;;
  esac
}

# kplay_build_images PODMAN_FN BASE_NAME [all]
#
# Builds kplay's busybox test image(s) into the store PODMAN_FN talks to, with no
# registry: a rootfs made of the host's static busybox, imported with `podman import`.
# PODMAN_FN is a command name (a function such as `kpodman`, or `podman`) that is run as
# `PODMAN_FN image exists ...` / `PODMAN_FN import ...`, so the same code serves the
# isolated test store and whatever Podman the demo found. Images that already exist are
# skipped, so a second call costs one `image exists` per image.
#
# BASE_NAME (e.g. localhost/busybox:test): /bin/busybox plus a symlink for every applet,
#   in /bin and also at busybox's own location for it (so /usr/bin/env, /usr/sbin/httpd
#   and /bin/httpd all work), /tmp (1777), /root, /etc/passwd and /etc/group with root
#   and nobody (65534); ENV PATH=...; CMD ["/bin/sh"]; no ENTRYPOINT.
# With `all`, two more images, named after BASE_NAME's repository and tag
# (localhost/busybox-httpd:test, localhost/busybox-entry:test), for ENTRYPOINT/CMD tests:
#   busybox-httpd: ENTRYPOINT ["/bin/httpd","-f","-p","8080"]  CMD ["-h","/var/www"]
#     and /var/www/index.html = "busybox-httpd\n". k8s `args` replace the CMD
#     (e.g. args: ["-h","/www"]), `command` replaces both.
#   busybox-entry: ENTRYPOINT ["/bin/echo","entry"]  CMD ["cmd"]
#     so it prints "entry cmd"; args: ["x"] -> "entry x"; command: ["/bin/echo"] -> "".
kplay_build_images() {
  local pm="$1" base="$2" mode="${3:-}"
  local repo="${base%:*}" tag="${base##*:}"
  local httpd="${repo}-httpd:${tag}" entry="${repo}-entry:${tag}"
  local want=("$base")
  [[ "$mode" == all ]] && want+=("$httpd" "$entry")

  local missing=() name
  for name in "${want[@]}"; do
    "$pm" image exists "$name" || missing+=("$name")
  done
  ((${#missing[@]} > 0)) || return 0

  [[ -x /bin/busybox ]] || kplay_die "/bin/busybox is missing: run scripts/setup.sh (apt package busybox-static)"
  # Dynamic busybox would need a libc in the image; the static one needs nothing.
  if ldd /bin/busybox >/dev/null 2>&1; then
    kplay_die "/bin/busybox is dynamically linked: install busybox-static"
  fi

  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/kplay-image.XXXXXX")"
  # RETURN trap: remove the scratch dir however we leave the function.
  # shellcheck disable=SC2064
  trap "rm -rf '$work'; trap - RETURN" RETURN

  local root="$work/rootfs"
  mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  # ~400 symlinks: one node process instead of ~400 forks of ln (1 s -> 50 ms).
  /bin/busybox --list-full | node -e '
    const fs = require("node:fs");
    const path = require("node:path");
    const root = process.argv[1];
    const link = (rel) => {
      const p = path.join(root, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (!fs.existsSync(p)) fs.symlinkSync("/bin/busybox", p);
    };
    for (const full of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
      const applet = path.basename(full);
      if (applet === "busybox") continue;
      link(path.join("bin", applet));
      link(full);
    }
  ' "$root"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$root/etc/group"

  # --numeric-owner/--owner: the rootfs must be root-owned whoever runs the script.
  local tarflags=(--numeric-owner --owner=0 --group=0 -C "$root" -cf)
  local env_change="ENV PATH=$KPLAY_IMAGE_PATH"

  if [[ " ${missing[*]} " == *" $base "* ]]; then
    tar "${tarflags[@]}" "$work/base.tar" .
    "$pm" import -q --change "$env_change" --change 'CMD ["/bin/sh"]' \
      "$work/base.tar" "$base" >/dev/null
    kplay_log "built image $base"
  fi
  if [[ " ${missing[*]} " == *" $httpd "* ]]; then
    mkdir -p "$root/var/www"
    printf 'busybox-httpd\n' >"$root/var/www/index.html"
    tar "${tarflags[@]}" "$work/httpd.tar" .
    rm -rf "$root/var/www"
    "$pm" import -q --change "$env_change" \
      --change 'ENTRYPOINT ["/bin/httpd","-f","-p","8080"]' --change 'CMD ["-h","/var/www"]' \
      "$work/httpd.tar" "$httpd" >/dev/null
    kplay_log "built image $httpd"
  fi
  if [[ " ${missing[*]} " == *" $entry "* ]]; then
    [[ -f "$work/base.tar" ]] || tar "${tarflags[@]}" "$work/base.tar" .
    "$pm" import -q --change "$env_change" \
      --change 'ENTRYPOINT ["/bin/echo","entry"]' --change 'CMD ["cmd"]' \
      "$work/base.tar" "$entry" >/dev/null
    kplay_log "built image $entry"
  fi
}

# kplay_unmount_under DIR: unmount everything mounted at or below DIR (overlay merged dirs,
# shm tmpfs, bind mounts), deepest first; lazily if busy. /proc/mounts escapes spaces as
# \040: our folders have none.
kplay_unmount_under() {
  local dir="$1" m
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || kplay_log "warning: could not unmount $m"
  done < <(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
}

# kplay_service_pid PIDFILE SOCK: print the pid in PIDFILE if that process is alive and is
# still our podman service (its command line names SOCK; pids get reused after a reboot).
kplay_service_pid() {
  local pidfile="$1" sock="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$sock" || return 1
  printf '%s\n' "$pid"
}

# kplay_await_service PID SOCK LOG WHAT: wait, 20 s at most, until the Podman service PID
# answers /_ping on SOCK. On failure say why (WHAT died, or did not answer) with LOG's tail,
# kill PID and return 1; the caller cleans up what else it started. Plain kill -0, not a
# command-line check: until setsid has exec'd podman, the child's command line is the script's.
kplay_await_service() {
  local pid="$1" sock="$2" log="$3" what="$4"
  local deadline=$((SECONDS + 20))
  until kplay_ping "$sock"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      kplay_log "$what died while starting; $log says:"
      tail -n 20 "$log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      kplay_log "$what did not answer /_ping within 20 s; $log says:"
      tail -n 20 "$log" >&2 || true
      kill -KILL "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.05
  done
}

# kplay_build_commit: the commit a build embeds (`kplay version`): HEAD's first 12 hex digits,
# with -dirty when tracked files differ from it (a build of uncommitted code must not pass
# for that commit), or "unknown" outside a git checkout rather than a guess.
kplay_build_commit() {
  local commit
  if ! commit="$(git -C "$KPLAY_ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    printf 'unknown\n'
    return
  fi
  git -C "$KPLAY_ROOT" diff --quiet HEAD -- 2>/dev/null || commit+="-dirty"
  printf '%s\n' "$commit"
}

# kplay_defines BUILD COMMIT: the `bun build --define`s src/cli/commands/version.ts reads.
# Sets the array KPLAY_DEFINES (an array, so the quotes survive word splitting).
kplay_defines() {
  KPLAY_DEFINES=(--define "KPLAY_BUILD_TARGET=\"$1\"" --define "KPLAY_BUILD_COMMIT=\"$2\"")
}

# kplay_compile TARGET COMMIT OUTFILE [ENTRY]: the executable users run, for TARGET (linux-x64,
# linux-arm64, darwin-x64, darwin-arm64, windows-x64; bun's --target without "bun-"), built
# from ENTRY (default src/main.ts). Measured with bun 1.4.5 (numbers in README, Install):
#   --bytecode --format=esm: JSC bytecode made at build time, `--help` and `validate` start
#     in about 0.4-0.6 of the time. ESM because main.ts awaits at top level.
#   --minify-syntax --minify-whitespace, not --minify: renaming identifiers saved 90 kB of
#     108 MB and no measurable time, and made every frame of an internal error's --debug
#     stack read `at o (...)` instead of the function's name.
#   no --sourcemap: it would put real file:line into those frames for +0.44 MB per target;
#     positions point into the bundle instead, which a build of the same commit reproduces
#     byte for byte (bun's output is deterministic for the same inputs and file name).
#   --no-compile-autoload-dotenv/-bunfig: otherwise the executable reads .env and
#     bunfig.toml from the working directory: a project's .env with CONTAINER_HOST redirected
#     kplay, and a bunfig.toml `preload` ran that folder's code inside kplay.
# For a target other than the host's, bun fetches that platform's runtime from the npm
# registry (@oven/bun-<target>, ~45 MB, ~3 s here) once and keeps it in its cache
# ($BUN_INSTALL_CACHE_DIR, default ~/.bun/install/cache).
# The output file's name is embedded (stack frames say /$bunfs/root/NAME), so every target is
# compiled as "kplay" in a scratch folder and then moved: dist/kplay and the release's
# linux-x64 file are then the same bytes. Written via a temporary name, so a failed build
# never leaves a half-written file that a later run would take for current.
# With KPLAY_BYTECODE_ORDER set (a comma-separated list of profiles, kplay_bytecode_order),
# the bytecode is laid out by it: see kplay_bytecode_order.
kplay_compile() {
  local target="$1" commit="$2" outfile="$3" entry="${4:-src/main.ts}"
  local bun="$KPLAY_ROOT/node_modules/.bin/bun" scratch name=kplay order=()
  [[ "$target" == windows-* ]] && name=kplay.exe
  [[ -n "${KPLAY_BYTECODE_ORDER:-}" ]] && order=(--bytecode-order="$KPLAY_BYTECODE_ORDER")
  scratch="$(mktemp -d "$(dirname "$outfile")/.compile-$target.XXXXXX")"
  kplay_defines "$target" "$commit"
  if ! "$bun" build --compile --target="bun-$target" --bytecode --format=esm \
    --minify-syntax --minify-whitespace \
    --no-compile-autoload-dotenv --no-compile-autoload-bunfig "${order[@]}" \
    "${KPLAY_DEFINES[@]}" "$entry" --outfile "$scratch/$name" >"$scratch/build.log" 2>&1; then
    cat "$scratch/build.log" >&2
    rm -rf "$scratch"
    kplay_die "bun build --compile --target=bun-$target failed"
  fi
  mv -f "$scratch/$name" "$outfile"
  rm -rf "$scratch"
}

# kplay_bytecode_order DIR COMMIT [ENTRY]: records where the bytecode of the commands people
# run in loops is, and prints the profiles as a KPLAY_BYTECODE_ORDER value. bun's
# --bytecode-order puts the functions a recorded run used first in the executable, so a run
# reads and decodes less of its 100 MB: measured with bun 1.4.5, `kplay validate pod.yaml`
# ~5 ms and `kplay --help` ~4 ms faster (docs/benchmarks.md). A host build in DIR runs
# `validate` and `--help` offline (fixtures/valid/web.yaml), with BUN_BYTECODE_ORDER_OUT; the
# profiles hold hashes of functions, the same for every target, and the same for every
# recording of one commit, so dist/kplay and the release's linux-x64 file stay the same bytes.
kplay_bytecode_order() {
  local dir="$1" commit="$2" entry="${3:-src/main.ts}" exe
  exe="$dir/kplay"
  KPLAY_BYTECODE_ORDER="" kplay_compile "$(kplay_host_target)" "$commit" "$exe" "$entry"
  env -u CONTAINER_HOST -u CONTAINER_CONNECTION BUN_BYTECODE_ORDER_OUT="$dir/validate.order" \
    "$exe" validate "$KPLAY_ROOT/fixtures/valid/web.yaml" </dev/null >/dev/null 2>&1 || true
  BUN_BYTECODE_ORDER_OUT="$dir/help.order" "$exe" --help </dev/null >/dev/null 2>&1 || true
  rm -f "$exe"
  printf '%s\n' "$dir/validate.order,$dir/help.order"
}

# kplay_host_target: this machine's release target name (linux-x64 or linux-arm64).
kplay_host_target() {
  case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) printf 'linux-x64\n' ;;
  Linux-aarch64 | Linux-arm64) printf 'linux-arm64\n' ;;
  *) kplay_die "no release target for $(uname -s) $(uname -m)" ;;
  esac
}
