"""Small shared client for Felt's HTTP + WebSocket table protocol (issue 6), used by the
end-to-end scenarios in Tests/python/e2e_tables.py and the live scenarios in
live_tables.py and live_sessions.py; server_auth.py shares its expect, unique and PASSWORD.

Every request goes to one listener (127.0.0.1:PORT) and names its tenant with the Host
header; WebSockets are opened on a socket connected to 127.0.0.1 with the tenant host in
the URI, so the handshake's Host header picks the tenant too.
"""
import json
import secrets
import socket
import time

import httpx
from websockets.sync.client import connect as ws_connect

PASSWORD = "correct horse battery"


class Failure(AssertionError):
    """A scenario assertion that failed; the message says what was observed."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def unique(prefix):
    return f"{prefix}{secrets.token_hex(4)}"


class User:
    def __init__(self, tenant, username, token, user_id, password=PASSWORD):
        self.tenant = tenant
        self.username = username
        self.token = token
        self.user_id = user_id
        self.password = password

    def __repr__(self):
        return f"User({self.username}@{self.tenant.host})"


class Tenant:
    """One club reached through the shared listener by its host name."""

    def __init__(self, port, host, timeout=15.0):
        self.port = port
        self.host = host
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=timeout)

    # MARK: raw calls

    def call(self, method, path, body=None, token=None, headers=None):
        sent = {"Host": self.host}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if headers:
            sent.update(headers)
        content = None
        if body is not None:
            content = json.dumps(body)
            sent["Content-Type"] = "application/json"
        return self.http.request(method, path, headers=sent, content=content)

    # MARK: accounts

    def register(self, prefix="p"):
        username = unique(prefix)
        response = self.call("POST", "/api/auth/register", {"username": username, "password": PASSWORD})
        body = expect(response, 201, what=f"register {username} on {self.host}")
        user = body.get("user") or {}
        return User(self, username, body["access_token"], user.get("id"))

    def login(self, username, password=PASSWORD):
        response = self.call("POST", "/api/auth/login", {"username": username, "password": password})
        body = expect(response, 200, what=f"login {username} on {self.host}")
        user = body.get("user") or {}
        return User(self, username, body["access_token"], user.get("id"), password)

    # MARK: wallet

    def balance(self, user):
        body = expect(self.call("GET", "/api/wallet", token=user.token), 200, what=f"wallet of {user.username}")
        check(isinstance(body.get("balance"), int), f"wallet body has no integer balance: {body}")
        return body["balance"]

    def ledger(self, user, limit=100):
        body = expect(self.call("GET", f"/api/wallet/ledger?limit={limit}", token=user.token), 200,
                      what=f"ledger of {user.username}")
        entries = body.get("entries")
        check(isinstance(entries, list), f"ledger body has no entries list: {body}")
        return entries

    def wait_balance(self, user, expected, seconds=10.0):
        """Polls the wallet until it shows `expected`; fails with the last value seen."""
        deadline = time.monotonic() + seconds
        seen = None
        while time.monotonic() < deadline:
            seen = self.balance(user)
            if seen == expected:
                return seen
            time.sleep(0.1)
        raise Failure(f"wallet of {user.username} is {seen}, expected {expected} within {seconds}s")

    # MARK: tables

    def lobby(self, user):
        body = expect(self.call("GET", "/api/tables", token=user.token), 200, what="lobby")
        tables = body.get("tables") if isinstance(body, dict) else body
        check(isinstance(tables, list), f"lobby is not a list of tables: {body}")
        return tables

    def table(self, user, table_id):
        return expect(self.call("GET", f"/api/tables/{table_id}", token=user.token), 200, what=f"table {table_id}")

    def anonymous_table(self, table_id):
        """The table detail as a caller without a token sees it."""
        return expect(self.call("GET", f"/api/tables/{table_id}"), 200, what=f"table {table_id}")

    def join(self, user, table_id, amount, key=None, passphrase=None):
        body = {"buy_in_amount": amount}
        if passphrase is not None:
            body["passphrase"] = passphrase
        headers = {"Idempotency-Key": key} if key else None
        return self.call("POST", f"/api/tables/{table_id}/join", body, token=user.token, headers=headers)

    def join_ok(self, user, table_id, amount, key=None):
        body = expect(self.join(user, table_id, amount, key), 200, what=f"join {table_id} by {user.username}")
        for field in ("table_id", "seat", "stack", "balance"):
            check(field in body, f"join response lacks {field}: {body}")
        check(body["stack"] == amount, f"join stack {body['stack']} != buy-in {amount}")
        return body

    def leave(self, user, table_id, key=None):
        headers = {"Idempotency-Key": key} if key else None
        return self.call("POST", f"/api/tables/{table_id}/leave", {}, token=user.token, headers=headers)

    def seated_usernames(self, user, table_id):
        detail = self.table(user, table_id)
        seats = detail.get("seat_map")
        check(isinstance(seats, list), f"table detail without a seat_map list: {detail}")
        names = set()
        for seat in seats:
            if isinstance(seat, dict) and seat.get("username"):
                names.add(seat["username"])
        return names

    def ws(self, user, table_id):
        return TableSocket(self.port, self.host, table_id, user.token)

    def raw_post_then_close(self, path, body, token, key):
        """Sends a POST and closes the connection without reading the reply: the response is lost."""
        payload = json.dumps(body).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                f"Idempotency-Key: {key}\r\n\r\n").encode()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(head + payload)
        sock.close()


def expect(response, status, code=None, what="request"):
    try:
        body = response.json()
    except ValueError:
        body = None
    check(response.status_code == status,
          f"{what}: expected HTTP {status} {code or ''}, got {response.status_code}: {response.text[:500]}")
    if code is not None:
        check(isinstance(body, dict) and body.get("code") == code, f"{what}: expected code {code}, got {response.text[:500]}")
        check(isinstance(body.get("error"), str) and body["error"], f"{what}: error sentence missing: {response.text[:500]}")
    return body


class TableSocket:
    """A WebSocket to /ws/table/{id}: JSON messages in, the newest game view kept."""

    def __init__(self, port, host, table_id, token):
        self.table_id = table_id
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.conn = ws_connect(f"ws://{host}:{port}/ws/table/{table_id}?token={token}", sock=sock,
                               proxy=None, compression=None, open_timeout=10, ping_interval=None,
                               max_size=1 << 20)
        self.view = None
        self.messages = []  # everything received, in order
        self.closed = False

    def send(self, message):
        self.conn.send(json.dumps(message))

    def action(self, kind, amount=None):
        action = {"type": kind}
        if amount is not None:
            action["amount"] = amount
        self.send({"type": "action", "action": action})

    def recv(self, timeout):
        """The next message (dict) or None on timeout."""
        try:
            raw = self.conn.recv(timeout=timeout)
        except TimeoutError:
            return None
        message = json.loads(raw)
        self.messages.append(message)
        if message.get("type") == "game_view":
            if self.view is not None:
                check(message["seq"] > self.view["seq"],
                      f"game_view seq went from {self.view['seq']} to {message['seq']}")
            self.view = message
        return message

    def wait(self, predicate, seconds=10.0, what="message"):
        """Reads until `predicate(message)` holds; returns that message."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            check(left > 0, f"{what}: not received on table {self.table_id} within {seconds}s; "
                            f"last view: {json.dumps(self.view)[:800] if self.view else None}")
            message = self.recv(min(left, 0.5))
            if message is not None and predicate(message):
                return message

    def wait_view(self, predicate, seconds=10.0, what="game_view"):
        return self.wait(lambda m: m.get("type") == "game_view" and predicate(m), seconds, what)

    def wait_error(self, code, seconds=5.0):
        message = self.wait(lambda m: m.get("type") == "error", seconds, f"error {code}")
        check(message.get("code") == code, f"expected error {code}, got {message}")
        check(isinstance(message.get("message"), str) and message["message"], f"error without message: {message}")
        return message

    def wait_closed(self, seconds):
        """Reads until the connection ends (e.g. the server died); fails if it stays open."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.recv(0.5)
            except Exception:
                self.closed = True
                return
        raise Failure(f"the connection to table {self.table_id} stayed open for {seconds}s")

    def drain(self, seconds=0.05):
        while self.recv(seconds) is not None:
            pass

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.conn.close()
            except Exception:
                pass


def player(view, seat):
    for entry in view.get("players") or []:
        if entry.get("seat") == seat:
            return entry
    return None


def my_turn(view):
    return (view.get("status") == "playing" and view.get("your_seat") is not None
            and view.get("seat_to_act") == view.get("your_seat") and view.get("legal_actions") is not None)


def passive_action(legal):
    """Check when possible, else call: keeps every hand going to showdown."""
    if legal.get("can_check"):
        return ("check", None)
    return ("call", None)
