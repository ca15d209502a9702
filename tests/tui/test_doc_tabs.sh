#!/usr/bin/env bash
# Several documents open at once: A opens two, each in a tab of the pane's
# title row; Ctrl-PgUp / Alt-PgDn switch between them and the keys edit the
# one shown; B opens both too and each converges in both panes. B's
# presence list says which document alice is in, and /doc list shows the
# room's documents with who is in each; Enter on one opens it.
. "$(dirname "$0")/lib.sh"
T_COLS=150 # the presence list is wide enough for "alice · editing notes"
. "$(dirname "$0")/doc_lib.sh"

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

d_open A notes
t_type A "in notes"
d_wait_text notes "in notes"
# The keys back to the input line, then a second document.
t_key A F3
t_wait A "F3 edit"
t_say A "/doc plan"
t_wait A "[plan]"
t_wait A " notes "
t_wait A "doc plan rev 0 synced"
t_type A "in plan"
d_wait_text plan "in plan"
[ "$(d_text notes)" = "in notes" ] || t_fail "notes changed: $(d_text notes)"
t_pass "/doc NAME opens a second document in a tab of its own; the keys edit it"

t_key A C-PPage
t_wait A "[notes]"
t_wait A " plan "
t_type A " more"
d_wait_text notes "in notes more"
[ "$(d_text plan)" = "in plan" ] || t_fail "plan changed: $(d_text plan)"
t_key A M-NPage
t_wait A "[plan]"
t_type A "!"
d_wait_text plan "in plan!"
[ "$(d_text notes)" = "in notes more" ] || t_fail "notes changed: $(d_text notes)"
t_pass "Ctrl-PgUp and Alt-PgDn switch tabs; each edit goes to the document shown"

# Alice was last active in plan: so says B's presence list; back in notes,
# so it says that.
t_wait B "alice · editing plan"
t_key A C-NPage
t_wait A "[notes]"
t_key A End
t_type A "."
d_wait_text notes "in notes more."
t_wait B "alice · editing notes"
t_pass "B's presence list says which document alice is in (alice · editing notes)"

# B opens both: each converges in both panes.
t_say B "/doc notes"
t_wait B "doc notes rev"
t_key B F3 # the keys back to the input line
t_wait B "F3 edit"
t_say B "/doc plan"
t_wait B "[plan]"
t_wait B "doc plan rev"
t_key B F2
t_key B F4
t_key A C-PPage
t_wait A "[plan]"
t_type A " A"
t_type B "B "
d_converge plan A B
text=$(d_text plan)
[ "$(d_count "$text" " A")" = 1 ] && [ "$(d_count "$text" "B ")" = 1 ] ||
  t_fail "plan lost an edit: $text"
t_key A C-PPage
t_wait A "[notes]"
t_key B C-PPage
t_wait B "[notes]"
t_key A End
t_type A " and A"
t_key B Home
t_type B "B: "
d_converge notes A B
text=$(d_text notes)
[ "$(d_count "$text" " and A")" = 1 ] && [ "$(d_count "$text" "B: ")" = 1 ] ||
  t_fail "notes lost an edit: $text"
t_pass "both documents converge with a second client, each in its own tab"

# /doc list on B: both documents, with who is in each; Enter opens one.
t_key B F3
t_wait B "F3 edit"
t_say B "/doc close"
t_wait_gone B "[notes]"
t_wait B "✎ plan · lobby" # one document left: no tabs
t_say B "/doc list" # over the document, shown instead of the messages
t_wait B "documents of lobby · 2"
t_wait_re B "notes +· rev [0-9]+ by (alice|bob), .*· in it: alice$"
t_wait_re B "plan +· rev [0-9]+ by (alice|bob), .*· in it: alice, bob$"
t_pass "/doc list shows the room's documents and who is in each"
t_key B Enter # the first: notes
t_wait B "[notes]"
t_wait B " plan "
t_pass "Enter on a listed document opens it in a tab"
