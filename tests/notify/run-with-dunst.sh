#!/usr/bin/env bash
# Runs a test program against a real notification daemon: a private X
# server (Xvfb), a private D-Bus session bus (dbus-run-session) and dunst on
# both, configured from a dunstrc in a temporary directory. The program gets
# the directory in CONFAB_TEST_TMP and the bus in DBUS_SESSION_BUS_ADDRESS.
#
# usage: run-with-dunst.sh PROGRAM [ARG...]
#
# Every process started here is ended by its PID when the script exits,
# however it exits (the test's end, a failure, or meson's timeout). Exits
# 77, which meson counts as skipped, when a tool is missing (scripts/deps
# installs them).
set -euo pipefail

deadline_secs=20

# ---- inside the session bus ------------------------------------------------
if [ "${1:-}" = "--inside" ]; then
	shift
	tmp=$CONFAB_TEST_TMP
	# The bus daemon's PID, for the outer cleanup should dbus-run-session
	# itself be killed before it can end the bus.
	dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.GetConnectionUnixProcessID \
		string:org.freedesktop.DBus | awk '{print $2}' >"$tmp/bus.pid"

	dunst -config "$tmp/dunstrc" >"$tmp/dunst.log" 2>&1 &
	echo $! >"$tmp/dunst.pid"

	end=$((SECONDS + deadline_secs))
	until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
		org.freedesktop.DBus.NameHasOwner \
		string:org.freedesktop.Notifications 2>/dev/null |
		grep -q "boolean true"; do
		if ! kill -0 "$(cat "$tmp/dunst.pid")" 2>/dev/null; then
			echo "run-with-dunst: dunst exited:" >&2
			cat "$tmp/dunst.log" >&2
			exit 1
		fi
		if [ "$SECONDS" -ge "$end" ]; then
			echo "run-with-dunst: dunst did not own" \
				"org.freedesktop.Notifications within ${deadline_secs} s" >&2
			exit 1
		fi
		sleep 0.1
	done

	# In a process group of its own (job control), so that the cleanup can
	# end it together with anything it started.
	set -m
	"$@" &
	set +m
	echo $! >"$tmp/test.pid"
	rc=0
	wait "$(cat "$tmp/test.pid")" || rc=$?
	rm -f "$tmp/test.pid"
	kill "$(cat "$tmp/dunst.pid")" 2>/dev/null || true
	exit "$rc"
fi

# ---- outside: X server, then the session --------------------------------------
for tool in Xvfb dbus-run-session dbus-send dunst dunstctl busctl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "run-with-dunst: $tool is not installed: skipped"
		exit 77
	fi
done
if [ $# -eq 0 ]; then
	echo "usage: run-with-dunst.sh PROGRAM [ARG...]" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-dunst.XXXXXX")
xvfb_pid=""
session_pid=""

# Ends a process (or, given -PID, a process group) that this script
# started: TERM, then KILL if it is still there after 5 s.
stop_pid() {
	local pid=$1
	[ -n "$pid" ] && [ "$pid" != "-" ] || return 0
	kill -TERM -- "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 -- "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL -- "$pid" 2>/dev/null || true
}

cleanup() {
	[ -f "$tmp/test.pid" ] && stop_pid "-$(cat "$tmp/test.pid")"
	[ -f "$tmp/dunst.pid" ] && stop_pid "$(cat "$tmp/dunst.pid")"
	stop_pid "$session_pid"
	[ -s "$tmp/bus.pid" ] && stop_pid "$(cat "$tmp/bus.pid")"
	stop_pid "$xvfb_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# -displayfd: Xvfb picks a free display and writes its number when ready.
Xvfb -displayfd 3 -nolisten tcp -screen 0 800x600x24 \
	3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
end=$((SECONDS + deadline_secs))
until [ -s "$tmp/display" ]; do
	if ! kill -0 "$xvfb_pid" 2>/dev/null; then
		echo "run-with-dunst: Xvfb exited:" >&2
		cat "$tmp/xvfb.log" >&2
		exit 1
	fi
	if [ "$SECONDS" -ge "$end" ]; then
		echo "run-with-dunst: Xvfb did not start within ${deadline_secs} s" >&2
		exit 1
	fi
	sleep 0.1
done
export DISPLAY=":$(head -n 1 "$tmp/display")"
export CONFAB_TEST_TMP=$tmp
unset WAYLAND_DISPLAY

# Read bodies as markup (as the stock dunstrc does: the daemon then says
# body-markup and desknotify escapes), never idle (notifications would wait
# for the user), keep a long history, show each notification apart.
cat >"$tmp/dunstrc" <<'EOF'
[global]
    markup = full
    idle_threshold = 0
    history_length = 5000
    stack_duplicates = false
    sticky_history = true
    show_age_threshold = -1
[urgency_low]
    timeout = 60
[urgency_normal]
    timeout = 60
[urgency_critical]
    timeout = 60
EOF

dbus-run-session -- "$0" --inside "$@" &
session_pid=$!
rc=0
wait "$session_pid" || rc=$?
session_pid=""
exit "$rc"
