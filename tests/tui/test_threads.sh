#!/usr/bin/env bash
# Threads, reactions, edits and deletes between two clients: a reply in a
# thread from A shows in B's thread pane and under the root; a reaction
# picked by name counts live; an edit says "(edited)", a delete leaves a
# tombstone; c copies a message's text through OSC 52; a reply not read
# yet counts as new on the root's line; e on a reply in the thread pane
# edits it in the pane's input line.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

t_say A "lunch at noon?"
t_wait B "lunch at noon?"
t_key A Up
t_wait_selected A "lunch at noon?"
t_key A r
t_wait A "thread · 0 replies"
t_type A "sounds good"
t_key A Enter
t_wait A "thread · 1 reply"
t_wait B "1 reply, last"
t_screen B | grep -qF "sounds good" && t_fail "the reply shows in the room's timeline"
t_key B Up
t_wait_selected B "lunch at noon?"
t_key B r
t_wait B "thread · 1 reply"
t_wait B "sounds good"
t_type B "me too"
t_key B Enter
t_wait A "me too"
t_wait A "2 replies, last"
t_key B Escape
t_wait_gone B "thread ·"
t_key A Escape
t_pass "a reply in A's thread pane shows in B's, and the root counts them"

t_key B Up
t_wait_selected B "lunch at noon?"
t_type B "+"
t_wait B "react with"
t_type B "thumbs up"
t_wait_re B "👍 +thumbs up"
t_key B Enter
t_wait_re A "👍 1"
t_key A Up
t_wait_selected A "lunch at noon?"
t_type A "+"
t_type A "thu up"
t_wait_re A "👍 +thumbs up"
t_key A Enter
t_wait_re B "👍 2"
t_key B Up
t_wait_selected B "lunch at noon?"
t_wait_re B "👍 alice, bob|👍 bob, alice"
t_key B Escape
t_pass "a reaction picked by name counts live on both; selected, it says who"

t_say A "teh plan"
t_wait B "teh plan"
t_key A Up
t_wait_selected A "teh plan"
t_type A "e"
t_wait A "> teh plan"
t_key A C-u
t_type A "the plan"
t_key A Enter
t_wait B "the plan (edited)"
t_key A Up
t_wait_selected A "the plan"
t_type A "d"
t_wait A "delete this message? (y/n)"
t_type A "y"
t_wait B "message deleted"
t_wait A "message deleted"
t_screen B | grep -qF "the plan" && t_fail "the deleted text still shows"
t_pass "an edit shows as edited, a delete as a tombstone, on the other client"

$T_TMUX set -s set-clipboard on
t_key B Up   # the cursor passes over the tombstone
t_wait_selected B "lunch at noon?"
t_type B "c"
t_wait B "copied the message's text"
deadline=$((SECONDS + 5))
until [ "$($T_TMUX show-buffer 2>/dev/null)" = "lunch at noon?" ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the clipboard has \"$($T_TMUX show-buffer 2>/dev/null)\""
  sleep 0.1
done
t_pass "c puts the message's text on the clipboard through OSC 52"

# Changes made while the server is down wait in the outbox; the other
# client, back later, gets them replayed from its rev.
port=$T_PORT
t_server_stop
t_wait A "retry in" 15
t_wait B "retry in" 15
# While the client retries its connection a selection made at the moment
# of an attempt is sometimes not yet the one keys go to; the picker's title
# says when it is open.
for attempt in 1 2 3; do
  t_key A Up
  t_wait_selected A "lunch at noon?"
  t_type A "+"
  t_wait_ok A "react with" 3 && break
  t_key A C-u
  [ "$attempt" = 3 ] && t_fail "the picker never opened while offline"
done
t_type A "party pop"
t_wait_re A "🎉 +party popper"
t_key A Enter
t_wait A "1 pending"
t_server_start "$port"
t_say A "/reconnect"
t_wait A "connected" 40
t_wait_gone A "pending" 15
t_say B "/reconnect"
t_wait B "connected" 40
t_wait_re B "👍 2  🎉 1" 15
t_pass "a reaction made offline goes when the server is back; the other client gets it on resume"

# Replies B has not read show on the root's line; an edit of a reply made
# in A's thread pane stays in the pane.
t_say B "/join side"
t_wait B "[side] connected"
t_key A Up
t_wait_selected A "lunch at noon?"
t_key A r
t_wait A "thread · 2 replies"
t_say A "or at one"
t_wait A "thread · 3 replies"
t_key B M-1
t_wait B "3 replies (1 new), last" 10
t_pass "a reply B has not read counts as new on the root's line"
t_key A Up   # the pane's cursor, on the newest reply: A's own
t_wait_selected A "or at one"
t_type A "e"
t_wait A "│> or at one" # the pane's input line (after the pane's border)
t_key A C-u
t_type A "or at two"
t_key A Enter
t_wait A "or at two (edited)"
t_wait A "thread · 3 replies"
t_type A "still here"
t_wait A "│> still here"
t_pass "e on a reply in the thread pane edits it there; the pane keeps the keys"
