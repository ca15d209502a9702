#!/usr/bin/env bash
# render.sh [HELD] [COUNT] [RATE]: what confab's screen costs.
#
# Starts a private confabd (loopback, a free port, a fresh database, no
# per-session rate limit) and confab in a private tmux server at 120x40,
# fills the room until confab holds HELD lines (default 10), then sends
# COUNT messages (default 10000) at RATE a second (default 500) with
# bench/loadgen and reads confab's CPU time from /proc (schedstat: ns).
# Prints, one figure a line:
#   cpu_per_msg_us     confab's CPU per received message during the burst
#   rss_per_line_b     resident memory per held line (filled, or the burst)
#   idle_cpu_ms        confab's CPU over 5 s with nothing happening
#   pgup_depth0_us     one PgUp (or PgDn) at the newest page
#   pgup_depth1000_us  one PgUp (or PgDn) about 1,000 rows back
#   writes_per_pgup    write() calls the client made for one PgUp (a frame)
#   writes_per_s       write() calls a second while the messages came
#                      (frames: many messages, one frame)
# then one JSON line with them all.
#
# Environment:
#   BUILD=dir      meson build directory (default: build at the repo root)
#   CLIENT=irssi   measure irssi instead (bench/render-irc.py plays the
#                  server); needs irssi and python3
#   SIZE=bytes     message text length (default 64)
#   NOBUILD=1      measure the binaries in BUILD as they are
#   SHOW=1         print the screen after the filling and the burst
set -euo pipefail

HELD=${1:-10}
COUNT=${2:-10000}
RATE=${3:-500}
SIZE=${SIZE:-64}
CLIENT=${CLIENT:-confab}

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
dir=$(mktemp -d "${TMPDIR:-/tmp}/render.XXXXXX")
tmux_="tmux -L render-$$ -f /dev/null"
spid=""
cpid=""

cleanup() {
	$tmux_ kill-server >/dev/null 2>&1 || true
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -TERM "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
	fi
	if [ -n "$cpid" ]; then
		for _ in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$cpid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "render: $*" >&2; exit 3; }

# CPU of the client so far, in ns.
cpu_ns() { awk '{ print $1 }' "/proc/$cpid/schedstat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$cpid/status"; }
writes() { awk '/^syscw:/ { print $2 }' "/proc/$cpid/io"; }
screen() { $tmux_ capture-pane -p -t bench; }
wait_screen() { # TEXT SECONDS
	local deadline=$((SECONDS + $2))
	until screen | grep -qF -- "$1"; do
		[ $SECONDS -ge $deadline ] && { screen >&2; die "never showed \"$1\""; }
		sleep 0.1
	done
}
# Until the client has used no CPU for a second and waits in poll, not
# in a write to a terminal still busy with what it was sent: it has
# drawn everything that came.
settle() {
	local last now deadline=$((SECONDS + 900))
	last=$(cpu_ns)
	while :; do
		sleep 1
		now=$(cpu_ns)
		if [ $((now - last)) -lt 2000000 ] &&
			grep -q poll "/proc/$cpid/wchan" 2>/dev/null &&
			[ -z "$(ss -tnH state established "( sport = :$port )" |
				awk '$1 > 0 || $2 > 0')" ]; then
			return 0
		fi
		last=$now
		[ $SECONDS -ge $deadline ] && die "the client never settled"
	done
}

# ---- the server and the client ---------------------------------------------

if [ "$CLIENT" = confab ]; then
	if [ -z "${NOBUILD:-}" ]; then
		ninja -C "$build" src/server/confabd src/client/confab bench/loadgen \
			>"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; die "build failed"; }
	fi
	# a confabd with accounts is told to take whoever says HELLO (an older
	# one, measured for comparison, has no such option)
	auth=()
	"$build/src/server/confabd" --help 2>&1 | grep -q -- '--auth' && auth=(--auth none)
	"$build/src/server/confabd" --listen 127.0.0.1:0 --port-file "$dir/port" \
		--db "$dir/confab.db" --rate 0 --max-queue 268435456 --sync normal \
		"${auth[@]}" --log-level warn >"$dir/confabd.log" 2>&1 &
	spid=$!
	for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
	[ -s "$dir/port" ] || die "confabd did not start"
	port=$(cat "$dir/port")
	mkdir -p "$dir/home/config/confab"
	# The bound on lines held goes above what is measured, where there is
	# one: a confab without the setting stops at once on it (status 2).
	echo "scrollback_lines = $((HELD + COUNT + 1000))" \
		>"$dir/home/config/confab/config"
	rc=0
	XDG_CONFIG_HOME=$dir/home/config HOME=$dir/home \
		"$build/src/client/confab" --user reader </dev/null >/dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] && : >"$dir/home/config/confab/config"
	$tmux_ new-session -d -s bench -x 120 -y 40 \
		"exec env HOME=$dir/home XDG_STATE_HOME=$dir/home/state \
		 XDG_CONFIG_HOME=$dir/home/config XDG_DATA_HOME=$dir/home/data \
		 TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		 $build/src/client/confab --server ws://127.0.0.1:$port/ \
		 --user reader --room bench"
	cpid=$($tmux_ list-panes -t bench -F '#{pane_pid}')
	wait_screen connected 20
	send() { # COUNT RATE USER
		local secs
		secs=$(awk -v n="$1" -v r="$2" 'BEGIN { printf "%.3f", n / r }')
		"$build/bench/loadgen" --url "ws://127.0.0.1:$port/" --sessions 1 \
			--senders 1 --rate "$2" --duration "$secs" --room bench \
			--size "$SIZE" --drain 1 --user "$3" >"$dir/loadgen.log" 2>&1 ||
			{ cat "$dir/loadgen.log" >&2; die "loadgen failed"; }
	}
