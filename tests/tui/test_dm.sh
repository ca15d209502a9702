#!/usr/bin/env bash
# Direct messages and the unread count: /msg opens a room of the two users,
# the other one sees it appear with the message and an unread notification
# on the status line; a third user never sees it.
. "$(dirname "$0")/lib.sh"

t_server_start
# alice first: she creates lobby (its creator hears of joins)
t_client A alice --room lobby
t_wait A "online 1"
t_client B bob --room lobby
t_wait B "connected"
t_client C carol --room lobby
t_wait C "connected"

t_say A "/msg bob just between us"
t_wait A "[@alice+bob]"
t_wait A "just between us"
t_wait_gone A "pending"
t_wait B "@alice+bob"
t_wait B "1 unread"
t_pass "/msg opens the DM room; bob gets it listed and one unread notification"

t_key B M-2
t_wait B "just between us"
t_pass "bob reads the message in the DM room"

t_say C "/join @alice+bob"
t_wait C "cannot open @alice+bob: a direct-message room of two other users"
t_screen C | grep -qF "just between us" && t_fail "carol saw the direct message"
t_pass "a third user is refused and sees nothing"

# alice made lobby, so bob and carol joining it gave her two notifications
t_wait A "2 unread"
t_say B "@alice look at lobby"
t_wait A "3 unread"
t_pass "bob's direct message raises alice's unread count"

t_say A "/dnd on"
t_wait A "do not disturb on"
t_pass "/dnd switches do not disturb"

t_say A "/msg nosuchuser hello?"
t_wait A "cannot open @alice+nosuchuser: no user nosuchuser on this server"
t_screen A | grep -qE "^ *[0-9]+ @alice\+nosuch" &&
  t_fail "the room of an unknown user stays in the list"
t_wait_gone A "pending"
stored=$(sqlite3 "$T_DIR/confab.db" "select count(*) from messages where text = 'hello?'")
[ "$stored" = 0 ] || t_fail "the message to an unknown user was stored"
t_pass "/msg to a user the server does not know is refused clearly, nothing stored"
