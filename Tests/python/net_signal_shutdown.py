#!/usr/bin/env python3
"""SIGTERM → graceful shutdown of a real `felt` process (driven by FeltNetTests).

Usage: net_signal_shutdown.py FELT_EXECUTABLE
Starts `felt bench ws --autobahn-echo` on a free port, opens a WebSocket, sends the
process SIGTERM and expects: close code 1001 on the socket, then exit status 0.
Prints "OK signal_shutdown" on success.
"""
import signal
import socket
import subprocess
import sys
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect


def fail(message):
    print(f"FAIL signal_shutdown: {message}")
    sys.exit(1)


def main():
    felt = sys.argv[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([felt, "bench", "ws", "--autobahn-echo", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    fail("server did not start")
                time.sleep(0.1)
        with connect(f"ws://127.0.0.1:{port}/echo", open_timeout=10) as conn:
            conn.send("before")
            if conn.recv(timeout=5) != "before":
                fail("no echo")
            server.send_signal(signal.SIGTERM)
            try:
                conn.recv(timeout=10)
                fail("connection stayed open after SIGTERM")
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                if code != 1001:
                    fail(f"expected close 1001, got {code}")
        status = server.wait(timeout=15)
        if status != 0:
            fail(f"exit status {status}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            fail("still accepting after shutdown")
        except OSError:
            pass
        print("OK signal_shutdown")
    finally:
        if server.poll() is None:
            server.kill()


if __name__ == "__main__":
    main()
