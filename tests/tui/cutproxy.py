#!/usr/bin/env python3
"""A TCP proxy in front of confabd that breaks one connection on purpose.

  cutproxy.py DIR TARGET_PORT drop-ack   the first ACK of a document edit
                                         is not passed on: the connection is
                                         cut instead (DIR/cut is made); later
                                         connections pass through
  cutproxy.py DIR TARGET_PORT hold       after the first DOC_STATE, what the
                                         client sends waits (DIR/held is
                                         made) until DIR/release exists
  cutproxy.py DIR TARGET_PORT pass       passes everything through

It listens on 127.0.0.1, on LISTEN_PORT when given as a fourth argument
(the same proxy again), else a free one; the port goes to DIR/proxy-port. Frames
from the server are not masked, so their JSON can be read in the stream.
"""
import os
import re
import socket
import sys
import threading
import time

ACK = re.compile(rb'"type":"ACK"[^}]*"doc"|"doc"[^}]*"type":"ACK"')


def main():
    d, target, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    listen = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    state = {"done": False, "seen_state": False}
    lock = threading.Lock()

    def mark(name):
        open(os.path.join(d, name), "w").close()

    def close(*socks):
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def down(client, server):  # server -> client
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                with lock:
                    first = not state["done"]
                    if first and mode == "drop-ack" and ACK.search(data):
                        state["done"] = True
                        mark("cut")
                        close(client, server)
                        return
                    if first and mode == "hold" and b'"DOC_STATE"' in data:
                        state["seen_state"] = True
                client.sendall(data)
        except OSError:
            pass
        close(client, server)

    def up(client, server):  # client -> server
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if mode == "hold" and state["seen_state"] and not state["done"]:
                    mark("held")
                    while not os.path.exists(os.path.join(d, "release")):
                        time.sleep(0.02)
                    state["done"] = True
                server.sendall(data)
        except OSError:
            pass
        close(client, server)

    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", listen))
    ls.listen(16)
    tmp = os.path.join(d, "proxy-port.tmp")
    with open(tmp, "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(tmp, os.path.join(d, "proxy-port"))
    while True:
        client, _ = ls.accept()
        try:
            server = socket.create_connection(("127.0.0.1", target))
        except OSError:
            client.close()
            continue
        threading.Thread(target=down, args=(client, server), daemon=True).start()
        threading.Thread(target=up, args=(client, server), daemon=True).start()


if __name__ == "__main__":
    main()
