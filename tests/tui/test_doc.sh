#!/usr/bin/env bash
# Two people edit one shared document at the same time: both panes end up
# with the server's text, each sees where the other's cursor is, named,
# and the status line says which document, which revision and that it is
# synced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

d_open A notes
d_open B notes
t_wait A "doc notes rev 0 synced"
t_pass "/doc opens the document; the status line says doc notes rev 0 synced"

t_type A "Alice starts the first line."
t_key A Enter
d_converge notes A B
# Both type at once, A at the end, B at the start.
t_key B Up
t_key B Home
for i in 1 2 3 4 5 6; do
  t_type A "a$i "
  t_type B "b$i "
done
t_key A Enter
t_type A "Alice ends."
t_key B Enter
d_converge notes A B
text=$(d_text notes)
for i in 1 2 3 4 5 6; do
  [ "$(d_count "$text" "a$i ")" = 1 ] || t_fail "a$i is not there once: $text"
  [ "$(d_count "$text" "b$i ")" = 1 ] || t_fail "b$i is not there once: $text"
done
t_pass "typing at once in two panes converges on one text, in both panes"

# A moves (a cursor jump is sent): B shows alice's name beside that row.
t_key A Up
t_key A Up
t_key A End
# label_row NAME USER: the text of the row NAME shows USER's label on.
label_row() {
  local row
  row=$(t_screen "$1" | sed -n "2,$((T_ROWS - 3))p" | cut -c$((T_COLS - 7))- |
    grep -n "$2" | head -1 | cut -d: -f1)
  [ -n "$row" ] && d_pane "$1" | sed -n "${row}p"
}
deadline=$((SECONDS + 10))
until [ "$(label_row B alice)" = "Alice starts the first line." ]; do
  [ $SECONDS -ge $deadline ] &&
    t_fail "alice's label is on the row \"$(label_row B alice)\""
  sleep 0.1
done
t_pass "B sees alice's cursor, labelled with her name, on the row she is on"

# Wide characters and soft wrap: a line longer than the pane wraps, and
# the document still converges.
wide="日本語のテキストと混ぜた長い行がここで折り返されても壊れないことを確かめる。"
t_type A " $wide more words to make this line wrap around at least once in the pane."
deadline=$((SECONDS + 10))
until [ "$(d_count "$(d_text notes)" "$wide more words")" = 1 ] &&
    t_screen A | grep -qF "synced"; do
  [ $SECONDS -ge $deadline ] && t_fail "the wide text never reached the server"
  sleep 0.2
done
t_wait B "日本語のテキスト"
t_wait B "in the pane."
[ "$(t_screen B | grep -c "Alice starts the first line")" = 1 ] ||
  t_fail "the wrapped line is not on B's screen once"
t_pass "wide characters survive the soft wrap on both screens"

t_key A F4
t_wait A "F3 chat · F4 full"
t_key A F3
t_wait A "F3 edit"
t_say A "the chat still works"
t_wait A "the chat still works"
[ "$(d_count "$(d_text notes)" "the chat still works")" = 0 ] ||
  t_fail "the chat line went into the document"
t_pass "F4 puts the document beside the chat, F3 gives the keys back to the input line"
