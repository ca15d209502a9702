#!/usr/bin/env bash
# Finding things: /find (Ctrl-R) through history the client does not
# hold yet, highlighted, n/N and Esc; End back to the newest line; a long
# link kept whole on its row and /url; the timestamp format; Alt-Enter for
# a newline; the chat log on disk.
. "$(dirname "$0")/lib.sh"

t_server_start
t_client B bob --room lobby
t_wait B "connected"
t_say B "the needle is here"
for i in $(seq -w 1 60); do
  t_type B "filler $i"
  t_key B Enter
done
t_wait B "filler 60" 20
t_wait_gone B "pending" 30

mkdir -p "$T_DIR/home-alice/config/confab"
printf 'timestamp_format = "%%H:%%M:%%S"\n' >"$T_DIR/home-alice/config/confab/config"
t_client A alice --room lobby
t_wait A "filler 60"
t_wait_re A "[0-9]{2}:[0-9]{2}:[0-9]{2} +bob filler 60"
t_screen A | grep -qF "the needle is here" && t_fail "the needle was held already"
t_pass "times show in the configured format"

t_key A C-r
t_wait A "> /find"
t_type A "NEEDLE"
t_key A Enter
t_wait A "the needle is here" 20
t_wait A 'search "NEEDLE"'
$T_TMUX capture-pane -e -p -t A | grep "is here" | grep -qE $'\e\\[[0-9;]*43[;m]' ||
  t_fail "the match is not highlighted"
t_pass "/find pages back through the server's history and shows the match highlighted"

t_type A "n"
t_wait A 'search "NEEDLE" (no older match)'
t_key A Escape
t_wait_gone A 'search "NEEDLE"'
t_key A End
t_wait A "filler 60"
t_wait_gone A "scrolled up"
t_pass "n says when there is nothing older, Esc ends the search, End goes back to the newest line"

t_say B "look https://example.org/a/very/long/path/that/does/not/fit/the/text/column?yes=1 there"
t_wait A "there"
t_screen A | grep -qE "^ *[│ ]*https://example.org/a/very/long/path/that/does/not/fit/the/text/column\?yes=1" ||
  t_fail "the long link was broken across rows"
t_say A "/url"
t_wait A "links in lobby"
t_screen A | grep -A1 -- "-- 1 bob:" |
  grep -q "https://example.org/a/very/long/path/that/does/not/fit/the/text/column?yes=1" ||
  t_fail "/url does not list the link whole"
t_pass "a long link stays whole on a row of its own; /url lists it"

t_type A "first line"
t_key A M-Enter
t_type A "second line"
t_key A Enter
t_wait B "second line"
t_screen B | grep -B1 "second line" | grep -q "first line" ||
  t_fail "Alt-Enter did not make a two-line message"
t_pass "Alt-Enter puts a newline in the message"

log="$T_DIR/home-alice/data/confab/logs/lobby/$(date +%Y-%m-%d).log"
deadline=$((SECONDS + 10))
until [ -f "$log" ] && grep -q "<alice> first line" "$log"; do
  [ $SECONDS -ge $deadline ] && t_fail "no chat log at $log"
  sleep 0.1
done
grep -q "<bob> look https://example.org" "$log" || t_fail "bob's line is not in the log"
grep -q "filler 60" "$log" && t_fail "the backlog shown on joining was logged"
[ "$(stat -c %a "$log")" = 600 ] || t_fail "the log is not private"
t_pass "the chat log on disk holds what was said since joining, privately"
