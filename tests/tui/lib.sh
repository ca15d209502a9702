# Helpers for the terminal UI tests: a real confabd, confab clients in a
# private tmux server, keys sent with send-keys and the screen read with
# capture-pane. Every wait has a deadline; everything started is ended by
# PID (confabd) or by killing the private tmux server.
set -u

: "${CONFABD:?CONFABD must point at the confabd binary}"
: "${CONFAB:?CONFAB must point at the confab binary}"

T_DIR=$(mktemp -d /tmp/confab-tui-XXXXXX)
T_TMUX="tmux -L confab-tui-$$ -f /dev/null"
T_SERVER_PID=""
T_PORT=""
T_FAILED=0

# The PIDs below PID: its children, theirs, and so on.
t_descendants() {
  local c
  for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    echo "$c"
    t_descendants "$c"
  done
}

t_cleanup() {
  local pids="" p
  for p in $($T_TMUX list-panes -a -F '#{pane_pid}' 2>/dev/null); do
    pids="$pids $p $(t_descendants "$p")"
  done
  $T_TMUX kill-server >/dev/null 2>&1
  [ -n "$T_SERVER_PID" ] && kill -9 "$T_SERVER_PID" 2>/dev/null
  [ -n "$T_SERVER_PID" ] && wait "$T_SERVER_PID" 2>/dev/null
  # The clients end on the tmux server's hangup, a moment later: wait for
  # each (by PID), so that none still writes its state when the directory
  # goes; one that hangs on is killed.
  local deadline=$((SECONDS + 10))
  for p in $pids; do
    while kill -0 "$p" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        kill -9 "$p" 2>/dev/null
        break
      fi
      sleep 0.05
    done
  done
  if [ "$T_FAILED" = 0 ] && [ -z "${CONFAB_KEEP_TEST_DIRS:-}" ]; then
    rm -rf "$T_DIR" || rm -rf "$T_DIR"
  else
    echo "test files kept in $T_DIR" >&2
  fi
}
trap t_cleanup EXIT

t_fail() {
  T_FAILED=1
  echo "FAIL: $*" >&2
  for p in $($T_TMUX list-panes -a -F '#{session_name}' 2>/dev/null); do
    echo "---- screen of $p" >&2
    $T_TMUX capture-pane -p -t "$p" >&2
  done
  exit 1
}

# Starts confabd; with an argument, on that port (a restart).
t_server_start() {
  local port=${1:-0}
  rm -f "$T_DIR/port"
  local auth="--auth none"   # tests that want accounts say --auth accounts
  case " ${T_SERVER_ARGS:-} " in *" --auth "*) auth="" ;; esac
  "$CONFABD" --listen "127.0.0.1:$port" --db "$T_DIR/confab.db" \
    --port-file "$T_DIR/port" $auth ${T_SERVER_ARGS:-} >>"$T_DIR/confabd.log" 2>&1 &
  T_SERVER_PID=$!
  local deadline=$((SECONDS + 10))
  while [ ! -s "$T_DIR/port" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "confabd did not start"
    kill -0 "$T_SERVER_PID" 2>/dev/null || t_fail "confabd exited (port $port busy?)"
    sleep 0.05
  done
  T_PORT=$(cat "$T_DIR/port")
}

t_server_stop() {
  kill -TERM "$T_SERVER_PID"
  wait "$T_SERVER_PID" 2>/dev/null
  T_SERVER_PID=""
}

# t_client NAME USER [extra confab args]: a client in its own tmux session
# with its own HOME (state, config) so clients never share files; to
# wss:// when T_SCHEME=wss (a server started with --tls-cert).
t_client() {
  local name=$1 user=$2; shift 2
  local home="$T_DIR/home-$user"
  mkdir -p "$home"
  $T_TMUX new-session -d -s "$name" -x "${T_COLS:-120}" -y "${T_ROWS:-32}" \
    "env HOME=$home XDG_STATE_HOME=$home/state XDG_CONFIG_HOME=$home/config \
     XDG_DATA_HOME=$home/data \
     TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
     $CONFAB --server ${T_SCHEME:-ws}://127.0.0.1:$T_PORT/ --user $user $*; \
     echo confab-exited-\$?; sleep 600"
  # The server outlives its last session, so that a client started right
  # after another's kill-session never meets a server on its way out.
  $T_TMUX set-option -s exit-empty off
}

t_screen() {
  $T_TMUX capture-pane -p -t "$1"
}

# t_wait NAME TEXT [seconds]: until the screen shows TEXT (fixed string).
t_wait() {
  local name=$1 text=$2 limit=${3:-10}
  local deadline=$((SECONDS + limit))
  while ! t_screen "$name" | grep -qF -- "$text"; do
    [ $SECONDS -ge $deadline ] && t_fail "$name never showed \"$text\""
    sleep 0.1
  done
}

# t_wait_ok NAME TEXT seconds: like t_wait, but false at the deadline
# rather than a failure, for a step the test may take again.
t_wait_ok() {
  local deadline=$((SECONDS + $3))
  while ! t_screen "$1" | grep -qF -- "$2"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

# t_wait_re NAME REGEX [seconds]: until a screen line matches REGEX (ERE).
t_wait_re() {
  local name=$1 re=$2 limit=${3:-10}
  local deadline=$((SECONDS + limit))
  while ! t_screen "$name" | grep -qE -- "$re"; do
    [ $SECONDS -ge $deadline ] && t_fail "$name never showed a line like /$re/"
    sleep 0.1
  done
}

# t_wait_gone NAME TEXT [seconds]: until the screen no longer shows TEXT.
t_wait_gone() {
  local name=$1 text=$2 limit=${3:-10}
  local deadline=$((SECONDS + limit))
  while t_screen "$name" | grep -qF -- "$text"; do
    [ $SECONDS -ge $deadline ] && t_fail "$name still shows \"$text\""
    sleep 0.1
  done
}

# t_wait_selected NAME TEXT [seconds]: until a line holding TEXT is drawn
# reversed (the message cursor's selection, a jump's mark).
t_wait_selected() {
  local name=$1 text=$2 limit=${3:-10}
  local deadline=$((SECONDS + limit))
  while ! $T_TMUX capture-pane -e -p -t "$name" | grep -F -- "$text" |
      grep -qE $'\e\\[([0-9;]*;)?7[;m]'; do
    [ $SECONDS -ge $deadline ] && t_fail "$name never selected \"$text\""
    sleep 0.1
  done
}

# t_count NAME TEXT: how many screen lines hold TEXT.
t_count() {
  t_screen "$1" | grep -cF -- "$2"
}

t_type() {
  $T_TMUX send-keys -t "$1" -l -- "$2"
}

t_key() {
  $T_TMUX send-keys -t "$1" "$2"
}

t_say() {
  t_type "$1" "$2"
  t_key "$1" Enter
}

t_pass() {
  echo "ok - $1"
}
