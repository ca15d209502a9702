# Helpers for the document pane tests, on top of lib.sh: open a document
# full width, read the pane's text off the screen, read the server's text
# with doctool (through confabd, as a client would see it).
: "${DOCTOOL:?DOCTOOL must point at the doctool binary}"

T_COLS=${T_COLS:-120}
T_ROWS=${T_ROWS:-32}

# d_open NAME DOC: opens DOC in NAME's current room, hides the side panes
# and shows the document instead of the messages; the pane has the keys.
d_open() {
  t_say "$1" "/doc $2"
  t_wait "$1" "doc $2 rev"
  t_key "$1" F2
  t_key "$1" F4
  t_wait "$1" "F3 chat"
}

# d_pane NAME: the document's text as NAME's pane shows it (rows under the
# title and above the message line, without the left margin and the names'
# column, trailing blanks dropped). Lines must be shorter than the pane for this to be the text.
d_pane() {
  t_screen "$1" | sed -n "2,$((T_ROWS - 3))p" | cut -c2-$((T_COLS - 8)) |
    sed 's/ *$//' |
    awk '{ l[NR] = $0; if ($0 != "") n = NR } END { for (i = 1; i <= n; i++) print l[i] }'
}

# d_text DOC: the head's text on the server.
d_text() {
  "$DOCTOOL" "$T_PORT" lobby "$1" text || t_fail "doctool could not read $1"
}

# d_wait_text DOC TEXT: until the server's text of DOC is TEXT (an edit a
# key made may not have reached it yet).
d_wait_text() {
  local deadline=$((SECONDS + 20))
  until [ "$(d_text "$1")" = "$2" ]; do
    [ $SECONDS -ge $deadline ] && t_fail "$1 never read \"$2\": $(d_text "$1")"
    sleep 0.1
  done
}

# d_converge DOC NAME...: until every pane shows the server's text and
# says synced.
d_converge() {
  local doc=$1; shift
  local deadline=$((SECONDS + 20)) n
  while :; do
    local want ok=1
    want=$(d_text "$doc" | sed 's/ *$//')
    for n in "$@"; do
      t_screen "$n" | grep -qF "synced" || ok=0
      [ "$(d_pane "$n")" = "$want" ] || ok=0
    done
    [ $ok = 1 ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      echo "server text:" >&2; printf '%s\n' "$want" >&2
      for n in "$@"; do echo "pane of $n:" >&2; d_pane "$n" >&2; done
      t_fail "the panes did not converge on the server's text"
    fi
    sleep 0.2
  done
}

# d_count TEXT NEEDLE: how many times NEEDLE occurs in TEXT.
d_count() {
  printf '%s' "$1" | grep -oF -- "$2" | wc -l
}
