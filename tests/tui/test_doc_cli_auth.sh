#!/usr/bin/env bash
# confab doc on a server with accounts: with no token it fails at once
# (status 1, it says to sign in) rather than wait for a password no one
# can type; once the UI has signed in, the same token store serves it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

dc() {
  local user=$1; shift
  local home="$T_DIR/home-$user"
  mkdir -p "$home"
  env HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "$CONFAB" doc "$@" --server "ws://127.0.0.1:$T_PORT/" --user "$user"
}

PW="correct horse battery"
T_SERVER_ARGS="--auth accounts"
t_server_start
printf '%s\n' "$PW" | "$CONFABD" user add alice --db "$T_DIR/confab.db" >/dev/null ||
  t_fail "user add"

printf 'signed text ✓' >"$T_DIR/v.txt"
start=$SECONDS
dc alice put lobby notes "$T_DIR/v.txt" </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
st=$?
[ "$st" = 1 ] || t_fail "put without a token: status $st"
[ ! -s "$T_DIR/o" ] || t_fail "put without a token printed $(cat "$T_DIR/o")"
grep -q "sign in" "$T_DIR/e" || t_fail "put without a token said: $(cat "$T_DIR/e")"
[ $((SECONDS - start)) -le 5 ] || t_fail "the refusal took $((SECONDS - start)) s"
t_pass "without a token: status 1 at once, and it says to sign in"

t_client A alice --room lobby
t_wait A "password for alice"
t_type A "$PW"
t_key A Enter
t_wait A "signed in as alice" 15
t_wait A "connected"
$T_TMUX kill-session -t A
rev=$(dc alice put lobby notes "$T_DIR/v.txt" </dev/null 2>"$T_DIR/e") ||
  t_fail "put with the UI's token failed: $(cat "$T_DIR/e")"
dc alice get lobby notes </dev/null >"$T_DIR/got.txt" || t_fail "get with the token"
cmp -s "$T_DIR/v.txt" "$T_DIR/got.txt" || t_fail "get: $(cat "$T_DIR/got.txt")"
[ "$rev" = 1 ] || t_fail "put printed $rev"
t_pass "after the UI signed in, doc put and get use its token"
