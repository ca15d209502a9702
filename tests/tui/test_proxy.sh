#!/usr/bin/env bash
# confab behind a real nginx (started here on loopback: its own prefix,
# config, pid file and logs in the test's directory, stopped by PID):
# configured without Upgrade forwarding, confab falls back to Server-Sent
# Events by itself, says "connected (sse)" and a message crosses both ways
# with a client connected directly; with the proxy buffering responses
# (X-Accel-Buffering ignored), the event stream brings nothing within the
# heartbeat interval and confab goes on to long polling,
# "connected (poll)".
. "$(dirname "$0")/lib.sh"

NGINX=${NGINX:-nginx}
P_PID=""
p_stop() {
  [ -n "$P_PID" ] || return 0
  kill -TERM "$P_PID" 2>/dev/null
  local deadline=$((SECONDS + 5))
  while kill -0 "$P_PID" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && { kill -9 "$P_PID" 2>/dev/null; break; }
    sleep 0.05
  done
  wait "$P_PID" 2>/dev/null
  P_PID=""
}
trap 'p_stop; t_cleanup' EXIT

# p_start MODE: nginx in front of confabd on a free port (P_PORT); MODE
# is "plain" or "buffered".
p_start() {
  local d="$T_DIR/nginx-$1" how="proxy_buffering off;"
  [ "$1" = buffered ] &&
    how="proxy_buffering on; proxy_ignore_headers X-Accel-Buffering;"
  mkdir -p "$d"
  P_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local user=""
  [ "$(id -u)" = 0 ] && user="user root;"
  cat >"$d/nginx.conf" <<CONF
$user
worker_processes 1;
error_log $d/error.log info;
pid $d/nginx.pid;
events { worker_connections 64; }
http {
  access_log $d/access.log;
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  server {
    listen 127.0.0.1:$P_PORT;
    location / {
      proxy_pass http://127.0.0.1:$T_PORT;
      proxy_set_header Host \$http_host;
      proxy_read_timeout 60s;
      $how
    }
  }
}
CONF
  "$NGINX" -p "$d" -c "$d/nginx.conf" -g 'daemon off;' >>"$d/stderr.log" 2>&1 &
  P_PID=$!
  local deadline=$((SECONDS + 5))
  until (exec 3<>"/dev/tcp/127.0.0.1/$P_PORT") 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && t_fail "nginx did not start: $(cat "$d/stderr.log")"
    kill -0 "$P_PID" 2>/dev/null || t_fail "nginx exited: $(cat "$d/stderr.log")"
    sleep 0.05
  done
}

# t_client to the proxy rather than to confabd.
p_client() {
  local port=$T_PORT
  T_PORT=$P_PORT
  t_client "$@"
  T_PORT=$port
}

t_server_start
t_client B bob --room lobby
t_wait B "connected" 15

p_start plain
p_client A alice --room lobby
t_wait A "connected (sse)" 20
t_say A "through the proxy"
t_wait B "through the proxy" 10
t_say B "back through it"
t_wait A "back through it" 10
# (the stream is still open: nginx logs a request when it ends)
grep -q 'GET / HTTP' "$T_DIR/nginx-plain/access.log" ||
  t_fail "no refused upgrade through nginx"
t_pass "behind a proxy without Upgrade forwarding: SSE, both ways"
$T_TMUX kill-session -t A
p_stop

p_start buffered
p_client A2 alice --room lobby
# the stream stays silent for the heartbeat interval (15 s) before the fall
t_wait A2 "connected (poll)" 45
t_say A2 "polled through"
t_wait B "polled through" 10
t_say B "back to the poller"
t_wait A2 "back to the poller" 10
grep -q 'GET /poll' "$T_DIR/nginx-buffered/access.log" ||
  t_fail "no /poll through nginx"
t_pass "behind a buffering proxy: long polling, both ways"