else
	command -v irssi >/dev/null || die "irssi is not installed"
	python3 "$root/bench/render-irc.py" "$dir" &
	spid=$!
	for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
	[ -s "$dir/port" ] || die "the IRC stand-in did not start"
	port=$(cat "$dir/port")
	mkdir -p "$dir/home/.irssi"
	# pages as confab's (the pane less 2 rows), every line kept
	cat >"$dir/home/.irssi/config" <<-EOF
	settings = {
	  core = { real_name = "reader"; user_name = "reader"; nick = "reader"; };
	  "fe-text" = { scrollback_lines = "$((HELD + COUNT + 1000))";
	    scrollback_time = "0"; scroll_page_count = "-2"; };
	};
	EOF
	$tmux_ new-session -d -s bench -x 120 -y 40 \
		"exec env HOME=$dir/home TERM=xterm-256color LANG=C.UTF-8 \
		 LC_ALL=C.UTF-8 irssi --home=$dir/home/.irssi -n reader \
		 -c 127.0.0.1 -p $port"
	cpid=$($tmux_ list-panes -t bench -F '#{pane_pid}')
	wait_screen "Welcome to the render bench" 20
	$tmux_ send-keys -t bench "/join #bench" Enter
	wait_screen "#bench" 20
	sleep 1
	send() { # COUNT RATE
		echo "$1 $2 $SIZE" >"$dir/ctl"
		for _ in $(seq 6000); do [ -e "$dir/sent" ] && break; sleep 0.1; done
		rm -f "$dir/sent"
	}
fi

# ---- filling and the burst ---------------------------------------------------

settle
rss0=$(rss_kb)
if [ "$HELD" -gt 10 ]; then
	send $((HELD - 10)) 5000 fill
	settle
	[ -z "${SHOW:-}" ] || screen >&2
fi
rss1=$(rss_kb)
c0=$(cpu_ns)
b0=$(writes)
t0=$(date +%s%N)
send "$COUNT" "$RATE" burst
t1=$(date +%s%N)
b1=$(writes)
settle
c1=$(cpu_ns)
rss2=$(rss_kb)
[ -z "${SHOW:-}" ] || screen >&2

# ---- idle ----------------------------------------------------------------------

i0=$(cpu_ns)
sleep 5
i1=$(cpu_ns)


# ---- scrolling -----------------------------------------------------------------

# 15 times PgUp then PgDn, one key at a time, each drawn before the next.
presses() {
	local p0 p1
	w0=$(writes)
	p0=$(cpu_ns)
	for _ in $(seq 15); do
		$tmux_ send-keys -t bench PPage
		sleep 0.15
		$tmux_ send-keys -t bench NPage
		sleep 0.15
	done
	p1=$(cpu_ns)
	w1=$(writes)
	echo "$(((p1 - p0) / 30000)) $(((w1 - w0) * 10 / 30))"
}
read -r pg0 wpp <<<"$(presses)"
# about 1,000 rows back: pages of 35 rows at 40 rows (confab) or 38 (irssi)
for _ in $(seq 28); do
	$tmux_ send-keys -t bench PPage
	sleep 0.05
done
settle
read -r pg1000 _ <<<"$(presses)"

per_msg=$(((c1 - c0) / COUNT / 1000))
if [ "$HELD" -gt 10 ]; then
	per_line=$(((rss1 - rss0) * 1024 / (HELD - 10)))
else
	per_line=$(((rss2 - rss1) * 1024 / COUNT))
fi
idle_ms=$(((i1 - i0) / 1000000))
echo "client            $CLIENT"
echo "held              $HELD (+$COUNT at $RATE/s, $SIZE-byte texts)"
echo "cpu_per_msg_us    $per_msg"
echo "rss_per_line_b    $per_line"
echo "idle_cpu_ms       $idle_ms"
echo "pgup_depth0_us    $pg0"
echo "pgup_depth1000_us $pg1000"
wpp=$(awk -v w="$wpp" 'BEGIN { printf "%.1f", w / 10 }')
echo "writes_per_pgup   $wpp"
wps=$(((b1 - b0) * 1000000000 / (t1 - t0)))
echo "writes_per_s      $wps"
printf '{"client":"%s","held":%d,"count":%d,"rate":%d,"cpu_per_msg_us":%d,"rss_per_line_b":%d,"idle_cpu_ms":%d,"pgup_depth0_us":%d,"pgup_depth1000_us":%d,"writes_per_pgup":%s,"writes_per_s":%d}\n' \
	"$CLIENT" "$HELD" "$COUNT" "$RATE" "$per_msg" "$per_line" "$idle_ms" "$pg0" "$pg1000" "$wpp" "$wps"
