#!/usr/bin/env bash
# confab with --transport: over Server-Sent Events and over long polling
# it signs in with the password (POST /login), the status line names the
# transport, messages cross both ways with a WebSocket client, and the
# token kept is the bearer of the next start; over wss:// the HTTP
# transports check the certificate as the WebSocket does (a pinned
# self-signed one passes, --ca trusts what its CA signed).
. "$(dirname "$0")/lib.sh"

PW="correct horse battery"
T_SERVER_ARGS="--auth accounts"
t_server_start
for u in alice bob zoe; do
  printf '%s\n' "$PW" | "$CONFABD" user add $u --db "$T_DIR/confab.db" >/dev/null ||
    t_fail "user add $u"
done

t_client A alice --room lobby --transport sse
t_wait A "this server needs a password; password for alice" 15
t_type A "not the password"
t_key A Enter
t_wait A "wrong user name or password; password for alice" 15
t_type A "$PW"
t_key A Enter
t_wait A "signed in as alice" 15
t_wait A "connected (sse)" 15
t_client B bob --room lobby
t_wait B "this server needs a password; password for bob" 15
t_type B "$PW"
t_key B Enter
t_wait B "connected" 15
t_screen B | grep -qF "connected (" && t_fail "the WebSocket is named"
t_say A "over sse"
t_wait B "over sse" 10
t_say B "to sse"
t_wait A "to sse" 10
t_pass "over SSE: signed in, the status line says so, messages cross both ways"

$T_TMUX kill-session -t A
t_client A2 alice --room lobby --transport poll
t_wait A2 "connected (poll)" 15
t_screen A2 | grep -qF "password for alice" && t_fail "asked for the password again"
t_wait A2 "to sse" 10
t_say A2 "over poll"
t_wait B "over poll" 10
t_say B "to poll"
t_wait A2 "to poll" 10
t_pass "over long polling: the kept token signs in, messages cross both ways"

# The outbox and the replay: typed while confabd is down, over SSE and
# over long polling, delivered once each when it is back.
# (zoe: a client of her own, for two confabs of one user share an outbox)
t_client A3 zoe --room lobby --transport sse
t_wait A3 "this server needs a password; password for zoe" 15
t_type A3 "$PW"
t_key A3 Enter
t_wait A3 "connected (sse)" 15
port=$T_PORT
t_server_stop
t_wait A3 "retry in" 20
t_wait A2 "retry in" 40
t_say A3 "sse while down"
t_say A2 "poll while down"
t_wait A3 "1 pending"
t_wait A2 "1 pending"
t_server_start "$port"
t_say B "/reconnect"
t_wait A3 "connected (sse)" 40
t_wait A2 "connected (poll)" 40
t_wait B "sse while down" 20
t_wait B "poll while down" 20
t_wait A3 "poll while down" 20
t_wait A2 "sse while down" 20
for m in "sse while down" "poll while down"; do
  for who in B A2 A3; do
    [ "$(t_count $who "$m")" = 1 ] || t_fail "$who shows \"$m\" $(t_count $who "$m") times"
  done
done
t_wait_gone A3 "pending" 15
t_wait_gone A2 "pending" 15
t_pass "typed while the server was down, over SSE and polling: delivered once each"

t_cli() {
  env HOME="$T_DIR/home-alice" XDG_STATE_HOME="$T_DIR/home-alice/state" \
    XDG_CONFIG_HOME="$T_DIR/home-alice/config" \
    "$CONFAB" doc "$@" --server "ws://127.0.0.1:$T_PORT/" --user alice
}
printf 'notes over sse\n' > "$T_DIR/notes.txt"
t_cli put lobby notes "$T_DIR/notes.txt" --transport sse >/dev/null ||
  t_fail "confab doc put over sse"
[ "$(t_cli get lobby notes --transport poll)" = "notes over sse" ] ||
  t_fail "confab doc get over poll"
t_pass "confab doc put and get over SSE and long polling"

echo 'transport = nonsense' > "$T_DIR/home-carol-config"
mkdir -p "$T_DIR/home-carol/config/confab"
cp "$T_DIR/home-carol-config" "$T_DIR/home-carol/config/confab/config"
t_client C carol --room lobby
t_wait C "transport: auto, ws, sse or poll, not 'nonsense'" 10
t_wait C "confab-exited-2" 10
t_pass "a bad transport in the config file is refused with a clear error"

t_server_stop
bash "$(dirname "$0")/../net/make-certs.sh" "$T_DIR/certs" || t_fail "make-certs"
C=$T_DIR/certs
T_SCHEME=wss
T_SERVER_ARGS="--tls-cert $C/srv.pem --tls-key $C/srv.key --auth none"
t_server_start
t_client D dave --room lobby --ca "$C/ca.pem" --transport sse
t_wait D "connected (sse)" 15
t_screen D | grep -qF "trust this certificate" && t_fail "asked with a CA that signed it"
t_client E erin --room lobby --ca "$C/ca.pem" --transport poll
t_wait E "connected (poll)" 15
t_say D "sse over tls"
t_wait E "sse over tls" 10
t_say E "poll over tls"
t_wait D "poll over tls" 10
t_pass "over https://: the CA's certificate passes, messages cross"

t_server_stop
T_SERVER_ARGS="--tls-cert $C/self.pem --tls-key $C/self.key --auth none"
t_server_start
t_client F frank --room lobby --transport sse
t_wait F "trust this certificate of 127.0.0.1:$T_PORT from now on? (y/n)" 15
t_screen F | grep -qF "connected" && t_fail "connected before it was trusted"
t_type F "y"
t_wait F "connected (sse)" 15
t_pass "over https://: a self-signed certificate is asked about, then pinned"
