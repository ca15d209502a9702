#!/usr/bin/env bash
# Two clients on a real confabd: a message typed in A appears in B, and B
# sees A typing, then not.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

t_say A "hello from alice"
t_wait B "hello from alice"
t_wait A "hello from alice"
t_pass "a message typed in A appears in B"

t_type A "I am typing something"
t_wait B "alice is typing"
t_pass "B shows alice typing"
# clearing the line withdraws it at once (Ctrl-U kills to the start)
t_key A C-u
t_wait_gone B "alice is typing" 5
t_pass "the typing line clears when A's input is cleared"

# typing stops on send too, and the message is there once
t_type A "second line"
t_wait B "alice is typing"
t_key A Enter
t_wait B "second line"
t_wait_gone B "alice is typing" 5
[ "$(t_count B "second line")" = 1 ] || t_fail "the message shows more than once"
t_pass "sending ends typing; the line shows once"
