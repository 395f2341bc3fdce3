#!/usr/bin/env python3
"""WebSocket client scenarios against Felt's network front (driven by FeltNetTests).

Usage: net_ws_client.py PORT SCENARIO [HOST]
Prints "OK <scenario>" and exits 0 on success; prints the reason and exits 1 otherwise.
"""
import base64
import os
import socket
import struct
import sys
import threading
import time

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

PORT = int(sys.argv[1])
SCENARIO = sys.argv[2]
HOST = sys.argv[3] if len(sys.argv) > 3 else "club.test"


def fail(message):
    print(f"FAIL {SCENARIO}: {message}")
    sys.exit(1)


def ws(path="/ws/echo?name=py", host=HOST, **kwargs):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    return connect(f"ws://{host}:{PORT}{path}", sock=sock, open_timeout=10, close_timeout=5, **kwargs)


def expect_close(conn, code):
    try:
        while True:
            conn.recv(timeout=10)
    except ConnectionClosed as closed:
        got = closed.rcvd.code if closed.rcvd else None
        if got != code:
            fail(f"expected close {code}, got {got} ({closed})")
        return
    except TimeoutError:
        fail(f"expected close {code}, got nothing")


# --- raw-socket helpers for frames the library refuses to send ---------------------------

def raw_handshake(path="/ws/echo"):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            fail("connection closed during handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        fail(f"handshake refused: {head[:80]!r}")
    return sock, head.split(b"\r\n\r\n", 1)[1]


def raw_frame(opcode, payload, fin=True, mask=True):
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, (0x80 if mask else 0) | n)
    elif n < 65536:
        header = struct.pack("!BBH", first, (0x80 if mask else 0) | 126, n)
    else:
        header = struct.pack("!BBQ", first, (0x80 if mask else 0) | 127, n)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def raw_read_frames(sock, leftover=b"", until_close=True, timeout=10):
    """Reads frames until a close frame (or EOF); returns [(opcode, payload)]."""
    sock.settimeout(timeout)
    data = leftover
    frames = []
    while True:
        while len(data) >= 2:
            opcode = data[0] & 0x0F
            n = data[1] & 0x7F
            offset = 2
            if n == 126:
                if len(data) < 4:
                    break
                n = struct.unpack("!H", data[2:4])[0]
                offset = 4
            elif n == 127:
                if len(data) < 10:
                    break
                n = struct.unpack("!Q", data[2:10])[0]
                offset = 10
            if len(data) < offset + n:
                break
            frames.append((opcode, data[offset:offset + n]))
            data = data[offset + n:]
            if opcode == 8 and until_close:
                return frames
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return frames
        if not chunk:
            return frames
        data += chunk


def close_code(frames):
    for opcode, payload in frames:
        if opcode == 8:
            return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
    return "no close frame"


# --- scenarios ---------------------------------------------------------------------------

def scenario_echo():
    with ws() as conn:
        conn.send("hello")
        if conn.recv(timeout=5) != "hello":
            fail("text echo")
        conn.send(["frag", "ment", "ed ☃"])  # one message in three fragments
        if conn.recv(timeout=5) != "fragmented ☃":
            fail("fragmented echo")
        conn.send(b"\x00\x01binary")
        if conn.recv(timeout=5) != b"\x00\x01binary":
            fail("binary echo")
        for i in range(200):
            conn.send(f"m{i}")
        got = [conn.recv(timeout=5) for _ in range(200)]
        if got != [f"m{i}" for i in range(200)]:
            fail("messages out of order")
        pong = conn.ping(b"abc")
        if not pong.wait(5):
            fail("no pong")
        conn.close(code=1000, reason="bye")
        if conn.close_code != 1000:
            fail(f"close echo: {conn.close_code}")


def scenario_path_and_query():
    with ws(path="/ws/echo?name=ada%20l") as conn:
        conn.send("whoami")
        if conn.recv(timeout=5) != "name=ada l":
            fail("query not seen by the route handler")


def scenario_server_close_code():
    with ws() as conn:
        conn.send("close:4001")
        expect_close(conn, 4001)


def scenario_too_big():
    with ws(max_size=None) as conn:
        conn.send("x" * 70000)
        expect_close(conn, 1009)


