#!/usr/bin/env bash
# Edits made while the server is down stay in the pane, the status line
# says they are kept, and after the server is back and the clients
# reconnect they merge with the others' offline edits: everyone sees
# every edit, once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

t_server_start
port=$T_PORT
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes
t_type A "first line from alice"
t_key A Enter
t_type A "second line"
d_converge notes A B
# B's cursor goes to the start of the first line.
t_key B Up
t_key B Home

t_server_stop
t_wait A "retry in" 15
t_type A " edited offline by alice"
t_wait A "offline, edits kept" 15
t_wait A "second line edited offline by alice"
t_type B "BOB OFFLINE: "
t_wait B "BOB OFFLINE: first line from alice"
t_pass "while the server is down the edits show in the pane, marked offline, edits kept"

t_server_start "$port"
t_key A F3
t_say A "/reconnect"
t_key B F3
t_say B "/reconnect"
t_wait A "connected" 40
t_wait B "connected" 40
d_converge notes A B
text=$(d_text notes)
[ "$(d_count "$text" "edited offline by alice")" = 1 ] ||
  t_fail "alice's offline edit is there $(d_count "$text" "edited offline by alice") times: $text"
[ "$(d_count "$text" "BOB OFFLINE: ")" = 1 ] ||
  t_fail "bob's offline edit is not there once: $text"
[ "$text" = "BOB OFFLINE: first line from alice
second line edited offline by alice" ] || t_fail "merged text: $text"
t_screen A | grep -qF "could not be merged" && t_fail "A says edits were lost"
t_pass "after the reconnect both offline edits merge, once each, on every screen"

# A second outage with a pause long enough for a retry in between.
t_server_stop
t_key A F3
t_key A End
t_type A " (again)"
sleep 1
t_server_start "$port"
t_key A F3
t_say A "/reconnect"
d_converge notes A B
[ "$(d_count "$(d_text notes)" " (again)")" = 1 ] || t_fail "the second offline edit is not there once"
t_pass "a second outage merges as well"
