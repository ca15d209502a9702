#!/usr/bin/env bash
# Signing in to a server with accounts: the first connection asks for the
# password (never shown), the token is kept (0600, never the password) and
# the next start asks nothing; a wrong password is asked again; /logout
# forgets the token and revokes it, so the next start asks again.
. "$(dirname "$0")/lib.sh"

PW="correct horse battery"
T_SERVER_ARGS="--auth accounts"
t_server_start
printf '%s\n' "$PW" | "$CONFABD" user add alice --db "$T_DIR/confab.db" >/dev/null ||
  t_fail "user add"

t_client A alice --room lobby
t_wait A "this server needs a password; password for alice"
t_type A "not the password"
t_screen A | grep -qF "not the password" && t_fail "the password was echoed"
t_wait A "••••"
t_key A Enter
t_wait A "wrong user name or password; password for alice" 15
t_pass "a wrong password is asked again"

t_type A "$PW"
t_screen A | grep -qF "$PW" && t_fail "the password was echoed"
t_key A Enter
t_wait A "signed in as alice" 15
t_wait A "connected"
t_say A "hello with a token"
t_wait A "hello with a token"
t_pass "the first connection asks for the password and signs in"

tokens=$(find "$T_DIR/home-alice/state" -name 'tokens-alice.json')
[ -n "$tokens" ] || t_fail "no token file"
[ "$(stat -c %a "$tokens")" = 600 ] || t_fail "token file mode $(stat -c %a "$tokens")"
grep -rqF "$PW" "$T_DIR/home-alice" && t_fail "the password is on disk"
grep -qF "$PW" "$T_DIR/confabd.log" && t_fail "the password is in the server's log"
t_pass "the token is kept 0600, the password nowhere"

$T_TMUX kill-session -t A
t_client A2 alice --room lobby
t_wait A2 "connected" 15
t_wait A2 "hello with a token"
t_screen A2 | grep -qF "password for" && t_fail "asked again with a kept token"
t_pass "the second start does not ask"

t_say A2 "/logout"
t_wait A2 "signed out" 10
t_wait A2 "password for alice" 15
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$tokens")
[ -z "$token" ] || t_fail "the token is still kept: $token"
t_pass "/logout forgets the token and asks again"

$T_TMUX kill-session -t A2
t_client A3 alice --room lobby
t_wait A3 "password for alice" 15
t_pass "after /logout the next start asks"

# confabd user add on a terminal: asked twice, never echoed
$T_TMUX new-session -d -s U -x 100 -y 10 \
  "$CONFABD user add carol --db $T_DIR/confab.db; echo user-add-exited-\$?; sleep 600"
t_wait U "password for carol:"
t_type U "$PW"
t_key U Enter
t_wait U "the same again:"
t_type U "$PW"
t_key U Enter
t_wait U "account carol made"
t_wait U "user-add-exited-0"
t_screen U | grep -qF "$PW" && t_fail "user add echoed the password"
t_pass "confabd user add reads the password from the terminal without echo"
