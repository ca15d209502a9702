#!/usr/bin/env bash
# Desktop notifications from confab through a real dunst, read back from
# dunst's history: a mention raises exactly one notification with the
# sender and room as its title and the message as its body, a message
# without a mention raises none; do not disturb holds a mention back; with
# no session bus confab works on and says once that desktop notifications
# are unavailable. Runs inside tests/notify/run-with-dunst.sh (private X
# server, session bus and dunst).
. "$(dirname "$0")/lib.sh"

: "${DBUS_SESSION_BUS_ADDRESS:?run this through tests/notify/run-with-dunst.sh}"
: "${DISPLAY:?run this through tests/notify/run-with-dunst.sh}"
if ! command -v python3 >/dev/null; then
  echo "python3 is not installed (it reads dunst's history): skipped"
  exit 77
fi

# d_client NAME USER ENV [confab args]: t_client with confab started under
# env(1) with ENV (shell-quoted), so its bus never depends on what the
# private tmux server happened to inherit.
d_client() {
  local name=$1 user=$2 vars=$3; shift 3
  CONFAB="env $vars $CONFAB" t_client "$name" "$user" "$@"
}

# d_history TEXT: one line per notification in dunst's history whose body
# holds TEXT, "summary|body|appname|category". close-all first moves what
# dunst still shows into the history.
d_history() {
  dunstctl close-all >/dev/null 2>&1 || return 1
  dunstctl history 2>/dev/null | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for n in doc["data"][0]:
    f = lambda k: n.get(k, {}).get("data", "")
    if sys.argv[1] in f("body"):
        print("|".join([f("summary"), f("body"), f("appname"), f("category")]))
' "$1"
}

# d_count TEXT: how many notifications in dunst's history hold TEXT (or
# why it cannot say, which no comparison takes for a number).
d_count() {
  local out
  out=$(d_history "$1") || { echo "unknown: dunstctl history failed"; return; }
  [ -z "$out" ] && echo 0 || printf '%s\n' "$out" | wc -l
}

# d_wait TEXT [seconds]: until dunst's history holds a notification with TEXT.
d_wait() {
  local text=$1 limit=${2:-10}
  local deadline=$((SECONDS + limit))
  until [ -n "$(d_history "$text")" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "dunst never got a notification with \"$text\""
    sleep 0.1
  done
}

printf -v bus %q "$DBUS_SESSION_BUS_ADDRESS"
printf -v display %q "$DISPLAY"
tag="t$$"

t_server_start
for u in alice carol; do
  mkdir -p "$T_DIR/home-$u/config/confab"
  printf 'notify_when = always\n' >"$T_DIR/home-$u/config/confab/config"
done

d_client A alice "DBUS_SESSION_BUS_ADDRESS=$bus DISPLAY=$display" --room lobby
t_wait A "online 1"
t_client B bob --room lobby
t_wait A "online 2"
t_wait B "connected"

# 1. A mention notifies, once, as "bob in lobby"; a plain message does not.
#    The plain one goes first: alice handles frames in order and the worker
#    shows them in order, so once the mention is in the history the plain
#    one would be too.
t_say B "nothing for anyone $tag-plain"
t_wait A "$tag-plain"
t_say B "@alice look $tag-m1"
t_wait A "$tag-m1"
d_wait "$tag-m1"
[ "$(d_count "$tag-m1")" = 1 ] || t_fail "not exactly one notification: $(d_history "$tag-m1")"
got=$(d_history "$tag-m1")
want="bob in lobby|@alice look $tag-m1|confab|im.received"
[ "$got" = "$want" ] || t_fail "notification is \"$got\", expected \"$want\""
[ "$(d_count "$tag-plain")" = 0 ] || t_fail "a message without a mention notified: $(d_history "$tag-plain")"
t_pass "a mention raises one notification \"bob in lobby\" with the message; a plain message none"

# 2. Do not disturb: the mention during it never reaches dunst. The one
#    after /dnd off does; it was posted later, so the worker (first in,
#    first out) would have shown the held-back one before it.
t_say A "/dnd on"
t_wait A "do not disturb on"
t_say B "@alice quiet please $tag-dnd"
t_wait A "$tag-dnd"
t_say A "/dnd off"
t_wait A "do not disturb off"
t_say B "@alice back again $tag-m3"
t_wait A "$tag-m3"
d_wait "$tag-m3"
[ "$(d_count "$tag-m3")" = 1 ] || t_fail "not exactly one notification: $(d_history "$tag-m3")"
[ "$(d_count "$tag-dnd")" = 0 ] || t_fail "a mention during do not disturb notified: $(d_history "$tag-dnd")"
[ "$(d_count "$tag-m1")" = 1 ] || t_fail "the first mention notified again: $(d_history "$tag-m1")"
[ "$(d_count "$tag-plain")" = 0 ] || t_fail "the plain message notified later: $(d_history "$tag-plain")"
t_pass "/dnd on holds a mention back; after /dnd off the next one notifies"

# A direct message notifies without a mention, titled as one.
t_say B "/msg alice just us $tag-dm"
t_wait A "@alice+bob"
d_wait "$tag-dm"
got=$(d_history "$tag-dm")
want="bob (direct message)|just us $tag-dm|confab|im.received"
[ "$got" = "$want" ] || t_fail "notification is \"$got\", expected \"$want\""
t_pass "a direct message raises one notification \"bob (direct message)\""
t_key B M-1        # /msg showed bob the direct-message room: back to lobby
t_wait B "[lobby]"

# 3. No daemon: carol's bus is a socket that does not exist (and there is
#    no X display or runtime directory to find another one through).
d_client C carol "-u DISPLAY -u XDG_RUNTIME_DIR \
  DBUS_SESSION_BUS_ADDRESS=unix:path=$T_DIR/no-such-bus" --room lobby
t_wait B "online 3"
t_wait C "connected"
t_say B "@carol first $tag-c1"
t_wait C "$tag-c1"
t_wait C "desktop notifications unavailable"
t_say B "@carol second $tag-c2"
t_wait C "$tag-c2"
t_say C "carol here $tag-c3"
t_wait B "$tag-c3"
t_wait_gone C "pending"
n=$(t_count C "desktop notifications unavailable")
[ "$n" = 1 ] || t_fail "carol's screen says notifications are unavailable $n times"
log="$T_DIR/home-carol/state/confab/confab.log"
n=$(grep -c "desktop notifications unavailable" "$log")
[ "$n" = 1 ] || t_fail "carol's log says notifications are unavailable $n times"
grep -qF "desktop notifications unavailable: cannot reach the D-Bus session bus" "$log" ||
  t_fail "carol's log does not say why: $(grep -F "desktop notifications" "$log")"
[ "$(d_count "$tag-c")" = 0 ] || t_fail "carol reached dunst: $(d_history "$tag-c")"
t_pass "without a session bus confab sends and receives and says once that notifications are unavailable"
