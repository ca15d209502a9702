#!/usr/bin/env bash
# A message typed while the server is down survives quitting the client:
# the next start sends it, and it arrives exactly once.
. "$(dirname "$0")/lib.sh"

t_server_start
port=$T_PORT
t_client A alice --room lobby
t_wait A "connected"
t_server_stop
t_wait A "retry in" 15
t_say A "kept across a restart"
t_wait A "1 pending"
$T_TMUX send-keys -t A C-c
t_wait A "confab-exited-0"
$T_TMUX kill-session -t A
t_pass "quit with one message pending"

t_server_start "$port"
t_client B bob --room lobby
t_wait B "connected"
t_client A alice --room lobby
t_wait A "connected"
t_wait B "kept across a restart" 15
t_wait_gone A "pending" 15
[ "$(t_count B "kept across a restart")" = 1 ] || t_fail "shown twice"
n=$(sqlite3 "$T_DIR/confab.db" "select count(*) from messages where text = 'kept across a restart'")
[ "$n" = 1 ] || t_fail "stored $n times"
t_pass "the next start delivered it once"
