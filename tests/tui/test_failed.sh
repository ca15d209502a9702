#!/usr/bin/env bash
# A message the server refuses is marked failed with its reason; /discard
# drops it, /retry sends it again (here refused again), and it is never
# resent behind the user's back.
. "$(dirname "$0")/lib.sh"

T_SERVER_ARGS="--max-text 12"
t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

t_say A "short one"
t_wait B "short one"
t_say A "this one is far too long"
t_wait A "failed: text is over 12 characters"
t_wait_gone A "pending"
t_pass "a refused message shows failed with the server's reason"

t_say A "/retry"
t_wait A "failed: text is over 12"
[ "$(t_count A "this one is far too long")" = 1 ] || t_fail "retry duplicated the line"
t_say A "/discard"
t_wait_gone A "this one is far too long"
t_say A "/discard"
t_wait A "no failed message in lobby"
t_pass "/retry sends it again, /discard drops it"
t_screen B | grep -qF "far too long" && t_fail "B saw the refused message"
t_pass "nobody else ever saw it"
