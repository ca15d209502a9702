#!/usr/bin/env bash
# Read marks, server search, topics and the directory: reading a room in
# one of alice's clients clears its unread count in her other one, and the
# author sees "seen by alice" under his last message; /search
# lists what the server finds, highlighted, and Enter pages back to it;
# /topic shows in the room's header on the other client; /list shows the
# public rooms and Enter joins one.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client B bob --room dev
t_wait B "connected"
t_say B "/join lobby"
t_wait B "[lobby]"
t_client A alice --room lobby
t_wait A "connected"
# alice's second client: a home of its own (t_client's homes go by user)
mkdir -p "$T_DIR/home-alice2"
$T_TMUX new-session -d -s A2 -x "${T_COLS:-120}" -y "${T_ROWS:-32}" \
  "env HOME=$T_DIR/home-alice2 XDG_STATE_HOME=$T_DIR/home-alice2/state \
   XDG_CONFIG_HOME=$T_DIR/home-alice2/config XDG_DATA_HOME=$T_DIR/home-alice2/data \
   TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
   $CONFAB --server ws://127.0.0.1:$T_PORT/ --user alice --room lobby; sleep 600"
t_wait A2 "connected"
t_say A "/join dev"
t_wait A "[dev]"
t_key A M-1
t_wait A "[lobby]"
t_say A2 "/join dev"
t_wait A2 "[dev]"
t_key A2 M-1
t_wait A2 "[lobby]"

t_key B M-1
t_wait B "[dev]"
t_say B "the needle is here"
for i in 1 2 3; do t_say B "dev news $i"; done
t_wait_re A "dev +4"
t_wait_re A2 "dev +4"
t_key A M-2
t_wait A "dev news 3"
t_wait_re A2 "^ *2 dev *│" 5
t_pass "reading dev in one of alice's clients clears its count in the other"
t_wait B "seen by alice"
[ "$(t_count B "seen by alice")" = 1 ] || t_fail "\"seen by\" shows more than once"
t_screen B | grep -A1 "dev news 3" | grep -qF "seen by alice" ||
  t_fail "\"seen by alice\" is not under bob's last message"
t_pass "bob's last message says alice has seen it"

for i in $(seq -w 1 40); do t_type B "filler $i"; t_key B Enter; done
t_wait B "filler 40" 20
t_wait_gone B "pending" 30
t_say A2 "/search needle"
t_wait A2 'search "needle"'
t_wait A2 "bob: the needle is here"
$T_TMUX capture-pane -e -p -t A2 | grep "is here" | grep -qE $'\e\\[[0-9;]*43[;m]' ||
  t_fail "the match is not highlighted"
t_key A2 Enter
t_wait_selected A2 "the needle is here" 20
t_pass "/search lists the server's results highlighted; Enter pages back to one"
t_key A2 Escape

t_say A "/topic ship on friday"
t_wait B "topic: ship on friday"
t_wait B "alice set the topic: ship on friday"
t_say B "/topic"
t_wait B "topic of dev: ship on friday"
t_pass "/topic sets the topic; the other client shows it in the room's header"

t_say A "/join annex"
t_wait A "[annex]"
t_say B "/list"
t_wait B "rooms"
t_wait_re B "annex +· 1 member"
t_wait_re B "dev +· 2 members +· ship on friday"
t_key B Down
t_key B Up    # annex, the first by name
t_key B Enter
t_wait B "[annex]"
t_pass "/list shows the public rooms with topic and members; Enter joins one"
