#!/usr/bin/env bash
# Messages typed while the server is down wait, pending, with the retry
# countdown on the status line; when it is back they are delivered, each
# exactly once and in order.
. "$(dirname "$0")/lib.sh"

t_server_start
port=$T_PORT
t_client A alice --room lobby
t_client B bob --room lobby
t_wait A "connected"
t_wait B "connected"

t_server_stop
t_wait A "retry in" 15
t_say A "first while down"
t_say A "second while down"
t_say A "third while down"
t_wait A "3 pending"
t_wait A "third while down"
t_pass "three messages pending, the status line counts them and the retry"

t_server_start "$port"
# either the automatic retry or /reconnect brings both back
t_say B "/reconnect"
t_wait A "connected" 40
t_wait_gone A "pending" 15
t_wait B "third while down" 15
for m in "first while down" "second while down" "third while down"; do
  [ "$(t_count B "$m")" = 1 ] || t_fail "B shows \"$m\" $(t_count B "$m") times"
done
t_screen B | grep -nF "while down" | cut -d: -f1 | sort -n -c ||
  t_fail "the three messages are out of order"
order=$(t_screen B | grep -oE "(first|second|third) while down" | tr '\n' ' ')
[ "$order" = "first while down second while down third while down " ] ||
  t_fail "order on B is: $order"
t_pass "after the restart B sees all three once, in order, and A's marks clear"
