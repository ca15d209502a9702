#!/usr/bin/env bash
# make-certs.sh DIR: throwaway TLS material for the tests, made fresh each
# run (elliptic-curve keys, two days): a private CA (ca.pem, ca.key), a
# server certificate it signed for localhost and 127.0.0.1 (srv.pem,
# srv.key), a self-signed one for the same names (self.pem, self.key) and
# another self-signed one (other.pem, other.key), to stand for a server
# whose certificate changed.
set -euo pipefail
d=$1
mkdir -p "$d"
cd "$d"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
san="subjectAltName=DNS:localhost,IP:127.0.0.1"
openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 \
  -subj /CN=confab-test-ca 2>/dev/null
openssl req "${ec[@]}" -keyout srv.key -out srv.csr -subj /CN=localhost 2>/dev/null
printf '%s\n' "$san" >srv.ext
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out srv.pem -days 2 -extfile srv.ext 2>/dev/null
for n in self other; do
  openssl req -x509 "${ec[@]}" -keyout $n.key -out $n.pem -days 2 \
    -subj /CN=localhost -addext "$san" 2>/dev/null
done
