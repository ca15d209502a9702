#!/usr/bin/env bash
# Rooms' rights in the terminal: /private makes a room invite only (the
# room list marks it), /invite lets bob in (the people list marks the
# owner @ and a moderator +), /kick with a reason is seen by both, and the
# kicked user's room closes and stays closed to him.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client A alice --room dev
t_wait A "online 1"
t_client B bob --room lobby
t_wait B "connected"

t_say A "/private on"
t_wait A "alice made dev private (invite only)"
t_wait_re A "^ *1\*dev"
t_pass "/private on is said in the room and the room list marks it"

t_say B "/join dev"
t_wait B "cannot open dev: dev is private: only invited users may join"
t_pass "bob cannot join the private room uninvited"

t_say A "/invite bob"
t_wait A "alice invited bob"
t_wait B "alice invited you to dev: /join dev"
t_say B "/join dev"
t_wait A "bob joined dev"
t_wait_re B "^ *2\*dev"
t_wait B "@alice"
t_pass "/invite lets bob in; he sees alice marked the owner"

t_say A "/op bob"
t_wait B "alice made you a moderator"
t_wait A "+bob"
t_say B "/kick alice"
t_wait B "/kick alice: alice owns dev: the owner cannot be kicked"
t_pass "a refused /kick is said in plain words"

t_say A "/deop bob"
t_wait B "alice took your moderator role"
t_wait_gone A "+bob"
t_pass "/op and /deop are seen by both, the people list follows"

t_say A "/kick bob spamming"
t_wait A "alice kicked bob: spamming"
t_wait B "alice kicked you from dev: spamming"
t_wait_gone B "*dev"
t_pass "/kick with a reason is seen by both, and bob's room closes"

t_say B "/join dev"
t_wait B "cannot open dev: dev is private: only invited users may join"
t_wait_gone B "*dev"
t_pass "kicked from a private room, bob needs a new invite"
