#!/usr/bin/env bash
# /doc history lists the revisions with their authors and times; /doc rev N
# shows the text as it was, read-only, under a banner; typing there changes
# nothing; Esc (or /doc live) returns to the live text.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

# wait_rev NAME R: until NAME's status line says revision R, synced.
wait_rev() {
  t_wait "$1" "doc notes rev $2 synced"
}

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"
d_open A notes
d_open B notes

t_type A "one"
wait_rev A 1
wait_rev B 1
t_key B End
t_type B " two"
wait_rev A 2
t_key A End
t_type A " three"
wait_rev A 3
wait_rev B 3

t_key A F4   # beside the chat: notices show there
t_key A F3
t_say A "/doc history"
t_wait A "history of notes"
for line in "rev 1 *alice" "rev 2 *bob" "rev 3 *alice"; do
  t_screen A | grep -qE "$line +[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}" ||
    t_fail "the history has no line like \"$line  MM-DD HH:MM:SS\""
done
t_pass "/doc history lists each revision with its author and time"

t_say A "/doc rev 2"
t_wait A "read-only, revision 2"
t_wait A "doc notes rev 2 read-only"
t_wait A "one two"
t_screen A | grep -qF "one two three" && t_fail "revision 2 shows the live text"
t_type A "zzz"
t_key A BSpace
t_key A Enter
t_wait A "is read-only"
sleep 0.3
[ "$(d_text notes)" = "one two three" ] || t_fail "typing in the old revision changed the document: $(d_text notes)"
t_screen A | grep -qF "zzz" && t_fail "the read-only text took the typing"
t_pass "/doc rev 2 shows the old text under a read-only banner, and typing changes nothing"

t_key A Escape
t_wait_gone A "read-only, revision 2"
t_wait A "one two three"
t_wait A "doc notes rev 3 synced"
t_pass "Esc returns to the live text"

# Esc gave the keys back to the input line, where /doc rev was typed.
t_say A "/doc rev 1"
t_wait A "read-only, revision 1"
t_wait_gone A "one two"
t_key A Escape
t_wait_gone A "read-only, revision 1"
t_say A "typed after esc"
t_wait A "alice typed after esc"
[ "$(d_text notes)" = "one two three" ] || t_fail "the line went into the document: $(d_text notes)"
t_pass "Esc from an old revision gives the keys back to the input line"

t_say A "/doc rev 1"
t_wait A "read-only, revision 1"
t_key A F3   # the old revision took the keys (to scroll it): back to the input
t_say A "/doc live"
t_wait_gone A "read-only, revision 1"
t_wait A "one two three"
t_say A "/doc rev 99"
t_wait A "/doc rev 99:"
t_wait_gone A "read-only, revision 99"
t_say A "typed after a failed rev"
t_wait A "alice typed after a failed rev"
[ "$(d_text notes)" = "one two three" ] || t_fail "the line went into the document: $(d_text notes)"
t_pass "/doc live returns too; a revision that does not exist is refused and the keys stay on the input line"
