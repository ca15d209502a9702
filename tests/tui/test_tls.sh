#!/usr/bin/env bash
# confab to a confabd serving wss:// with a self-signed certificate: the
# SHA-256 fingerprint is shown (what openssl says) and the question asked
# once; "n" stays offline, "y" pins it and connects; the next start does
# not ask; a changed certificate is refused loudly and nothing connects;
# a certificate signed by the CA given with --ca needs no question.
. "$(dirname "$0")/lib.sh"

bash "$(dirname "$0")/../net/make-certs.sh" "$T_DIR/certs" || t_fail "make-certs"
C=$T_DIR/certs
fp=$(openssl x509 -in "$C/self.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
other_fp=$(openssl x509 -in "$C/other.pem" -noout -fingerprint -sha256 | sed 's/.*=//')

T_SCHEME=wss
T_COLS=180 # the fingerprint on one line
T_SERVER_ARGS="--tls-cert $C/self.pem --tls-key $C/self.key"
t_server_start
t_client A alice --room lobby
t_wait A "SHA256:$fp" 15
t_wait A "trust this certificate of 127.0.0.1:$T_PORT from now on? (y/n)"
t_screen A | grep -qF "connected" && t_fail "connected before it was trusted"
t_pass "a self-signed certificate shows its fingerprint and asks"

t_type A "n"
t_wait A "not trusted: confab stays offline"
t_say A "/reconnect"
t_wait A "trust this certificate of 127.0.0.1:$T_PORT" 15
t_type A "y"
t_wait A "trusted;" 10
t_wait A "connected" 15
t_say A "over tls"
t_wait A "over tls"
pins=$(find "$T_DIR/home-alice/state" -name known_servers)
[ -n "$pins" ] || t_fail "no known_servers file"
grep -qF "127.0.0.1:$T_PORT SHA256:$fp" "$pins" || t_fail "not pinned: $(cat "$pins")"
t_pass "n stays offline, y pins the certificate and connects"

$T_TMUX kill-session -t A
t_client A2 alice --room lobby
t_wait A2 "over tls" 15
t_screen A2 | grep -qF "trust this certificate" && t_fail "asked again"
t_pass "the next start trusts the pinned certificate"

port=$T_PORT
t_server_stop
T_SERVER_ARGS="--tls-cert $C/other.pem --tls-key $C/other.key"
t_server_start "$port"
t_wait A2 "THE CERTIFICATE OF 127.0.0.1:$port HAS CHANGED" 30
t_wait A2 "SHA256:$other_fp"
t_screen A2 | grep -qF "trust this certificate" && t_fail "offered to trust a changed one"
t_pass "a changed certificate is refused loudly"

t_server_stop
T_SERVER_ARGS="--tls-cert $C/srv.pem --tls-key $C/srv.key"
t_server_start
t_client B bob --room lobby --ca "$C/ca.pem"
t_wait B "connected" 15
t_screen B | grep -qF "trust this certificate" && t_fail "asked with a CA that signed it"
t_pass "--ca trusts what that CA signed"
