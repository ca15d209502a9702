#!/usr/bin/env bash
# Layout: side panes fold away below 80 columns and F2 brings them back;
# resizing redraws cleanly; wide characters keep the borders in place;
# NO_COLOR leaves attributes only.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room lobby
t_wait A "connected"
t_say A "wide: 日本語テキスト and 😀 emoji"
t_wait A "日本語テキスト"
t_wait A "online 1"

# every full-height row has its two pane borders
rows=$(t_screen A | head -n 20 | grep -c "│.*│")
[ "$rows" -ge 20 ] || t_fail "borders broken: only $rows rows have both borders"
t_pass "three panes at 120 columns, borders intact beside wide text"

$T_TMUX resize-window -t A -x 70 -y 20
t_wait_gone A "online 1"
t_wait A "日本語テキスト"
t_wait A "[lobby] connected"
t_pass "below 80 columns the side panes fold away"

t_say A "visible-start of this line stays readable"
t_wait A "visible-start of this"
t_key A F2
t_wait A "online 1"
# the messages wrap between the lists instead of hiding under them
t_wait A "alice visible-start"
t_screen A | grep -qE "^ +│[0-9]{2}:[0-9]{2} alice visible-start" ||
  t_fail "the message does not sit beside the room list"
t_key A F2
t_wait_gone A "online 1"
t_pass "F2 toggles the side panes; with them on below 80 columns nothing is hidden under them"

$T_TMUX resize-window -t A -x 120 -y 30
t_wait A "online 1"
rows=$(t_screen A | head -n 25 | grep -c "│.*│")
[ "$rows" -ge 25 ] || t_fail "after resizing back only $rows rows have both borders"
t_pass "resizing back restores every border"

# NO_COLOR: no colour escapes at all on screen, attributes are allowed
$T_TMUX new-session -d -s N -x 100 -y 20 \
  "env HOME=$T_DIR/home-nc XDG_STATE_HOME=$T_DIR/home-nc/state \
   XDG_CONFIG_HOME=$T_DIR/home-nc/config XDG_DATA_HOME=$T_DIR/home-nc/data \
   NO_COLOR=1 TERM=xterm-256color LANG=C.UTF-8 \
   $CONFAB --server ws://127.0.0.1:$T_PORT/ --user nocolor --room lobby"
t_wait N "connected"
if $T_TMUX capture-pane -e -p -t N | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;|48;)[0-9;]*m'; then
  t_fail "NO_COLOR: colour escapes on screen"
fi
$T_TMUX capture-pane -e -p -t A | grep -qE $'\e\\[[0-9;]*(3[0-7]|38;)' ||
  t_fail "the colour client shows no colour at all"
t_pass "NO_COLOR shows no colour, the default theme does"
