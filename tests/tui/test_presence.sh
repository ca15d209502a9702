#!/usr/bin/env bash
# The presence list follows /away and /back of another user.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room lobby
t_wait A "connected"
t_client B bob --room lobby
t_wait B "connected"
t_wait B "alice"

t_say A "/away lunch"
t_wait B "lunch"
t_screen B | grep -A3 -i "away" | grep -q "alice" || t_fail "alice is not listed under away"
t_pass "B lists alice away with her reason after /away"

t_say A "/back"
t_wait_gone B "lunch"
t_pass "the away reason goes with /back"

$T_TMUX send-keys -t A C-c
t_wait B "offline"
t_screen B | grep -A3 -i "offline" | grep -q "alice" || t_fail "alice is not listed offline"
t_pass "alice is listed offline after quitting"
