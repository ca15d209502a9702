#!/usr/bin/env bash
# A thread far older than the room's history on screen: bob starts after
# alice wrote it and more than a page of messages came after it, finds a
# reply with /search, and the thread pane opens with the root and all its
# replies (asked of the server), while his timeline stays the room's latest;
# new messages past his scrollback_lines do not take the thread away.
. "$(dirname "$0")/lib.sh"

T_SERVER_ARGS="--rate 0" # the fillers go at once
t_server_start
t_client A alice --room lobby
t_wait A "connected"

fillers() { # fillers NAME PREFIX N: N lines in the room's input line
  for i in $(seq 1 "$3"); do t_say "$1" "filler $2$i"; done
  t_wait "$1" "filler $2$3" 20
}

t_say A "where shall we meet"
t_wait A "where shall we meet"
t_wait_gone A "pending"
t_key A Up
t_wait_selected A "where shall we meet"
t_key A r
t_wait A "thread · 0 replies"
t_say A "first idea park"
t_wait A "thread · 1 reply"
t_key A F6
fillers A a 15
t_key A F6
t_say A "second idea cafe"
t_wait A "thread · 2 replies"
t_key A F6
fillers A b 15
t_key A F6
t_say A "third idea library"
t_wait A "thread · 3 replies"
t_key A F6
fillers A c 60
t_wait_gone A "pending" 20

mkdir -p "$T_DIR/home-bob/config/confab"
echo "scrollback_lines = 100" >"$T_DIR/home-bob/config/confab/config"
t_client B bob --room lobby
t_wait B "filler c60"
t_screen B | grep -qF "where shall we meet" && t_fail "the root is in bob's first page"
t_say B "/search library"
t_wait B "third idea library"
t_key B Enter
t_wait B "thread · 3 replies" 20
t_wait B "where shall we meet" 10
t_wait B "first idea park" 10
t_wait B "second idea cafe"
t_wait_selected B "third idea library"
t_pass "an old thread opens with its root and all its replies"

fillers A d 60
t_wait B "filler d60" 20
for text in "thread · 3 replies" "where shall we meet" "first idea park" \
    "second idea cafe" "third idea library"; do
  t_screen B | grep -qF "$text" || t_fail "bob's thread pane lost \"$text\""
done
t_pass "the thread stays whole while the room's oldest lines go past the limit"

# the timeline was paged back only to the reply, not to the root: what
# the pane holds for the thread is not in it
t_key B Escape # the pane's cursor
t_key B Escape # the pane
t_wait_gone B "thread ·"
t_screen B | grep -qF "where shall we meet" && t_fail "the root came into the timeline"
t_screen B | grep -qF "filler a1 " && t_fail "the room was paged back to the root"
t_pass "the room's timeline keeps to its own history"
