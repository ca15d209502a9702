#!/usr/bin/env bash
# Input: a multi-line paste asks first and is sent as one message; Tab
# completes nicks and commands; Ctrl-Up recalls the room's input history; rooms
# switch with Alt-1..9 and Ctrl-N.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client B bob --room lobby
t_wait B "connected"
t_client A alice --room lobby
t_wait A "connected"
t_wait A "bob"

# bracketed paste: tmux wraps the buffer in paste markers for confab
$T_TMUX set-buffer -b p "first pasted line
second pasted line"
$T_TMUX paste-buffer -p -b p -t A
t_wait A "send 2 pasted lines"
t_screen B | grep -qF "first pasted line" && t_fail "the paste was sent before it was confirmed"
t_type A "y"
t_wait B "second pasted line"
[ "$(t_count B "first pasted line")" = 1 ] || t_fail "the paste arrived split or twice"
t_pass "a pasted block is sent once, as one message, after y"

$T_TMUX paste-buffer -p -b p -t A
t_wait A "send 2 pasted lines"
t_type A "n"
t_wait A "paste not sent"
t_pass "n drops a paste"

t_type A "@bo"
t_key A Tab
t_type A "hi there"
t_key A Enter
t_wait B "@bob hi there"
t_pass "Tab completes a nick after @"

t_type A "/he"
t_key A Tab
t_key A Enter
t_wait A "/help NAME says what one does"
t_say A "/help doc"
t_wait A "/doc [open] NAME|close|list|history"
t_pass "Tab completes a command, /help lists commands, /help NAME explains one"

t_key A C-Up
t_key A C-Up
t_key A C-Up
t_wait A "> @bob hi there"
t_key A C-u
t_pass "Ctrl-Up recalls earlier input"

t_say A "/join dev"
t_wait A "[dev]"
t_key A M-1
t_wait A "[lobby]"
t_key A C-n
t_wait A "[dev]"
t_pass "Alt-1 and Ctrl-N switch rooms"

t_key A M-1
t_wait A "[lobby]"
t_say B "/join dev"
t_say B "ping from bob in dev"
t_say B "@alice are you there"
t_wait A "dev"
deadline=$((SECONDS + 10))
until t_screen A | grep -qE "^ *2 dev +2 @1 "; do
  [ $SECONDS -ge $deadline ] &&
    t_fail "the room list does not show dev as room 2 with 2 unread, 1 mention"
  sleep 0.1
done
t_pass "the room list numbers the rooms and shows unread messages and mentions both"

t_say A "/nosuchcommand"
t_wait A "unknown command /nosuchcommand"
t_say A "/join -not-a-room"
t_wait A "is not a room name"
t_pass "unknown commands and bad arguments are explained"
