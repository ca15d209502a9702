#!/usr/bin/env bash
# The notification centre: F5 lists alice's notifications newest first with
# the unread ones marked; r marks one read and the count on the status line
# drops (in the server too); Enter on a mention far back in the room opens
# the room, loads its history until the message is there and shows it
# marked; a marks every one read.
. "$(dirname "$0")/lib.sh"

T_SERVER_ARGS="--rate 500 --burst 500"
t_server_start
t_client A alice --room lobby
t_wait A "online 1"
t_client B bob --room lobby
t_wait B "connected"
t_wait A "1 unread"            # bob joined alice's room

t_say B "@alice please review the plan"
t_wait A "2 unread"
for i in $(seq -w 1 260); do
  t_type B "filler $i"
  t_key B Enter
done
t_wait B "filler 260" 30
t_wait_gone B "pending" 30

# A fresh alice holds only the latest page of lobby: the mention is older.
t_key A C-c
t_wait A "confab-exited-0"
$T_TMUX kill-session -t A
t_client A alice --room lobby
t_wait A "filler 260"
t_wait A "2 unread"
t_screen A | grep -qF "please review" && t_fail "the mention was on screen already"

t_key A F5
t_wait A "notifications · 2 unread"
t_wait A "bob in lobby"
t_wait A "@alice please review the plan"
t_wait A "Enter open"
[ "$(t_count A "●")" = 2 ] || t_fail "two entries should be marked unread"
first=$(t_screen A | grep -n "please review" | cut -d: -f1)
second=$(t_screen A | grep -n "joined" | cut -d: -f1)
[ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] ||
  t_fail "the newest notification (the mention) should come first"
t_pass "F5 lists the notifications newest first, the unread ones marked"

t_key A Down
t_type A r
t_wait A "notifications · 1 unread"
t_wait A "· 1 unread"
[ "$(t_count A "●")" = 1 ] || t_fail "one entry should be left unread"
read_join=""
for _ in $(seq 100); do
  read_join=$(sqlite3 "$T_DIR/confab.db" \
    "select read from notifications where user='alice' and kind='join'")
  [ "$read_join" = 1 ] && break
  sleep 0.1
done
[ "$read_join" = 1 ] || t_fail "the server did not store the mark"
t_pass "r marks the selected notification read: the count drops, the server keeps it"

t_key A Up
t_key A Enter
t_wait_gone A "Enter open"
t_wait A "please review the plan"
t_wait A "[lobby]"
t_wait_gone A "unread"
t_screen A | grep -qF "filler 260" && t_fail "the pane should have scrolled back to the mention"
$T_TMUX capture-pane -e -p -t A | grep "please review" | grep -qF $'\e[7m' ||
  t_fail "the message is not drawn marked"
t_pass "Enter loads the history back to the mention and shows it marked; it is read"

t_key A Escape
deadline=$((SECONDS + 10))
while $T_TMUX capture-pane -e -p -t A | grep -F $'\e[7m' | grep -q "review"; do
  [ $SECONDS -ge $deadline ] && t_fail "Esc should have cleared the mark"
  sleep 0.1
done
t_screen A | grep -qF "please review" || t_fail "Esc should not move the pane"
deadline=$((SECONDS + 10))
until t_screen A | grep -qF "filler 260"; do
  [ $SECONDS -ge $deadline ] && t_fail "PgDn never came back to the newest message"
  t_key A NPage
  sleep 0.1
done

t_say B "@alice one"
t_say B "@alice two"
t_wait A "2 unread"
t_say A "/notifications"
t_wait A "notifications · 2 unread"
t_type A a
t_wait A "Enter open"
t_wait_gone A "unread"
[ "$(t_count A "●")" = 0 ] || t_fail "every entry should be read"
left=""
for _ in $(seq 100); do
  left=$(sqlite3 "$T_DIR/confab.db" \
    "select count(*) from notifications where user='alice' and read=0")
  [ "$left" = 0 ] && break
  sleep 0.1
done
[ "$left" = 0 ] || t_fail "the server still counts $left unread"
t_key A Escape
t_wait_gone A "Enter open"
t_pass "a marks every notification read; Esc closes the centre"

# Under the sanitizers a leak or an error makes the exit status non-zero.
t_key A C-c
t_wait A "confab-exited-0"
t_pass "confab quits cleanly after using the centre"
