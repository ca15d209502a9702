#!/usr/bin/env bash
# Editing in the document pane: a selection with Shift and the arrows (the
# other client sees it), cut and yank, typing over a selection, copy with
# Alt-W onto the terminal's clipboard (OSC 52, caught by tmux), the kill
# ring (Ctrl-K, Ctrl-Y, Alt-Y), a mouse drag, find (Ctrl-F, n, N), go to
# line (Ctrl-G, /doc goto), line numbers, and /doc save and /doc load with
# the other client's concurrent edit kept.
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
t_type A "alpha beta gamma"
t_key A Enter
t_type A "second line"
d_converge notes A B

# ---- selection, cut, yank, typing over it ---------------------------------
t_key A S-Home
t_wait_selected A "second line"
t_wait_selected B "econd line"   # the head glyph "s" is drawn apart (bold)
t_pass "Shift-Home selects the line's start; the other client sees the selection"

t_key A C-w
d_wait_text notes "alpha beta gamma"
t_key A Up
t_key A Home
t_key A C-y
d_wait_text notes "second linealpha beta gamma"
t_pass "Ctrl-W cuts the selection, Ctrl-Y yanks it elsewhere"

t_key A C-S-Right
t_wait_selected A "alpha"
t_type A "ALPHA"
d_wait_text notes "second lineALPHA beta gamma"
for i in 1 2 3 4 5; do t_key A S-Left; done
t_key A BSpace
d_wait_text notes "second line beta gamma"
t_pass "typing replaces a selection (Ctrl-Shift-Right), Backspace deletes one (Shift-Left)"