def scenario_invalid_utf8():
    sock, rest = raw_handshake()
    sock.sendall(raw_frame(1, b"ok \xff\xfe"))
    code = close_code(raw_read_frames(sock, rest))
    if code != 1007:
        fail(f"expected 1007, got {code}")


def scenario_unmasked():
    sock, rest = raw_handshake()
    sock.sendall(raw_frame(1, b"hi", mask=False))
    code = close_code(raw_read_frames(sock, rest))
    if code != 1002:
        fail(f"expected 1002, got {code}")


def scenario_interleaved_control():
    sock, rest = raw_handshake()
    sock.sendall(raw_frame(1, b"one ", fin=False) + raw_frame(9, b"p") + raw_frame(0, b"two", fin=True))
    frames = raw_read_frames(sock, rest, until_close=False, timeout=2)
    opcodes = [(op, payload) for op, payload in frames]
    if (10, b"p") not in opcodes or (1, b"one two") not in opcodes:
        fail(f"frames: {opcodes}")


def scenario_unknown_host():
    try:
        with ws(host="nobody.test"):
            fail("upgrade to an unknown host was accepted")
    except InvalidStatus as refused:
        if refused.response.status_code != 404 or b"unknown_tenant" not in refused.response.body:
            fail(f"status {refused.response.status_code} body {refused.response.body!r}")


def scenario_refused():
    try:
        with ws(path="/ws/private"):
            fail("refused route accepted")
    except InvalidStatus as refused:
        if refused.response.status_code != 401 or b"unauthorized" not in refused.response.body:
            fail(f"status {refused.response.status_code}")


def scenario_bad_version():
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    sock.sendall((f"GET /ws/echo HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").encode())
    reply = sock.recv(4096)
    if not reply.startswith(b"HTTP/1.1 426") or b"Sec-WebSocket-Version: 13" not in reply:
        fail(f"reply {reply[:200]!r}")
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    sock.sendall((f"GET /ws/echo HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    reply = sock.recv(4096)
    if not reply.startswith(b"HTTP/1.1 400"):
        fail(f"reply {reply[:200]!r}")


def scenario_keepalive_ping():
    # The library answers the server's pings: the connection outlives several ping intervals.
    with ws(ping_interval=None) as conn:
        time.sleep(1.5)
        conn.send("still here")
        if conn.recv(timeout=5) != "still here":
            fail("connection did not survive server pings")


def scenario_silent_peer():
    # A peer that never answers pings is closed by the server.
    sock, rest = raw_handshake()
    started = time.time()
    frames = raw_read_frames(sock, rest, until_close=True, timeout=10)
    pings = [f for f in frames if f[0] == 9]
    if not pings:
        fail(f"no ping before close: {frames}")
    if close_code(frames) != 1001:
        fail(f"expected close 1001, got {close_code(frames)}")
    if time.time() - started > 8:
        fail("took too long")


def scenario_broadcast():
    conns = [ws(path="/ws/room") for _ in range(20)]
    for conn in conns:
        if conn.recv(timeout=5) != "joined":
            fail("no join ack")
    conns[0].send("broadcast:hello all")
    for conn in conns:
        if conn.recv(timeout=5) != "hello all":
            fail("broadcast not received")
    for conn in conns:
        conn.close()


def scenario_slow_reader():
    # Asks for a flood of messages and never reads: the server must drop the connection
    # (the Swift side watches the server's connection count while this sleeps).
    sock, _ = raw_handshake()
    sock.sendall(raw_frame(1, b"flood"))
    time.sleep(2)
    # Now read: a server that buffered everything would deliver all 24 MB; one that
    # dropped the reader delivers what the socket buffers held, then EOF or a reset.
    sock.settimeout(3)
    total = 0
    ended = False
    try:
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                ended = True
                break
            total += len(chunk)
    except ConnectionResetError:
        ended = True
    except socket.timeout:
        pass
    if not ended or total >= 400 * 60000:
        fail(f"server kept the connection (read {total} bytes, ended={ended})")


def scenario_shutdown():
    with ws() as conn:
        conn.send("shutdown")
        expect_close(conn, 1001)


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in globals().items() if name.startswith("scenario_")}

if __name__ == "__main__":
    if SCENARIO not in SCENARIOS:
        fail(f"unknown scenario; one of {sorted(SCENARIOS)}")
    SCENARIOS[SCENARIO]()
    print(f"OK {SCENARIO}")
