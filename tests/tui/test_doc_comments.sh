#!/usr/bin/env bash
# Comments: alice comments on a word of the shared document, bob sees it
# underlined with a mark in the margin, goes to it with Alt-c (its author
# and text on the pane's bottom row), opens its thread with Enter and
# replies by typing; alice sees the reply and resolves the comment, which
# bob's thread says and his pane no longer underlines; reopened, it is
# underlined again, and when alice deletes its text bob's pane says "text
# removed"; a comment on a selection covers all of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

MARK=$'\xe2\x96\x8e'

# d_wait_underlined NAME TEXT: until TEXT is drawn underlined (SGR 4).
d_wait_underlined() {
  local deadline=$((SECONDS + 10))
  while ! $T_TMUX capture-pane -e -p -t "$1" |
      grep -qE $'\e\\[([0-9;]*;)?4(;[0-9;]*)?m(\e\\[[0-9;]*m)*'"$2"; do
    [ $SECONDS -ge $deadline ] && { $T_TMUX capture-pane -e -p -t "$1" |
      grep -F "$2" | cat -v >&2; t_fail "$1 never drew \"$2\" underlined"; }
    sleep 0.1
  done
}

# d_not_underlined NAME TEXT: TEXT is on the screen, not underlined.
d_not_underlined() {
  t_wait "$1" "$2"
  if $T_TMUX capture-pane -e -p -t "$1" |
      grep -qE $'\e\\[([0-9;]*;)?4(;[0-9;]*)?m(\e\\[[0-9;]*m)*'"$2"; then
    t_fail "$1 still draws \"$2\" underlined"
  fi
}

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes

t_type A "the quick brown fox"
d_converge notes A B
t_key A Home
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do t_key A Right; done  # on "brown"
t_key A F4   # beside the chat: the input line takes the command
t_key A F3
t_say A "/comment is it brown?"
t_wait A "alice: is it brown?"   # the comment at alice's cursor
t_key A F3
t_key A End   # alice's cursor off the word, not to split it on bob's screen
t_wait_gone A "alice: is it brown?"
d_wait_underlined B "brown"
t_screen B | grep -qF "$MARK" || t_fail "bob's pane has no mark on the commented row"
t_pass "a comment on the word at alice's cursor is underlined and marked on bob's pane"

t_key B M-c
t_wait B "alice: is it brown?"
t_wait B "Enter: thread"
t_key B Enter
t_wait B 'comment on "brown"'
t_say B "yes, brown"
t_wait B "bob: yes, brown"
t_pass "bob goes to it with Alt-c, opens its thread with Enter and replies by typing"

t_key A M-c
t_wait A "1 reply"
t_key A Enter
t_wait A "bob: yes, brown"
t_say A "/resolve"
t_wait B "resolved by alice"
t_key B Escape
t_wait_gone B "resolved by alice"
d_not_underlined B "rown"   # (alice's cursor is on its b)
t_pass "alice sees the reply and resolves; bob's thread says so and the underline goes"

t_say A "/reopen"
d_wait_underlined B "rown"
t_key A Escape   # the thread closes, the keys go back to the document
t_wait_gone A 'comment on "brown"'
for _ in 1 2 3 4 5 6; do t_key A DC; done   # deletes "brown "
d_wait_text notes "the quick fox"
t_wait B "×the quick fox"   # its row marked in the margin, nothing underlined
t_key B M-c
t_wait B "alice: is it brown? · text removed"
t_pass "reopened, it is underlined again; deleting its text leaves it \"text removed\""

# a selection: the comment covers it, not just a word
t_key A Home
for _ in 1 2 3 4 5 6 7 8 9; do t_key A S-Right; done   # "the quick"
t_key A F3
t_say A "/comment two words"
t_key A F3
t_key A End   # the selection goes, alice's cursor off the text
d_wait_underlined B "the quick"
t_pass "a comment on alice's selection covers all of it on bob's pane"
