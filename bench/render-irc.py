#!/usr/bin/env python3
"""render-irc.py DIR: the IRC side of bench/render.sh CLIENT=irssi.

Plays just enough of an IRC server on loopback for one client: it
registers it, answers PING, echoes its JOIN of #bench and then, for each
"COUNT RATE SIZE" line written to DIR/ctl, sends COUNT channel messages of
SIZE bytes from another user at RATE a second, each written by itself at
its time on a fixed schedule (as confabd delivers bench/loadgen's), then
creates DIR/sent. The port it listens on goes to
DIR/port. It stops when the client goes away.
"""
import os
import selectors
import socket
import sys
import time


def main():
    d = sys.argv[1]
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    with open(os.path.join(d, "port.tmp"), "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
    conn, _ = ls.accept()
    conn.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(conn, selectors.EVENT_READ)
    out = bytearray()
    buf = b""
    nick = "reader"
    plan = None  # (count, rate, size, start, sent)
    serial = 0

    def say(line):
        out.extend(line.encode() + b"\r\n")

    while True:
        timeout = 0.05
        if plan is not None:  # the next message, on its own, on time
            next_at = plan[3] + plan[4] / plan[1]
            timeout = max(0.0, next_at - time.monotonic())
        for _key, _ev in sel.select(timeout):
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            words = raw.decode(errors="replace").strip().split(" ")
            cmd = words[0].upper() if words else ""
            if cmd == "CAP" and len(words) > 1 and words[1].upper() == "LS":
                say(":bench CAP * LS :")
            elif cmd == "NICK" and len(words) > 1:
                nick = words[1]
            elif cmd == "USER":
                say(f":bench 001 {nick} :Welcome to the render bench")
                say(f":bench 002 {nick} :Your host is bench")
                say(f":bench 003 {nick} :This server was created today")
                say(f":bench 004 {nick} bench 1.0 o o")
                say(f":bench 422 {nick} :MOTD File is missing")
            elif cmd == "PING":
                say(f":bench PONG bench {' '.join(words[1:])}")
            elif cmd == "JOIN":
                say(f":{nick}!r@localhost JOIN :#bench")
                say(f":bench 353 {nick} = #bench :{nick} sender")
                say(f":bench 366 {nick} #bench :End of /NAMES list.")
            elif cmd == "QUIT":
                return
        ctl = os.path.join(d, "ctl")
        if plan is None and os.path.exists(ctl):
            with open(ctl) as f:
                count, rate, size = (int(x) for x in f.read().split())
            os.unlink(ctl)
            plan = [count, rate, size, time.monotonic(), 0]
        if plan is not None:
            count, rate, size, start, sent = plan
            due = min(count, int((time.monotonic() - start) * rate) + 1)
            if sent < due:
                serial += 1
                text = str(time.monotonic_ns())
                text += ":" + "0" * max(0, size - len(text) - 1)
                say(f":sender!s@localhost PRIVMSG #bench :{text}")
                sent += 1
            plan[4] = sent
            if sent == count:
                plan = None
                open(os.path.join(d, "sent"), "w").close()
        while out:
            try:
                n = conn.send(out)
            except BlockingIOError:
                sel.modify(conn, selectors.EVENT_READ)
                time.sleep(0.001)
                continue
            del out[:n]


if __name__ == "__main__":
    main()
