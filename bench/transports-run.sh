#!/usr/bin/env bash
# Starts a confabd (rate limit off, --auth none, a temporary database) and
# runs bench/transports against it: the same fan-out over each transport,
# then the memory of idle SSE sessions. Arguments go to transports.
#   bench/transports-run.sh BUILD_DIR [--receivers N] [--messages N] ...
set -eu
build=${1:?usage: transports-run.sh BUILD_DIR [options]}; shift
dir=$(mktemp -d /tmp/confab-bench-XXXXXX)
"$build/src/server/confabd" --listen 127.0.0.1:0 --port-file "$dir/port" \
  --db "$dir/db" --auth none --rate 0 --max-sessions-per-user 0 \
  --max-conns-per-ip 0 --log-level warn >"$dir/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
[ -s "$dir/port" ] || { echo "confabd did not start" >&2; exit 1; }
"$build/bench/transports" --port "$(cat "$dir/port")" --pid $pid "$@"
