#!/usr/bin/env bash
# A client that comes back after the server has forgotten the revision its
# edits were made on (more revisions since than --doc-log keeps) cannot
# merge them: it says so, keeps its version in the state directory, and
# shows the server's text. A client without unsent edits in the same
# position just reopens, and says nothing of lost edits.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/doc_lib.sh"

T_SERVER_ARGS="--doc-log 3"
t_server_start
port=$T_PORT
t_client A alice --room lobby
t_client B bob --room lobby
t_client C carol --room lobby
for n in A B C; do t_wait $n "connected"; done
for n in A B C; do d_open $n notes; done
t_type A "base"
d_converge notes A B C

t_server_stop
t_wait A "retry in" 15
t_key A End
t_type A " alice offline"
t_wait A "offline, edits kept"
# A and C sleep through what follows.
# client_pid USER: the confab process itself (not its tmux or shell).
client_pid() {
  local p
  p=$(pgrep -f "^$CONFAB --server ws://127.0.0.1:$port/ --user $1 ")
  [ "$(printf '%s\n' "$p" | grep -c .)" = 1 ] || t_fail "no single confab of $1: $p"
  echo "$p"
}
a_pid=$(client_pid alice)
c_pid=$(client_pid carol)
kill -STOP "$a_pid" "$c_pid"
stopped=1
trap '[ -n "${stopped:-}" ] && kill -CONT "$a_pid" "$c_pid" 2>/dev/null; t_cleanup' EXIT

t_server_start "$port"
t_key B F3
t_say B "/reconnect"
t_wait B "connected" 40
t_key B F3
t_key B End
for i in 1 2 3 4 5 6 7 8; do
  t_type B " b$i"
  sleep 0.25
done
t_wait B "synced"
rev=$("$DOCTOOL" "$T_PORT" lobby notes rev)
[ "$rev" -ge 6 ] || t_fail "bob's edits made only revision $rev"

kill -CONT "$a_pid" "$c_pid"
stopped=
t_key A F3
t_say A "/reconnect"
t_key C F3
t_say C "/reconnect"
t_wait A "connected" 40
t_key A F4   # the messages beside the document: every notice shows
t_wait A "could not be merged" 20
t_key A F4
t_wait A "synced" 20
d_converge notes A B C
[ "$(d_count "$(d_text notes)" "alice offline")" = 0 ] ||
  t_fail "the unmerged edit reached the document anyway"
saved=$(ls "$T_DIR"/home-alice/state/confab/doc-lobby-notes-unmerged-*.txt 2>/dev/null | head -1)
[ -n "$saved" ] || t_fail "alice's version was not kept in the state directory"
grep -qF "base alice offline" "$saved" || t_fail "the kept version is: $(cat "$saved")"
t_key C F4
t_wait C "F4 full"
t_screen C | grep -qF "could not be merged" && t_fail "carol, who had no unsent edits, was told of lost edits"
t_pass "edits on a revision the server forgot are kept aside, said so, and only then"
