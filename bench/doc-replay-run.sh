#!/bin/sh
# doc-replay-run.sh [RUNS]
#
# Starts a private confabd (loopback, a free port, a fresh database in a
# temporary directory, no per-session rate limit since the writers are
# bots), replays automerge-paper and the two concurrent editing traces
# through it with doc-replay RUNS times each (default 3), and stops it
# again. Prints every run's figures, then the median time per trace; the
# last line is one JSON object with the medians.
#
# Environment:
#   BUILD=dir        meson build directory (default: build at the repo root)
#   TRACES=dir       the editing traces (default: ../shared/data/editing-traces
#                    beside the repo)
#   PACE=stream|each doc-replay --pace for the sequential trace (default stream)
#   CONFABD_ARGS     extra confabd options (e.g. "--sync normal")
#   KEEP_LOG=1       print confabd's log at the end
# Exit status: doc-replay's first failure, or 3 when nothing could be built
# or confabd did not start.
set -eu

RUNS=${1:-3}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
traces=${TRACES:-$root/../shared/data/editing-traces}

dir=$(mktemp -d "${TMPDIR:-/tmp}/doc-replay.XXXXXX")
pid=

# shellcheck disable=SC2317 # invoked by the trap
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

confabd=$build/src/server/confabd
# The load signs in no one: --auth none, where the binary knows it.
auth_none() { "$1" --help | grep -q -- '--auth' && echo "--auth none"; }
replay=$build/bench/doc-replay
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" >/dev/null
fi
if ! ninja -C "$build" src/server/confabd bench/doc-replay >"$dir/build.log" 2>&1; then
	# A tree in the middle of someone's edit: measure what was built last.
	if [ -x "$confabd" ] && [ -x "$replay" ]; then
		echo "doc-replay-run: warning: the build failed; using the existing binaries" >&2
	else
		cat "$dir/build.log" >&2
		exit 3
	fi
fi

# shellcheck disable=SC2086 # CONFABD_ARGS is a list of options
"$confabd" --listen 127.0.0.1:0 --port-file "$dir/port" --db "$dir/confab.db" \
	$(auth_none "$confabd") \
	--rate 0 --log-level warn ${CONFABD_ARGS:-} >"$dir/confabd.log" 2>&1 &
pid=$!

# Wait for the port file (written once listening), at most 10 s.
i=0
while [ ! -s "$dir/port" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ "$i" -ge 100 ]; then
		echo "doc-replay-run: confabd did not start listening" >&2
		cat "$dir/confabd.log" >&2
		exit 3
	fi
	sleep 0.1
	i=$((i + 1))
done
url="ws://127.0.0.1:$(cat "$dir/port")/"

status=0
summary=
for trace in automerge-paper concurrent-friendsforever concurrent-clownschool; do
	: >"$dir/$trace.ms"
	n=1
	while [ "$n" -le "$RUNS" ]; do
		if ! "$build/bench/doc-replay" --url "$url" --pace "${PACE:-stream}" \
			"$traces/$trace.json.gz" >"$dir/out" 2>"$dir/err"; then
			echo "doc-replay-run: $trace failed:" >&2
			cat "$dir/err" >&2
			[ "$status" -ne 0 ] || status=1
			break
		fi
		tail -n 1 "$dir/out"
		tail -n 1 "$dir/out" | sed 's/.*"ms":\([0-9.]*\).*/\1/' >>"$dir/$trace.ms"
		n=$((n + 1))
	done
	if [ -s "$dir/$trace.ms" ]; then
		median=$(sort -n "$dir/$trace.ms" | awk '{ v[NR] = $1 }
			END { printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
		summary="$summary${summary:+,}\"$trace\":$median"
		echo "median $trace: $median ms over $(wc -l <"$dir/$trace.ms") runs"
	fi
done

kill -TERM "$pid"
wait "$pid" || true
pid=
if [ "${KEEP_LOG:-0}" = 1 ] || [ "$status" -ne 0 ]; then
	if [ -s "$dir/confabd.log" ]; then
		echo "--- confabd log (last 20 lines)"
		tail -n 20 "$dir/confabd.log"
	fi
fi
echo "{\"runs\":$RUNS,\"median_ms\":{$summary}}"
exit "$status"
