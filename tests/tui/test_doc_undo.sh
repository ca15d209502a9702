#!/usr/bin/env bash
# Ctrl-Z undoes my own edits only, also after someone else has edited
# elsewhere in the document; Alt-Z redoes them. Everyone sees the result.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes

t_type A "title"
t_key A Enter
d_converge notes A B
t_type A "alice wrote this"
d_converge notes A B
# B's cursor was pushed along to the end; B adds a line of its own there.
t_key B Enter
t_type B "bob's line"
d_converge notes A B
[ "$(d_text notes)" = "title
alice wrote this
bob's line" ] || t_fail "before undo: $(d_text notes)"

t_key A C-z
d_converge notes A B
[ "$(d_text notes)" = "title

bob's line" ] || t_fail "after undo: $(d_text notes)"
t_pass "Ctrl-Z takes back alice's last edit and leaves bob's line"

t_key A C-z
d_converge notes A B
[ "$(d_text notes)" = "title
bob's line" ] || t_fail "after the second undo: $(d_text notes)"
t_key A M-z
t_key A M-z
d_converge notes A B
[ "$(d_text notes)" = "title
alice wrote this
bob's line" ] || t_fail "after redo: $(d_text notes)"
t_pass "undo goes back step by step and Alt-Z redoes, around bob's edit"

t_key B C-z
d_converge notes A B
[ "$(d_text notes)" = "title
alice wrote this" ] || t_fail "after bob's undo: $(d_text notes)"
t_pass "bob's Ctrl-Z undoes bob's edits, not alice's"
