#!/usr/bin/env bash
# Document edits the server has not acknowledged survive quitting confab:
# kept in the state directory, they are merged after the next start, once,
# also when the server had already received (and applied) the last one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

# restart_a: quits alice's confab and starts it again (same HOME).
restart_a() {
  t_key A F3 2>/dev/null
  t_key A C-c
  t_wait A "confab-exited-0"
  $T_TMUX kill-session -t A
  t_client A alice --room lobby
}

t_server_start
port=$T_PORT
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes
t_type A "shared start"
d_converge notes A B

# 1. Typed while the server is down, then confab quits.
t_server_stop
t_wait A "retry in" 15
t_type A " + typed offline"
t_wait A "offline, edits kept"
restart_a
[ -s "$T_DIR/home-alice/state/confab/doc-alice,lobby,notes.json" ] ||
  t_fail "the unsent edits were not kept in the state directory"
t_server_start "$port"
t_wait A "connected" 40
t_wait A "kept since the last run" 15
t_key A F2
t_key A F4
t_key B F3
t_say B "/reconnect"
d_converge notes A B
[ "$(d_text notes)" = "shared start + typed offline" ] ||
  t_fail "after the restart: $(d_text notes)"
[ -e "$T_DIR/home-alice/state/confab/doc-alice,lobby,notes.json" ] &&
  t_fail "the kept edits stay on disk after they were acknowledged"
t_pass "edits typed offline come back after confab restarts, and reach everyone"

# 2. The edit reaches a frozen server, which applies it only after confab
#    has quit without its acknowledgement: after the restart it is
#    recognised (same cid) and not applied twice.
t_key A F3
t_key A End
kill -STOP "$T_SERVER_PID"
t_type A " + in flight"
sleep 0.5
t_wait A "1 edit pending"
restart_a
kill -CONT "$T_SERVER_PID"
t_wait A "connected" 40
t_wait A "kept since the last run" 15
t_key A F2
t_key A F4
d_converge notes A B
[ "$(d_count "$(d_text notes)" " + in flight")" = 1 ] ||
  t_fail "the edit in flight is there $(d_count "$(d_text notes)" " + in flight") times: $(d_text notes)"
t_pass "an edit the server got before the restart is applied once"
