#!/usr/bin/env bash
# Rooms as an IRC user expects them: /join #Dev means dev, the habit
# aliases, Alt-A to the next room with activity, and the rooms (and
# direct-message rooms) coming back on the next start with what arrived
# meanwhile counted and marked; autojoin from the config.
. "$(dirname "$0")/lib.sh"

t_server_start
mkdir -p "$T_DIR/home-alice/config/confab"
printf 'autojoin = ops\n' >"$T_DIR/home-alice/config/confab/config"
t_client A alice --room lobby
t_wait A "connected"
t_wait_re A "^ *2 ops "
t_client B bob --room lobby
t_wait B "connected"
t_pass "autojoin opens its rooms beside the first one"

t_say A "/join #Dev"
t_wait A "[dev]"
t_say A "/j Scratch"
t_wait A "[scratch]"
t_say A "/leave"
t_wait A "left scratch"
t_say A "/query bob"
t_wait A "[@alice+bob]"
t_say A "/close"
t_wait A "left @alice+bob"
t_pass "/join #Dev is dev; /j, /leave, /query and /close do what IRC users expect"

# Alt-A: mentions first, then plain activity
t_key A M-1
t_wait A "[lobby]"
t_say B "/join dev"
t_say B "plain words in dev"
t_say B "/join ops"
t_say B "@alice look in ops"
t_wait_re A "^ *2 ops +@1 "
t_wait_re A "^ *3 dev +1 "
t_key A M-a
t_wait A "[ops]"
t_key A M-a
t_wait A "[dev]"
t_key A M-a
t_wait A "no room has anything new"
t_pass "Alt-A goes to the mention first, then to the room with unread messages"

# quit, miss two messages, come back
t_key A M-1
t_wait A "[lobby]"
t_key A C-c
t_wait A "confab-exited-0"
$T_TMUX kill-session -t A
t_say B "/join lobby"
t_say B "missed one"
t_say B "missed two"
t_wait B "missed two"
t_wait_gone B "pending"
t_client A alice --room lobby
t_wait A "connected"
t_wait_re A "^ *2 ops "
t_wait_re A "^ *3 dev "
t_wait A "new messages"
t_screen A | grep -A1 "new messages" | grep -q "missed one" ||
  t_fail "the new-messages line is not above the first missed message"
t_pass "after a restart the rooms come back and the missed messages are marked new"
