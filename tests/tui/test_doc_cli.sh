#!/usr/bin/env bash
# confab doc get / put against a real confabd, with no terminal: a text
# comes back byte for byte, old revisions are read, a put merges with an
# edit made in the UI meanwhile, a put whose ACK is lost on a cut
# connection lands once, a put waits for a server that comes back, and
# errors say why with exit status 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

# dc USER PORT ARGS...: confab doc ARGS as USER, through PORT, with
# standard input and output not a terminal (the caller redirects them).
dc() {
  local user=$1 port=$2; shift 2
  local home="$T_DIR/home-$user"
  mkdir -p "$home"
  env HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    "$CONFAB" doc "$@" --server "ws://127.0.0.1:$port/" --user "$user"
}

# proxy MODE [PORT]: cutproxy.py in front of confabd; sets PROXY_PID,
# PROXY_PORT.
proxy() {
  rm -f "$T_DIR/proxy-port" "$T_DIR/cut" "$T_DIR/held" "$T_DIR/release"
  python3 "$(dirname "$0")/cutproxy.py" "$T_DIR" "$T_PORT" "$1" ${2:-} &
  PROXY_PID=$!
  local deadline=$((SECONDS + 10))
  while [ ! -s "$T_DIR/proxy-port" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "the proxy did not start"
    sleep 0.05
  done
  PROXY_PORT=$(cat "$T_DIR/proxy-port")
}

proxy_stop() {
  kill "$PROXY_PID" 2>/dev/null
  wait "$PROXY_PID" 2>/dev/null
  PROXY_PID=""
}

# wait_file PATH [seconds]
wait_file() {
  local deadline=$((SECONDS + ${2:-10}))
  while [ ! -e "$1" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "$1 never appeared"
    sleep 0.05
  done
}

PROXY_PID=""
trap '[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; t_cleanup' EXIT

t_server_start
port=$T_PORT

# ---- put, get back byte for byte ------------------------------------------
printf 'Grüße, 世界 ✓ — ça va?\n\ttabbed line\nno newline at the end' >"$T_DIR/v1.txt"
rev1=$(dc carol "$port" put lobby notes "$T_DIR/v1.txt" </dev/null 2>"$T_DIR/err") ||
  t_fail "put failed: $(cat "$T_DIR/err")"
[[ "$rev1" =~ ^[0-9]+$ ]] && [ "$rev1" -ge 1 ] || t_fail "put printed \"$rev1\""
[ "$rev1" = "$("$DOCTOOL" "$port" lobby notes rev)" ] ||
  t_fail "put printed $rev1, the server's head is another"
dc carol "$port" get lobby notes </dev/null >"$T_DIR/got1.txt" 2>"$T_DIR/err" ||
  t_fail "get failed: $(cat "$T_DIR/err")"
cmp -s "$T_DIR/v1.txt" "$T_DIR/got1.txt" ||
  t_fail "get is not the text put: $(od -c "$T_DIR/got1.txt" | head)"
t_pass "a text put comes back byte for byte (non-ASCII, no final newline)"

# ---- put from stdin, get --rev of the older revision ----------------------
printf 'Grüße, 世界 ✓ — ça va bien?\nno newline at the end' >"$T_DIR/v2.txt"
rev2=$(dc carol "$port" put lobby notes - <"$T_DIR/v2.txt" 2>"$T_DIR/err") ||
  t_fail "put from stdin failed: $(cat "$T_DIR/err")"
[ "$rev2" -gt "$rev1" ] || t_fail "second put printed $rev2 after $rev1"
dc carol "$port" get lobby notes </dev/null >"$T_DIR/got2.txt" || t_fail "get v2"
cmp -s "$T_DIR/v2.txt" "$T_DIR/got2.txt" || t_fail "get is not the stdin text"
dc carol "$port" get lobby notes --rev "$rev1" </dev/null >"$T_DIR/old.txt" ||
  t_fail "get --rev $rev1 failed"
cmp -s "$T_DIR/v1.txt" "$T_DIR/old.txt" || t_fail "get --rev $rev1 is not the first text"
dc carol "$port" get lobby notes --rev 0 </dev/null >"$T_DIR/zero.txt" || t_fail "get --rev 0"
[ ! -s "$T_DIR/zero.txt" ] || t_fail "revision 0 is not empty"
t_pass "put from stdin makes a new revision; get --rev reads the older one exactly"

# The second put was one edit: its op replaced the middle only.
[ $((rev2 - rev1)) = 1 ] || t_fail "the second put made $((rev2 - rev1)) revisions"

# ---- errors ---------------------------------------------------------------
expect_error() { # what STATUS_FILE OUT_FILE ERR_FILE
  local what=$1 st=$2 out=$3 err=$4
  [ "$st" = 1 ] || t_fail "$what: exit status $st, not 1"
  [ ! -s "$out" ] || t_fail "$what: wrote to stdout: $(cat "$out")"
  grep -q '^confab: .' "$err" || t_fail "$what: no message on stderr"
}
dc carol "$port" get lobby nosuchdoc </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "unknown document" $? "$T_DIR/o" "$T_DIR/e"
grep -q "no such document" "$T_DIR/e" || t_fail "unknown document: $(cat "$T_DIR/e")"
dc carol "$port" get lobby notes --rev 999 </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "bad revision" $? "$T_DIR/o" "$T_DIR/e"
grep -q "999" "$T_DIR/e" || t_fail "bad revision: $(cat "$T_DIR/e")"
dc carol "$port" get lobby 'bad name!' </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "bad document name" $? "$T_DIR/o" "$T_DIR/e"
printf 'ok \xff\xfe not utf-8' >"$T_DIR/bad.txt"
before=$("$DOCTOOL" "$port" lobby notes rev)
dc carol 1 put lobby notes "$T_DIR/bad.txt" </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "invalid UTF-8" $? "$T_DIR/o" "$T_DIR/e"
grep -q "not valid UTF-8" "$T_DIR/e" || t_fail "invalid UTF-8: $(cat "$T_DIR/e")"
start=$SECONDS
dc carol 1 get lobby notes --timeout 2 </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "no server" $? "$T_DIR/o" "$T_DIR/e"
grep -q "no connection" "$T_DIR/e" || t_fail "no server: $(cat "$T_DIR/e")"
[ $((SECONDS - start)) -le 5 ] || t_fail "--timeout 2 took $((SECONDS - start)) s"
[ "$("$DOCTOOL" "$port" lobby notes rev)" = "$before" ] || t_fail "an error changed notes"
t_pass "unknown document, bad revision, bad name, invalid UTF-8, no server: status 1 and why"

# ---- a put while the UI edits the same document ---------------------------
printf 'alpha\nbeta\ngamma' >"$T_DIR/base.txt"
dc carol "$port" put lobby merge "$T_DIR/base.txt" </dev/null >/dev/null || t_fail "base put"
t_client A alice --room lobby
t_wait A "connected"
d_open A merge
t_wait A "gamma"
printf 'alpha\nbeta\nGAMMA FROM THE SCRIPT' >"$T_DIR/mine.txt"
proxy hold
dc carol "$PROXY_PORT" put lobby merge "$T_DIR/mine.txt" --timeout 30 </dev/null \
  >"$T_DIR/merge.out" 2>"$T_DIR/merge.err" &
put_pid=$!
wait_file "$T_DIR/held" 15   # the put has the head and made its edit
t_type A "UI EDIT "
deadline=$((SECONDS + 10))
until d_text merge | grep -qF "UI EDIT "; do
  [ $SECONDS -ge $deadline ] && t_fail "the UI edit never reached the server"
  sleep 0.1
done
touch "$T_DIR/release"
wait "$put_pid" || t_fail "the concurrent put failed: $(cat "$T_DIR/merge.err")"
proxy_stop
text=$(d_text merge)
[ "$(d_count "$text" "UI EDIT ")" = 1 ] || t_fail "the UI edit is lost or doubled: $text"
[ "$(d_count "$text" "GAMMA FROM THE SCRIPT")" = 1 ] ||
  t_fail "the put is lost or doubled: $text"
d_count "$text" "gamma" | grep -qx 0 || t_fail "the replaced text is still there: $text"
d_converge merge A
t_pass "a put made on an older head merges with the UI's edit: both survive, once"

# ---- the ACK lost on a cut connection --------------------------------------
printf 'first\nsecond — ✓\nthird' >"$T_DIR/cut.txt"
proxy drop-ack
rev=$(dc carol "$PROXY_PORT" put lobby cutdoc "$T_DIR/cut.txt" --timeout 30 \
  </dev/null 2>"$T_DIR/err") || t_fail "the cut put failed: $(cat "$T_DIR/err")"
[ -e "$T_DIR/cut" ] || t_fail "the proxy never cut the connection at the ACK"
proxy_stop
dc carol "$port" get lobby cutdoc </dev/null >"$T_DIR/got.txt" || t_fail "get cutdoc"
cmp -s "$T_DIR/cut.txt" "$T_DIR/got.txt" ||
  t_fail "after the cut the text is not the file's once: $(cat "$T_DIR/got.txt")"
[ "$rev" = 1 ] && [ "$("$DOCTOOL" "$port" lobby cutdoc rev)" = 1 ] ||
  t_fail "the cut put made more than one revision (printed $rev)"
t_pass "a put whose ACK is lost to a cut connection is resent, deduplicated: the text once"

# ---- the server restarts while a put waits --------------------------------
t_server_stop
printf 'written while the server was down' >"$T_DIR/down.txt"
dc carol "$port" put lobby downdoc "$T_DIR/down.txt" --timeout 30 </dev/null \
  >"$T_DIR/down.out" 2>"$T_DIR/down.err" &
put_pid=$!
sleep 1   # the put is retrying meanwhile (there is nothing to wait for)
kill -0 "$put_pid" 2>/dev/null || t_fail "the put gave up at once: $(cat "$T_DIR/down.err")"
t_server_start "$port"
wait "$put_pid" || t_fail "the put did not complete after the restart: $(cat "$T_DIR/down.err")"
dc carol "$port" get lobby downdoc </dev/null >"$T_DIR/got.txt" || t_fail "get downdoc"
cmp -s "$T_DIR/down.txt" "$T_DIR/got.txt" || t_fail "downdoc: $(cat "$T_DIR/got.txt")"
t_pass "a put started while the server is down completes once it is back, within --timeout"

# ---- no ACK within --timeout: the edit is kept for confab ------------------
printf 'kept for later — ✓' >"$T_DIR/kept.txt"
proxy hold
dc carol "$PROXY_PORT" put lobby keptdoc "$T_DIR/kept.txt" --timeout 3 </dev/null \
  >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "no ACK" $? "$T_DIR/o" "$T_DIR/e"
grep -qF "doc-carol,lobby,keptdoc.json" "$T_DIR/e" || t_fail "no ACK: $(cat "$T_DIR/e")"
[ -e "$T_DIR/held" ] || t_fail "the put never sent its edit"
touch "$T_DIR/release"
proxy_stop
[ -s "$T_DIR/home-carol/state/confab/doc-carol,lobby,keptdoc.json" ] || t_fail "the edit is not kept"
dc carol "$port" get lobby keptdoc </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
expect_error "edits kept" $? "$T_DIR/o" "$T_DIR/e"
grep -qF "not yet sent" "$T_DIR/e" || t_fail "edits kept: $(cat "$T_DIR/e")"
# The kept edit names the server it was made for: the proxy, again.
proxy pass "$PROXY_PORT"
T_PORT=$PROXY_PORT t_client C carol --room lobby
deadline=$((SECONDS + 20))
until [ "$("$DOCTOOL" "$port" lobby keptdoc text 2>/dev/null)" = "$(cat "$T_DIR/kept.txt")" ]; do
  [ $SECONDS -ge $deadline ] && t_fail "confab did not send the kept edit"
  sleep 0.2
done
$T_TMUX kill-session -t C
proxy_stop
deadline=$((SECONDS + 10))
while [ -e "$T_DIR/home-carol/state/confab/doc-carol,lobby,keptdoc.json" ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the kept edit's file stayed"
  sleep 0.1
done
dc carol "$port" get lobby keptdoc </dev/null >"$T_DIR/got.txt" || t_fail "get keptdoc"
cmp -s "$T_DIR/kept.txt" "$T_DIR/got.txt" || t_fail "keptdoc: $(cat "$T_DIR/got.txt")"
t_pass "an edit with no ACK in time is kept; doc refuses to run over it; confab sends it, once"