# ---- copy onto the terminal's clipboard -------------------------------------
$T_TMUX set -s set-clipboard on
$T_TMUX set-buffer "nothing yet"
t_key A Right
t_key A C-S-Right
t_wait_selected A "beta"
t_key A M-w
t_wait A "copied 4 characters to the clipboard"
deadline=$((SECONDS + 5))
until [ "$($T_TMUX show-buffer 2>/dev/null)" = "beta" ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the clipboard has \"$($T_TMUX show-buffer 2>/dev/null)\""
  sleep 0.1
done
[ "$(d_text notes)" = "second line beta gamma" ] || t_fail "a copy changed the text: $(d_text notes)"
t_pass "Alt-W copies the selection to the terminal's clipboard through OSC 52"

# ---- the kill ring ------------------------------------------------------------
t_key A Home
t_key A C-k
d_wait_text notes ""
t_key A C-y
d_wait_text notes "second line beta gamma"
t_key A M-Y
d_wait_text notes "beta"
t_key A M-Y
d_wait_text notes "second line"
t_key A M-Y
d_wait_text notes "second line beta gamma"
t_pass "Ctrl-K kills to the line's end; Ctrl-Y then Alt-Y cycle through older kills"

# ---- the mouse ----------------------------------------------------------------
# The text starts at column 2 and row 2 of the screen (1-based): a press
# on "line" (columns 9-12), a drag to its end, a release (SGR reports).
# Each report waits for the one before to be taken: a real mouse's press
# never comes in the same read as its first motion.
cursor_at() {
  local deadline=$((SECONDS + 10))
  until [ "$($T_TMUX display -p -t A '#{cursor_x},#{cursor_y}')" = "$1" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "A's cursor is at $($T_TMUX display -p -t A '#{cursor_x},#{cursor_y}'), not $1"
    sleep 0.1
  done
}
$T_TMUX send-keys -t A -l $'\e[<0;9;2M'
cursor_at 8,1
$T_TMUX send-keys -t A -l $'\e[<32;13;2M'
cursor_at 12,1
$T_TMUX send-keys -t A -l $'\e[<0;13;2m'
t_wait_selected A "line"
t_key A M-w
t_wait A "copied 4 characters to the clipboard"
deadline=$((SECONDS + 5))
until [ "$($T_TMUX show-buffer 2>/dev/null)" = "line" ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the drag copied \"$($T_TMUX show-buffer 2>/dev/null)\""
  sleep 0.1
done
t_pass "a mouse press, drag and release select the text dragged over"

# ---- find ---------------------------------------------------------------------
t_key A Down
for i in $(seq 1 12); do
  t_type A "row $i apple"
  t_key A Enter
done
t_type A "no fruit here"
d_wait_text notes "$(printf 'second line beta gamma\n'; for i in $(seq 1 12); do echo "row $i apple"; done; printf 'no fruit here')"
t_key A C-f
t_type A "APPLE"
t_wait A "find (Enter goes to it, Esc cancels): APPLE"
t_key A C-u
t_type A "apple"
t_wait A "find (Enter goes to it, Esc cancels): apple"
# Highlighted while typed: the theme's search look (black on yellow).
deadline=$((SECONDS + 5))
until $T_TMUX capture-pane -e -p -t A | grep -F "row 5 " | grep -qE $'\e\\[[0-9;]*43m'; do
  [ $SECONDS -ge $deadline ] && t_fail "the matches are not highlighted as typed"
  sleep 0.1
done
t_key A Enter
t_wait A "match 1 of 12, from the top"
t_key A n
t_wait A "match 2 of 12"
t_key A N
t_key A N
t_wait A "match 12 of 12, from the end"
t_type A "x"
d_wait_text notes "$(printf 'second line beta gamma\n'; for i in $(seq 1 11); do echo "row $i apple"; done; printf 'row 12 xapple\nno fruit here')"
t_pass "Ctrl-F finds as typed, Enter goes, n and N step round the end, another key types"

t_key A C-f
t_type A "Apple"
t_key A Enter
t_wait A "no match for \"Apple\""
t_key A Escape
t_wait_gone A "no match"
t_pass "a capital in the query makes find match the case exactly"

# ---- go to line, line numbers ---------------------------------------------
t_key A C-g
t_type A "5"
t_wait A "go to line (Enter, Esc cancels): 5"
t_key A Enter
t_type A "Z"
d_wait_text notes "$(printf 'second line beta gamma\n'; for i in 1 2 3; do echo "row $i apple"; done; echo "Zrow 4 apple"; for i in $(seq 5 11); do echo "row $i apple"; done; printf 'row 12 xapple\nno fruit here')"
t_key A F3
t_say A "/doc goto 7"
t_type A "Y"
d_wait_text notes "$(printf 'second line beta gamma\n'; for i in 1 2 3; do echo "row $i apple"; done; echo "Zrow 4 apple"; echo "row 5 apple"; echo "Yrow 6 apple"; for i in $(seq 7 11); do echo "row $i apple"; done; printf 'row 12 xapple\nno fruit here')"
t_pass "Ctrl-G and /doc goto N put the cursor at line N's start"

t_key A F3
t_say A "/doc numbers on"
t_wait A " 1 second line beta gamma"
t_wait A "14 no fruit here"
t_wait A " 7 Yrow 6 apple"
t_say A "/doc numbers off"
t_wait_gone A "14 no fruit here"
t_wait A " no fruit here"
t_pass "/doc numbers on draws the lines' numbers in a margin, off removes them"

# ---- save and load ------------------------------------------------------------
t_say A "/doc save ~/saved.txt"
t_wait A "saved notes to ~/saved.txt"
saved="$T_DIR/home-alice/saved.txt"
[ "$(cat "$saved")" = "$(d_text notes)" ] || t_fail "the saved file: $(cat "$saved")"
t_say A "/doc save /nonexistent-dir/x.txt"
t_wait A "/doc save: cannot write /nonexistent-dir/x.txt: No such file or directory"
t_pass "/doc save writes the live text to a file; a bad path is said plainly"

# The file changes its last line; bob, at the same time, edits the first
# (both offline, so that neither has seen the other's edit).
sed 's/^no fruit here$/the file changed this/' "$saved" >"$T_DIR/home-alice/changed.txt"
printf '\xff\xfe bad\n' >"$T_DIR/home-alice/bad.txt"
t_say A "/doc load ~/bad.txt"
t_wait A "/doc load: ~/bad.txt not loaded: it is not valid UTF-8 text"
t_server_stop
t_wait A "retry in" 15
t_wait B "retry in" 15
t_key B PPage
t_key B Home
t_type B "BOB: "
t_wait B "BOB: second line"
t_say A "/doc load ~/changed.txt"
t_wait A "loaded ~/changed.txt into notes as one edit"
t_server_start "$port"
t_key B F3
t_say B "/reconnect"
t_say A "/reconnect"
t_wait A "connected" 40
t_wait B "connected" 40
d_converge notes A B
text=$(d_text notes)
[ "$(d_count "$text" "BOB: second line")" = 1 ] || t_fail "bob's edit is lost: $text"
[ "$(d_count "$text" "the file changed this")" = 1 ] || t_fail "the load is lost: $text"
[ "$(d_count "$text" "no fruit here")" = 0 ] || t_fail "the old line stays: $text"
t_pass "/doc load is one edit: it merges with bob's concurrent one, both panes converge"
