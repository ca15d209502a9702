#!/bin/sh
# soak-run.sh [DURATION] [EACH] [FDS]
#
# A soak under attack, on loopback: one confabd (a fresh database, --rate 0
# since the clients are bots, at most 1024 descriptors, heartbeats of 3 s
# so that stalled sessions expire within the run, every other bound at its
# default), 100 honest clients chatting in room bench (loadgen: 10
# senders, 100 messages/s), and, for the same DURATION seconds (default
# 30), the hostile clients of bench/hostile.c: EACH (default 3) of every
# kind (pipelined HTTP with bodies and smuggling heads, protocol-breaking
# frames, heavy-document requests, 7 MB replays read to the end, sessions
# that stall with answers queued) and FDS (default 900) idle connections
# that exhaust the server's descriptors.
#
# Prints hostile's tally, loadgen's figures for the honest clients, and
# confabd's peak RSS and CPU. The last line is one JSON object with
# honest_p99_ms, lost (the honest deliveries that never came; 0 is the
# goal), closed (honest sessions dropped), peak_rss_kb and confabd_cpu_pct.
#
# Environment: BUILD=dir (meson build directory, default build),
# CONFABD=path (another confabd to measure, e.g. an older one).
# Exit status: loadgen's; 3 when nothing could be built or started.
set -eu

DURATION=${1:-30}
EACH=${2:-3}
FDS=${3:-900}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
pid=
lpid=
hpid=

# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
	for p in $hpid $lpid $pid; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			sleep 1
			kill -KILL "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" >/dev/null
fi
if ! ninja -C "$build" src/server/confabd bench/loadgen bench/hostile \
    >"$dir/build.log" 2>&1; then
	cat "$dir/build.log" >&2
	exit 3
fi
confabd=${CONFABD:-$build/src/server/confabd}
# The load signs in no one: --auth none, where the binary knows it.
auth=""
"$confabd" --help | grep -q -- --auth && auth="--auth none"

# Honest and hostile clients share one address here: no per-address limit
# (the handshake timeout stays; an older confabd has neither).
limits=""
if "$confabd" --help | grep -q -- --max-conns-per-ip; then
	limits="--max-conns-per-ip 0"
fi
# shellcheck disable=SC2086 # auth and limits are lists of options
(ulimit -n 1024 && exec "$confabd" --listen 127.0.0.1:0 --port-file "$dir/port" \
	--db "$dir/confab.db" --rate 0 --sync normal --heartbeat-ms 3000 \
	--log-level warn $auth $limits) \
	>"$dir/confabd.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$dir/port" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 100 ]; then
		echo "soak-run: confabd did not start" >&2
		cat "$dir/confabd.log" >&2
		exit 3
	fi
	sleep 0.1
	i=$((i + 1))
done
port=$(cat "$dir/port")

timeout -k 5 120 "$build/bench/hostile" --port "$port" --setup-only

ticks=$(getconf CLK_TCK)
cpu_s() {
	awk -v t="$ticks" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / t }' \
		"/proc/$pid/stat"
}

# every client is bounded in time, whatever the server does (a wedged one
# answers nothing and ignores SIGTERM)
limit=$((DURATION + 60))
status=0
: >"$dir/loadgen.out"
timeout -k 5 "$limit" "$build/bench/loadgen" --url "ws://127.0.0.1:$port/" --sessions 100 --senders 10 \
	--rate 100 --duration "$DURATION" --warmup 1 --size 64 \
	>"$dir/loadgen.out" 2>&1 &
lpid=$!
while kill -0 "$lpid" 2>/dev/null && ! grep -q '^joined:' "$dir/loadgen.out"; do
	sleep 0.05
done
c0=$(cpu_s)
t0=$(awk '{ print $1 }' /proc/uptime)
timeout -k 5 "$limit" "$build/bench/hostile" --port "$port" --no-setup \
	--duration "$DURATION" --each "$EACH" --fds "$FDS" >"$dir/hostile.out" 2>&1 &
hpid=$!
wait "$lpid" || status=$?
lpid=
t1=$(awk '{ print $1 }' /proc/uptime)
busy=$(awk -v a="$c0" -v b="$(cpu_s)" -v t0="$t0" -v t1="$t1" \
	'BEGIN { printf "%.0f", (t1 > t0) ? (b - a) / (t1 - t0) * 100 : 0 }')
wait "$hpid" || true
hpid=
peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	echo "soak-run: confabd ignored SIGTERM for 5 s: killed" >&2
	kill -KILL "$pid"
fi
wait "$pid" 2>/dev/null || true
pid=

echo "--- hostile clients ($EACH of each kind, $FDS idle connections)"
sed '$d' "$dir/hostile.out"
echo "--- honest clients (loadgen: 100 sessions, 10 senders, 100 msg/s)"
sed '$d' "$dir/loadgen.out"
echo "--- confabd"
echo "peak rss            $peak kB"
echo "cpu                 $busy% of a core while attacked"
echo "log lines           $(wc -l <"$dir/confabd.log")"
summary=$(tail -n 1 "$dir/loadgen.out")
p99=$(echo "$summary" | sed -n 's/.*"lat_p99_ms":\([0-9.]*\).*/\1/p')
lost=$(echo "$summary" | sed -n 's/.*"lost":\([0-9]*\).*/\1/p')
closed=$(echo "$summary" | sed -n 's/.*"closed":\([0-9]*\).*/\1/p')
printf '{"honest_p99_ms":%s,"lost":%s,"closed":%s,"peak_rss_kb":%s,"confabd_cpu_pct":%s}\n' \
	"${p99:-null}" "${lost:-null}" "${closed:-null}" "${peak:-null}" "$busy"
exit "$status"
