#!/usr/bin/env bash
# What a new user runs into in the first hour: the first screen says how
# to get help, /part with no argument, the new-messages line when coming
# back to a room, the first direct message counted as unread, Tab cycling
# through commands and names, which pane has the keys, the status line on
# a narrow terminal, plain-words connection errors, a config with a NUL
# byte, standard input that is no terminal, and private state files.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room lobby
t_wait A "connected"
t_wait A "F1 or /help lists commands"
t_client B bob --room lobby
t_wait B "connected"
t_pass "the first screen says how to get help"

# /part with no argument names the room it left (it used to print freed
# memory: ASan, in the sanitized run, stops confab if it comes back)
t_say A "/join scratch"
t_wait A "[scratch]"
t_say A "/part"
t_wait A "left scratch"
t_wait A "[lobby]"
t_pass "/part with no argument says which room it left"

# the new-messages line: alice goes to dev, bob writes in lobby, alice
# comes back and sees the line above what she missed
t_say A "/join dev"
t_wait A "[dev]"
t_say B "said while alice was away"
t_wait_re A "^ *1 lobby +1 "
t_key A M-1
t_wait A "[lobby]"
t_wait A "new messages"
t_screen A | grep -A1 "new messages" | grep -q "said while alice was away" ||
  t_fail "the new-messages line is not right above the missed message"
t_pass "coming back to a room shows the new-messages line above what was missed"

# the first direct message from someone counts as unread
t_say B "/msg alice first words"
t_wait A "@alice+bob"
t_wait_re A "^ *3 @alice\+bob +1 "
t_pass "the first direct message from bob counts as unread"

# Tab: every command, cycling; a lone @ offers every name
t_type A "/"
t_key A Tab
t_wait A "/retry"      # listed among the candidates
t_wait A "/theme"
t_wait A "> /away"
t_key A Tab
t_wait A "> /back"
t_key A C-u
t_type A "hi @"
t_key A Tab
t_wait A "> hi @bob"
t_key A C-u
t_pass "Tab lists every command and cycles; @ alone completes a name"

# which pane has the keys: the prompt dims to a dot while the document has them
t_say A "/doc notes"
t_wait A "doc notes rev"
t_wait A "· "
$T_TMUX capture-pane -p -t A | tail -n 1 | grep -q "^·" ||
  t_fail "the input line does not show that the keys are in the document"
t_key A F3
t_wait_re A "^>$"
t_say A "/doc close"
t_wait A "document closed"
t_pass "the prompt shows which pane has the keys"

# the status line on a narrow terminal: offline with a pending message and
# an unread notification, at 100, 40 and 20 columns
t_key B M-1
t_wait B "[lobby]"
t_say B "@alice one for the centre"
t_wait_re A "[0-9]+ unread"
t_server_stop
t_wait A "retry in"
t_say A "queued while offline"
t_wait A "1 pending"
$T_TMUX resize-window -t A -x 100 -y 30
t_wait A "1 pending"
t_screen A | grep -q "1 pendin$" && t_fail "the pending count is cut at 100 columns"
for cols in 40 20; do
  $T_TMUX resize-window -t A -x $cols -y 30
  deadline=$((SECONDS + 10))
  until line=$(t_screen A | tail -n 2 | head -n 1) &&
      echo "$line" | grep -qE "\[l|^l…" && echo "$line" | grep -q "retry" &&
      echo "$line" | grep -q "~1\|1 pending" && echo "$line" | grep -qE "●[0-9]|[0-9] unread"; do
    [ $SECONDS -ge $deadline ] &&
      t_fail "at $cols columns the status line lost what matters: '$line'"
    sleep 0.1
  done
done
t_pass "at 100, 40 and 20 columns the status line keeps state, room, pending, unread"
$T_TMUX resize-window -t A -x 120 -y 32

# connection errors in plain words (the server is down now)
t_wait A "nothing is listening at 127.0.0.1:$T_PORT"
t_screen A | grep -q "Unable to connect\|HS:" && t_fail "a raw libwebsockets error is shown"
t_pass "a connection that fails is explained in plain words"
t_server_start "$T_PORT"
t_wait A "connected" 40
t_wait_gone A "pending" 20

# state files are private
for f in "$T_DIR/home-alice/state/confab/outbox-alice.jsonl" \
    "$T_DIR/home-alice/state/confab/rooms-alice.json" \
    "$T_DIR/home-alice/state/confab/confab.log"; do
  [ -f "$f" ] || t_fail "$f is missing"
  [ "$(stat -c %a "$f")" = 600 ] || t_fail "$f is mode $(stat -c %a "$f"), not 600"
done
[ "$(stat -c %a "$T_DIR/home-alice/state/confab")" = 700 ] ||
  t_fail "the state directory is not 700"
t_pass "the state directory is 700 and its files 600"

# a NUL byte in the config is an error on its line, not a cut value
mkdir -p "$T_DIR/home-carol/config/confab"
printf 'room = lobby\nuser = car\000ol\n' >"$T_DIR/home-carol/config/confab/config"
t_client C carol
t_wait C "config:2: a NUL byte"
t_wait C "confab-exited-2"
t_pass "a NUL byte in the config stops confab with file and line"

# standard input at end of file (or no terminal): a clear message, at once
t_client D dave "</dev/null"
t_wait D "must be a terminal"
t_wait D "confab-exited-1"
t_pass "confab </dev/null says it needs a terminal and exits"
