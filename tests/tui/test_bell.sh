#!/usr/bin/env bash
# The terminal bell (`bell = on`): a mention of alice rings her terminal, a
# message that does not mention her does not; with `dnd = on` nothing
# rings; with the default `notify_when = unfocused`, nothing rings while
# the terminal reports focus (xterm focus events, sent here as the
# terminal would). tmux's own bell flag of each client's window tells.
. "$(dirname "$0")/lib.sh"

# t_bell NAME: 1 when the client's window has rung its bell, else 0.
t_bell() {
  $T_TMUX display-message -p -t "$1" '#{window_bell_flag}'
}

t_server_start
for u in alice carol; do
  mkdir -p "$T_DIR/home-$u/config/confab"
  printf 'bell = on\nnotify_when = always\n' >"$T_DIR/home-$u/config/confab/config"
done
printf 'dnd = on\n' >>"$T_DIR/home-carol/config/confab/config"
mkdir -p "$T_DIR/home-dave/config/confab"
printf 'bell = on\n' >"$T_DIR/home-dave/config/confab/config"

t_client A alice --room lobby
t_wait A "connected"
t_client C carol --room lobby
t_wait C "connected"
t_client D dave --room lobby
t_wait D "connected"
t_client B bob --room lobby
t_wait B "connected"
t_wait A "online 4"

# The bell rings while the frame is handled, before the line is drawn: once
# the line shows, a bell it caused would be there.
t_say B "nothing to see here"
t_wait A "nothing to see here"
[ "$(t_bell A)" = 0 ] || t_fail "a message without a mention rang the bell"
t_pass "a message that does not mention alice does not ring"

t_say B "@alice and @carol, look"
t_wait A "and @carol, look"
deadline=$((SECONDS + 10))
until [ "$(t_bell A)" = 1 ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the mention did not ring alice's bell"
  sleep 0.1
done
t_pass "a mention rings alice's bell"

t_wait C "and @carol, look"
[ "$(t_bell C)" = 0 ] || t_fail "do not disturb let the bell ring"
t_pass "with dnd on, carol's bell stays quiet"

t_type D $'\e[I'                    # focus in
t_say B "@dave while you look"
t_wait D "while you look"
[ "$(t_bell D)" = 0 ] || t_fail "the bell rang while the terminal had focus"
t_type D $'\e[O'                    # focus out
t_say B "@dave while you are away"
t_wait D "while you are away"
deadline=$((SECONDS + 10))
until [ "$(t_bell D)" = 1 ]; do
  [ $SECONDS -ge $deadline ] && t_fail "the mention did not ring once focus was lost"
  sleep 0.1
done
t_pass "notify_when = unfocused: quiet while focused, rings once focus is lost"
