#!/usr/bin/env bash
# Server-Sent Events and long polling driven by curl, as docs/protocol.md
# shows them: the framing of GET /events (retry:, the session event, data:
# frames, id:), POST /send, a reconnect with Last-Event-ID after the stream
# is cut and after confabd is killed and started again (every message once),
# a long poll retried with its cursor answering the same bytes, and SSE
# over https.
# Free port, own temporary directory, deadlines, kill by PID.
set -u
CONFABD=${CONFABD:?set CONFABD to the confabd binary}
dir=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	[ -f "$dir/log" ] && tail -20 "$dir/log"
	exit 1
}

# wait_for FILE PATTERN SECONDS: until grep finds it, or false at the deadline
wait_for() {
	local end=$((SECONDS + $3))
	until grep -q -- "$2" "$1" 2>/dev/null; do
		[ $SECONDS -ge "$end" ] && return 1
		sleep 0.05
	done
}

# start_server [confabd options...]
start_server() {
	rm -f "$dir/port"
	"$CONFABD" --listen 127.0.0.1:0 --db "$dir/c.db" --port-file "$dir/port" \
		--auth none --rate 0 --poll-hold-ms 1000 "$@" >>"$dir/log" 2>&1 &
	server=$!
	pids+=("$server")
	local end=$((SECONDS + 10))
	until [ -s "$dir/port" ]; do
		[ $SECONDS -ge "$end" ] && fail "confabd did not start"
		sleep 0.05
	done
	base="${scheme:-http}://${host:-127.0.0.1}:$(cat "$dir/port")"
}

# stream NAME [curl args...]: GET /events into $dir/NAME, its PID in $curl_pid
stream() {
	local name=$1
	shift
	curl -sN --max-time 60 "$@" >"$dir/$name" &
	curl_pid=$!
	pids+=("$curl_pid")
	wait_for "$dir/$name" '"type":"JOINED"' 10 || fail "$name: no JOINED"
}

key_of() { sed -n 's/^data: {"session":"\([^"]*\)".*/\1/p' "$dir/$1" | head -1; }
last_id() { sed -n 's/^id: //p' "$dir/$1" | tail -1; }

# send KEY JSON: POST /send, its status printed
send() {
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		"$base/send?session=$1" -d "$2"
}

say() {
	[ "$(send "$1" "{\"type\":\"MESSAGE\",\"cid\":\"$2\",\"room\":\"lobby\",\"text\":\"$2\"}")" = 202 ] ||
		fail "POST /send of $2"
}

count() { grep -c -- "\"text\":\"$2\"" "$dir/$1"; }

start_server

# framing
stream a "$base/events?user=alice&rooms=lobby"
grep -qx 'retry: 2000' "$dir/a" || fail "no retry: advice"
grep -qx 'event: session' "$dir/a" || fail "no session event"
grep -qx 'id: lobby:0.0' "$dir/a" || fail "JOINED without its id"
grep -q 'Content-Type: text/event-stream' <(curl -s -m 2 -D - -o /dev/null \
	"$base/events?user=carol" 2>/dev/null) || fail "not text/event-stream"
alice=$(key_of a)
[ -n "$alice" ] || fail "no session key"

# bob talks over a long-poll session
bob_poll=$(curl -s "$base/poll?user=bob&rooms=lobby")
bob=$(printf '%s' "$bob_poll" | sed -n 's/^{"session":"\([^"]*\)".*/\1/p')
[ -n "$bob" ] || fail "no poll session: $bob_poll"

say "$alice" one
wait_for "$dir/a" '"text":"one"' 5 || fail "alice's own message"
grep -qx 'id: lobby:1.0' "$dir/a" || fail "the MESSAGE without its id"

# cut the stream; what is said meanwhile comes after the reconnect, once
kill "$curl_pid"
say "$bob" two
say "$bob" three
stream b -H "Last-Event-ID: $(last_id a)" "$base/events?user=alice&rooms=lobby"
wait_for "$dir/b" '"text":"three"' 5 || fail "resume after the cut"
[ "$(count b one)" = 0 ] || fail "one came twice"
[ "$(count b two)" = 1 ] || fail "two not once"
[ "$(last_id b)" = lobby:3.0 ] || fail "id after the resume: $(last_id b)"
id=$(last_id b)
kill "$curl_pid"

# killed and started again
kill -9 "$server"
wait "$server" 2>/dev/null
start_server
carol=$(curl -s "$base/poll?user=carol&rooms=lobby" | sed -n 's/^{"session":"\([^"]*\)".*/\1/p')
say "$carol" four
stream c -H "Last-Event-ID: $id" "$base/events?user=alice&rooms=lobby"
wait_for "$dir/c" '"text":"four"' 5 || fail "resume after the restart"
for t in one two three; do
	[ "$(count c $t)" = 0 ] || fail "$t came again after the restart"
done
[ "$(count c four)" = 1 ] || fail "four not once"

# a long poll retried with its cursor gets the same answer
first=$(curl -s "$base/poll?user=dave&rooms=lobby:4")
cursor=$(printf '%s' "$first" | sed -n 's/.*"cursor":"\([^"]*\)".*/\1/p')
curl -s "$base/poll?cursor=$cursor" >"$dir/p1"
curl -s "$base/poll?cursor=$cursor" >"$dir/p2"
grep -q '"cursor":"' "$dir/p1" || fail "no poll answer"
cmp -s "$dir/p1" "$dir/p2" || fail "a retried poll answered differently"
grep -q '"type":"JOINED"' "$dir/p1" || grep -q '"type":"JOINED"' <(printf '%s' "$first") ||
	fail "no JOINED for dave"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/poll?cursor=nonsense")" = 400 ] ||
	fail "a bad cursor was not 400"

# the same port with TLS carries SSE and POST /send as well
bash "$(dirname "$0")/../net/make-certs.sh" "$dir/tls" || fail "no certificates"
kill "$server"
wait "$server" 2>/dev/null
scheme=https host=localhost
start_server --tls-cert "$dir/tls/srv.pem" --tls-key "$dir/tls/srv.key"
stream t --cacert "$dir/tls/ca.pem" "$base/events?user=erin&rooms=lobby"
erin=$(key_of t)
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$dir/tls/ca.pem" \
	-H 'Content-Type: application/json' "$base/send?session=$erin" \
	-d '{"type":"MESSAGE","cid":"tls1","room":"lobby","text":"over tls"}')" = 202 ] ||
	fail "POST /send over https"
wait_for "$dir/t" '"text":"over tls"' 5 || fail "SSE over https"
echo "ok"
