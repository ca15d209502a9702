#!/usr/bin/env bash
# Suggesting: with Alt-s alice's edits become suggestions instead of
# changes; bob sees her inserted text underlined in her colour and the
# text she would delete struck through, while the server's text stays as
# it was; bob accepts one with Alt-y and rejects the other with Alt-n, and
# both panes end on the same text as the server.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

# d_wait_drawn NAME TEXT SGR: until a line holding TEXT (with no colour
# change inside it) is drawn with the SGR parameter somewhere on it (4:
# underlined).
d_wait_drawn() {
  local deadline=$((SECONDS + 10))
  while ! $T_TMUX capture-pane -e -p -t "$1" | grep -F -- "$2" |
      grep -qE $'\e\\[([0-9;]*;)?'"$3"'[;m]'; do
    [ $SECONDS -ge $deadline ] && t_fail "$1 never drew \"$2\" with SGR $3"
    sleep 0.1
  done
}

t_server_start
# alice joins lobby first, so she is its owner (who may protect below)
t_client A alice --room lobby
t_wait A "connected"
t_wait A "online 1"
t_client B bob --room lobby
t_wait B "connected"
d_open A notes
d_open B notes

t_type A "hello world"
d_converge notes A B

t_key A M-s
t_wait A "suggesting"
t_key A End
t_type A " again"
t_wait A "(draft)"
# a pause of a second sends it; bob sees it inline, the server has no change
t_wait B "hello world again"
d_wait_drawn B "hello world" 4
[ "$(d_text notes)" = "hello world" ] || t_fail "a suggestion changed the text"
t_pass "a suggestion typed in A shows in B inline, underlined, the text unchanged"

t_key A Home
t_key A Delete
t_key A Delete
t_key A Delete
t_key A Delete
t_key A Delete
t_wait_gone A "(draft)"
struck=$(printf 'h\xcc\xb6e\xcc\xb6l\xcc\xb6l\xcc\xb6o\xcc\xb6')
t_wait B "$struck world again"
[ "$(d_text notes)" = "hello world" ] || t_fail "a suggested delete changed the text"
t_pass "a suggested delete shows struck through in B"

# bob: the cursor on the insert (the end of the line), Alt-y accepts it
t_key B End
t_key B M-y
d_wait_text notes "hello world again"
t_wait A "accepted by bob"
# the delete is still open: Home puts bob on it, Alt-n rejects it
t_key B Home
t_key B M-n
t_wait B "rejected by bob"
t_wait_gone B "$struck"
d_converge notes A B
t_pass "B accepts one suggestion and rejects the other; both panes end on the server's text"

t_key A F3
t_say A "/doc suggestions"
t_wait A "notes has no open suggestions"
t_say A "/doc suggest off"
t_wait A "editing notes"
t_pass "/doc suggestions and /doc suggest off"

# alice (the room's owner) protects the document: bob's edits become
# suggestions by themselves, and alice accepts his by its number
t_say A "/doc protect on"
t_wait B "alice protected notes"
t_key B End
t_type B "!"
t_wait A "hello world again!"
[ "$(d_text notes)" = "hello world again" ] || t_fail "bob changed a protected document"
t_say A "/doc suggestions"
t_wait A "bob: +\"!\""
id=$(t_screen A | sed -n 's/.*#\([0-9][0-9]*\) bob: +"!".*/\1/p' | tail -1)
[ -n "$id" ] || t_fail "no number for bob's suggestion"
t_say A "/doc accept $id"
d_wait_text notes "hello world again!"
d_converge notes A B
t_pass "in a protected document B's edits are suggestions, which A accepts by number"
