#!/usr/bin/env bash
# Scrollback: PgUp walks back through the room, and reaching the top asks
# the server for older pages until the first message is on screen.
. "$(dirname "$0")/lib.sh"

t_server_start
# alice holds at most 100 lines of a room: the rest come back as history
mkdir -p "$T_DIR/home-alice/config/confab"
echo "scrollback_lines = 100" >"$T_DIR/home-alice/config/confab/config"
t_client A alice --room lobby
t_wait A "connected"
for i in $(seq -w 1 120); do
  t_type A "number $i"
  t_key A Enter
done
t_wait A "number 120" 20
# 120 lines typed at once pass the server's rate limit (20/s, burst 40):
# the client waits and resends, and the order typed is the order stored
t_wait_gone A "pending" 30
stored=$(sqlite3 "$T_DIR/confab.db" "select text from messages order by seq" | tr '\n' ' ')
typed=$(for i in $(seq -w 1 120); do printf 'number %s ' "$i"; done)
[ "$stored" = "$typed" ] || t_fail "stored order differs from typed order: $stored"
t_pass "messages over the rate limit are delivered late, but in order"
# 120 lines came and only 100 stay: the first ones are paged back
t_screen A | grep -qF "number 001" && t_fail "number 001 is still on screen"
for _ in $(seq 40); do
  t_key A PPage
  t_screen A | grep -qF "number 001" && break
  sleep 0.1
done
t_wait A "number 001" 10
t_pass "lines past scrollback_lines are paged back from the server"
t_key A C-c
t_wait A "confab-exited-0"
$T_TMUX kill-session -t A

# a fresh client gets only the latest page, then scrolls for the rest
t_client A2 alice --room lobby
t_wait A2 "number 120"
t_screen A2 | grep -qF "number 001" && t_fail "the whole history came at once"
for _ in $(seq 40); do
  t_key A2 PPage
  t_screen A2 | grep -qF "number 001" && break
  sleep 0.1
done
t_wait A2 "number 001" 10
t_pass "PgUp reaches the first message through HISTORY pages"
t_key A2 End
for _ in $(seq 40); do t_key A2 NPage; done
t_wait A2 "number 120"
t_pass "PgDn comes back to the newest message"
t_key A2 C-c
t_wait A2 "confab-exited-0"
$T_TMUX kill-session -t A2

# PgUp pressed faster than pages come: the presses wait for the pages
t_client A3 alice --room lobby
t_wait A3 "number 120"
t_screen A3 | grep -qF "number 001" && t_fail "the whole history came at once"
$T_TMUX send-keys -t A3 PPage PPage PPage PPage PPage PPage PPage PPage
t_wait A3 "number 001" 10
t_pass "PgUp pressed past the lines held goes on as older pages arrive"
