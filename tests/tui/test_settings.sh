#!/usr/bin/env bash
# Settings: the config file (idle away), live theme switching, a broken
# theme reported by file and line, and a bad config line refused.
. "$(dirname "$0")/lib.sh"

t_server_start
mkdir -p "$T_DIR/home-alice/config/confab/themes"
cat >"$T_DIR/home-alice/config/confab/config" <<CONF
# goes away after one idle second
away_after = 1
CONF
printf 'normal = fg:red\ntext = fg:chartreuse\n' \
  >"$T_DIR/home-alice/config/confab/themes/broken.theme"

t_client B bob --room lobby
t_wait B "connected"
t_client A alice --room lobby
t_wait A "connected"
t_wait B "idle" 10
t_pass "idle for away_after seconds sets away"
t_type A "x"
t_wait_gone B "idle" 10
t_key A C-u
t_pass "input brings alice back online"

t_say A "/theme light"
t_wait A "theme light"
t_say A "/theme broken"
t_wait A "broken.theme:2:"
t_say A "/theme nosuch"
t_wait A "theme nosuch not found"
t_pass "themes switch live; a broken one is reported with its line"

mkdir -p "$T_DIR/home-carol/config/confab"
printf 'room = lobby\nthis line is wrong\n' >"$T_DIR/home-carol/config/confab/config"
t_client C carol
t_wait C "config:2:"
t_wait C "confab-exited-2"
t_pass "a bad config line stops confab with file and line"
