#!/usr/bin/env bash
# Named versions: /doc tag names the revision held, /doc history shows the
# name beside it, /doc diff marks what changed between two versions, and
# /doc restore NAME brings its text back as a new edit that the other
# client sees and that Ctrl-Z undoes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

# d_rev DOC: the head revision on the server.
d_rev() {
  "$DOCTOOL" "$T_PORT" lobby "$1" rev || t_fail "doctool could not read $1"
}

# d_wait_sgr NAME TEXT SGR: until a line holding TEXT is drawn with the
# SGR parameter (32 green, 31 red: the default theme's online and failed).
d_wait_sgr() {
  local deadline=$((SECONDS + 10))
  while ! $T_TMUX capture-pane -e -p -t "$1" | grep -F -- "$2" |
      grep -qE $'\e\\[([0-9;]*;)?'"$3"'[;m]'; do
    [ $SECONDS -ge $deadline ] && t_fail "$1 never drew \"$2\" with SGR $3"
    sleep 0.1
  done
}

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes

t_type A "first draft"
t_key A Enter
t_type A "kept line"
d_converge notes A B
rev=$(d_rev notes)
t_key A F4   # beside the chat: notices show there
t_key A F3
t_say A "/doc tag draft"
t_wait A "revision $rev of notes is now named draft"
t_say A "/doc tag 12"
t_wait A "/doc tag 12: bad version name"
t_pass "/doc tag names the revision held, and a bad name is refused"

# bob rewrites the first line
t_key B Up
t_key B Home
t_key B C-k
t_type B "second version"
d_wait_text notes "second version
kept line"
d_converge notes B

t_say A "/doc history"
t_wait A "versions: draft=$rev"
t_screen A | grep -qE "rev.* $rev .*\[draft\]|-$rev .*\[draft" ||
  t_fail "no history line shows draft beside revision $rev"
t_pass "/doc history shows the name beside its revision"

t_say A "/doc diff draft $(d_rev notes)"
t_wait A "diff draft (revision $rev)"
t_wait A "- first draft"
t_wait A "+ second version"
t_wait A "  kept line"
d_wait_sgr A "- first draft" 31
d_wait_sgr A "+ second version" 32
t_key A Escape
t_wait_gone A "diff draft"
t_pass "/doc diff shows the deleted and inserted lines marked, Esc leaves"

t_say A "/doc restore draft"
t_wait A "restored notes to draft (revision $rev)"
d_wait_text notes "first draft
kept line"
d_converge notes B
t_wait B "first draft"
t_pass "/doc restore draft brings the old text back, and bob sees it"

t_key A F3   # the keys to the document: Ctrl-Z undoes the restore
t_key A C-z
d_wait_text notes "second version
kept line"
d_converge notes B
t_pass "Ctrl-Z undoes the restore for everyone"

t_key A F3   # the keys back to the input line
t_say A "/doc restore nosuch"
t_wait A "has no version named nosuch"
[ "$(d_text notes)" = "second version
kept line" ] || t_fail "a refused restore changed the text: $(d_text notes)"
t_pass "an unknown name is refused"
