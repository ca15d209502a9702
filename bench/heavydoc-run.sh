#!/bin/sh
# heavydoc-run.sh [OPS] [UNITS]
#
# Starts a private confabd (loopback, a fresh database, --rate 0,
# --sync normal, frames and operations big enough for the document) and
# runs bench/heavydoc against it: a document of OPS operations (default
# 2000) of 3 x UNITS components (default 6000: 18,000) is built, then
# opened, opened three times, edited from revision 2 and read at an old
# revision while a probe measures HEARTBEAT round trips.
#
# Environment: BUILD=dir (default build), CONFABD=path (another confabd,
# e.g. an older one: options it lacks are left out), DOC_LOG_BYTES
# (confabd --doc-log-bytes; e.g. 4294967296 to keep every revision, so
# that the late edit is transformed rather than refused).
set -eu
OPS=${1:-2000}
UNITS=${2:-6000}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/heavydoc.XXXXXX")
pid=
# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" >/dev/null
fi
ninja -C "$build" src/server/confabd bench/heavydoc >"$dir/build.log" 2>&1 ||
	{ cat "$dir/build.log" >&2; exit 3; }
confabd=${CONFABD:-$build/src/server/confabd}
extra=""
if "$confabd" --help | grep -q -- --max-op; then
	extra="--max-op 1000000"
	[ -n "${DOC_LOG_BYTES:-}" ] && extra="$extra --doc-log-bytes $DOC_LOG_BYTES"
fi
"$confabd" --help | grep -q -- --auth && extra="$extra --auth none"
# shellcheck disable=SC2086 # extra is a list of options
"$confabd" --listen 127.0.0.1:0 --port-file "$dir/port" --db "$dir/confab.db" \
	--rate 0 --sync normal --max-frame 1048576 --log-level warn $extra \
	>"$dir/confabd.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$dir/port" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 100 ]; then
		cat "$dir/confabd.log" >&2
		exit 3
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "confabd: $confabd $extra"
timeout -k 5 1800 "$build/bench/heavydoc" --port "$(cat "$dir/port")" --pid "$pid" \
	--ops "$OPS" --units "$UNITS"
echo "peak rss $(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status") kB"
