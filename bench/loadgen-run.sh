#!/bin/sh
# loadgen-run.sh [SESSIONS SENDERS RATE DURATION]
#
# Starts a private confabd (loopback, a free port, a fresh database in a
# temporary directory, no per-session rate limit since the senders are bots),
# runs loadgen against it and stops it again. Prints loadgen's output with
# confabd's CPU use while loadgen was sending; the last line stays loadgen's
# JSON summary.
#
# Environment:
#   BUILD=dir        meson build directory (default: build at the repo root)
#   WARMUP=s         loadgen --warmup (default 1)
#   SIZE=bytes       loadgen --size (default 64)
#   MAX_QUEUE=bytes  confabd --max-queue (default 64 MiB)
#   CONFABD_ARGS     extra confabd options (e.g. "--sync normal")
#   LOADGEN_ARGS     extra loadgen options
#   KEEP_LOG=1       print confabd's log at the end
# Exit status: loadgen's, or 3 when nothing could be built or confabd did
# not start.
set -eu

N=${1:-1000}
M=${2:-10}
RATE=${3:-1000}
DURATION=${4:-10}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac

dir=$(mktemp -d "${TMPDIR:-/tmp}/loadgen.XXXXXX")
pid=
lpid=

# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
	for p in $lpid $pid; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

confabd=$build/src/server/confabd
# The load signs in no one: --auth none, where the binary knows it.
auth_none() { "$1" --help | grep -q -- '--auth' && echo "--auth none"; }
loadgen=$build/bench/loadgen
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" >/dev/null
fi
if ! ninja -C "$build" src/server/confabd bench/loadgen >"$dir/build.log" 2>&1; then
	# A tree in the middle of someone's edit: measure what was built last.
	if [ -x "$confabd" ] && [ -x "$loadgen" ]; then
		echo "loadgen-run: warning: the build failed; using the existing binaries" >&2
	else
		cat "$dir/build.log" >&2
		exit 3
	fi
fi

# Every client comes from one address here: no per-address limit (an older
# confabd has none to turn off).
limits=""
if "$confabd" --help | grep -q -- --max-conns-per-ip; then
	limits="--max-conns-per-ip 0 --max-sessions-per-user 0"
fi
# shellcheck disable=SC2086 # CONFABD_ARGS and limits are lists of options
"$confabd" --listen 127.0.0.1:0 --port-file "$dir/port" --db "$dir/confab.db" \
	$(auth_none "$confabd") \
	--rate 0 --max-queue "${MAX_QUEUE:-67108864}" --log-level warn $limits \
	${CONFABD_ARGS:-} >"$dir/confabd.log" 2>&1 &
pid=$!

# Wait for the port file (written once listening), at most 10 s.
i=0
while [ ! -s "$dir/port" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 100 ]; then
		echo "loadgen-run: confabd did not start listening" >&2
		cat "$dir/confabd.log" >&2
		exit 3
	fi
	sleep 0.1
	i=$((i + 1))
done
port=$(cat "$dir/port")

# CPU seconds of confabd so far (utime + stime: fields 14 and 15).
ticks=$(getconf CLK_TCK)
cpu_s() {
	awk -v t="$ticks" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / t }' \
		"/proc/$pid/stat"
}
now_s() {
	awk '{ print $1 }' /proc/uptime
}
# CPU seconds the whole machine has been busy (not idle, not iowait).
machine_s() {
	awk -v t="$ticks" '$1 == "cpu" {
		printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat
}

status=0
# shellcheck disable=SC2086 # LOADGEN_ARGS is a list of options
"$loadgen" --url "ws://127.0.0.1:$port/" --sessions "$N" --senders "$M" \
	--rate "$RATE" --duration "$DURATION" --warmup "${WARMUP:-1}" \
	--size "${SIZE:-64}" ${LOADGEN_ARGS:-} >"$dir/loadgen.out" &
lpid=$!

# confabd's load from the first send on, the window loadgen reports for
# itself (the join phase is not what is measured).
while kill -0 "$lpid" 2>/dev/null && ! grep -q '^joined:' "$dir/loadgen.out"; do
	sleep 0.05
done
c0=$(cpu_s)
m0=$(machine_s)
t0=$(now_s)
wait "$lpid" || status=$?
lpid=
t1=$(now_s)
pct() {
	awk -v a="$1" -v b="$2" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.0f", (t1 > t0) ? (b - a) / (t1 - t0) * 100 : 0 }'
}
busy=$(pct "$c0" "$(cpu_s)")
machine=$(pct "$m0" "$(machine_s)")

kill -TERM "$pid"
wait "$pid" || true
pid=

# loadgen's JSON stays the last line; confabd's figures go before it.
sed '$d' "$dir/loadgen.out"
echo "confabd cpu         $busy% of a core over the same time"
echo "machine cpu         $machine% busy of $(nproc)00% (every process, loadgen's and confabd's included)"
if [ "${KEEP_LOG:-0}" = 1 ] || [ "$status" -ne 0 ]; then
	if [ -s "$dir/confabd.log" ]; then
		echo "--- confabd log (last 20 lines)"
		tail -n 20 "$dir/confabd.log"
	fi
fi
tail -n 1 "$dir/loadgen.out"
exit "$status"
