"""Live-table session scenarios (issue 6) that the first live suite left open, against a
running `felt serve`, over real sockets and the server's real PostgreSQL database.

Usage: live_sessions.py SCENARIO --port N

The configuration is the one written by Tests/FeltServerTests/LiveSessionServer.swift:
club `aces` (aces.test, starting balance 10000) with tables nl-1..nl-5 (NLHE 5/10,
buy-in 200..2000, 30 s action timeout, no time bank, no rake) and bank-1 (2 s action
timeout, 2 s time bank, 500 ms refill per hand). Two servers run it: one with the default
`reconnect_grace` (the key is absent) and one with `reconnect_grace: 3s`.

The `in_flight_idempotency` scenario holds the user's wallet row locked with `psql` (the
database is named by the FELT_SESSIONS_DATABASE_URL environment variable), so the first join
is genuinely still running while its duplicates arrive.
Exits 0 when the scenario holds, 1 with the reason otherwise.
"""
import argparse
import glob
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time

from felt_client import Failure, Tenant, check, expect
from live_tables import ACES, START, me, sit

GRACE = 3.0
SCHEMA = "tenant_aces"
LOCKER = "livesessions_locker"


def kinds(club, user):
    body = expect(club.call("GET", "/api/wallet/ledger?limit=200", token=user.token), 200, what="ledger")
    return [e["kind"] for e in body["entries"]]


def seated_names(club, table):
    return [s["username"] for s in club.anonymous_table(table)["seat_map"]]


def wait_until(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while not predicate():
        check(time.monotonic() < deadline, f"{what}: not within {seconds}s")
        time.sleep(0.05)


def pump(sockets, until_time):
    """Reads (and records) every socket's messages until `until_time` (monotonic)."""
    while time.monotonic() < until_time:
        for s in sockets:
            s.recv(0.05)


def dealt_in_view(user):
    return lambda v: v["status"] == "playing" and v.get("your_seat") == user.seat and \
        len((me(v) or {}).get("cards") or []) == 2


def two_seated_dealt_in(club, table):
    """Two new players seated at `table` with 1000 each and a WebSocket each, once a hand
    has dealt the first one in: (first, second, first's socket, second's socket, that view)."""
    a, b = sit(club, table, 2, 1000)
    sa, sb = club.ws(a, table), club.ws(b, table)
    v = sa.wait_view(dealt_in_view(a), 15, "a hand with the player dealt in")
    return a, b, sa, sb, v


# MARK: database access for the in-flight case

def psql_binary():
    found = shutil.which("psql")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))
    check(candidates, "psql not found (PATH or /usr/lib/postgresql/*/bin)")
    return candidates[-1]


def conninfo():
    info = os.environ.get("FELT_SESSIONS_DATABASE_URL")
    check(info, "FELT_SESSIONS_DATABASE_URL is not set")
    return info


def sql(query):
    r = subprocess.run([psql_binary(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo(), "-c", query],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, f"psql {query!r}: {r.stderr}")
    return r.stdout.strip()


class WalletLock:
    """An open transaction holding `SELECT … FOR UPDATE` on one wallet row."""

    def __init__(self, username):
        self.rows = sql(f"SELECT count(*) FROM {SCHEMA}.ledger_accounts a JOIN {SCHEMA}.users u ON u.id = a.user_id "
                        f"WHERE a.kind = 'wallet' AND u.username = '{username}'")
        check(self.rows == "1", f"wallet rows of {username}: {self.rows}")
        # Named through PGAPPNAME, which works for key=value and URL connection strings alike.
        self.proc = subprocess.Popen([psql_binary(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo()],
                                     env=dict(os.environ, PGAPPNAME=LOCKER), stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.proc.stdin.write(f"""BEGIN;
SELECT a.id FROM {SCHEMA}.ledger_accounts a JOIN {SCHEMA}.users u ON u.id = a.user_id
 WHERE a.kind = 'wallet' AND u.username = '{username}' FOR UPDATE OF a;
""")
        self.proc.stdin.flush()
        # Held once the session sits idle inside its transaction with the row lock taken.
        wait_until(lambda: sql(f"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{LOCKER}' "
                               "AND state = 'idle in transaction'") == "1", 15, "the wallet lock")

    def release(self):
        self.proc.stdin.write("COMMIT;\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=15)
        check(self.proc.returncode == 0, f"locker psql: {self.proc.stderr.read()}")


class Call(threading.Thread):
    """One HTTP request on its own connection and thread."""

    def __init__(self, port, fn):
        super().__init__(daemon=True)
        self.club, self.fn, self.response, self.error = Tenant(port, ACES), fn, None, None

    def run(self):
        try:
            self.response = self.fn(self.club)
        except Exception as e:  # reported by the scenario
            self.error = e

    def result(self, seconds=30):
        self.join(seconds)
        check(not self.is_alive(), f"request still running after {seconds}s")
        check(self.error is None, f"request failed: {self.error!r}")
        return self.response


# MARK: scenarios

def scenario_in_flight_idempotency(port):
    """A duplicate of a join that is still running waits for it (and replays its answer) or,
    after the server's wait (5 s), gets 409 request_in_progress; one debit either way."""
    aces = Tenant(port, ACES)
    u = aces.register("i")
    key = "inflight-" + secrets.token_hex(4)
    lock = WalletLock(u.username)
    released = False
    try:
        first = Call(port, lambda c: c.join(u, "nl-1", 600, key=key))
        first.start()
        # The first request claimed the key and is blocked on the wallet row.
        wait_until(lambda: sql(f"SELECT state FROM {SCHEMA}.idempotency_keys WHERE key = '{key}'") == "running"
                   or first.response is not None or first.error is not None, 15, "the first request claiming its key")
        check(first.is_alive(), f"the first request answered while the wallet row was locked: "
              f"{first.error!r} {first.response and first.response.text} (locked rows: {lock.rows})")
        wait_until(lambda: sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database()") != "0", 15, "the first request waiting on the wallet lock")
        started = time.monotonic()
        busy = aces.join(u, "nl-1", 600, key=key)
        waited = time.monotonic() - started
        expect(busy, 409, "request_in_progress", what="duplicate while the first runs")
        check(busy.headers.get("retry-after") == "1", f"409 without Retry-After: {dict(busy.headers)}")
        check(waited >= 4.0, f"the duplicate was refused after {waited:.1f}s without waiting for the first")
        check(first.is_alive(), "the first request answered while its wallet row was locked")
        # A duplicate that arrives now waits for the first and gets its answer.
        second = Call(port, lambda c: c.join(u, "nl-1", 600, key=key))
        second.start()
        time.sleep(0.5)  # lets the duplicate reach its wait; not an assertion
        check(second.is_alive(), f"the waiting duplicate answered before the first: {second.response and second.response.text}")
        lock.release()
        released = True
    finally:
        if not released:
            lock.release()
    original = first.result()
    body = expect(original, 200, what="the first join")
    check(body["stack"] == 600 and body["balance"] == START[ACES] - 600, f"join body {body}")
    check(original.headers.get("idempotent-replayed") is None, "the first answer is marked replayed")
    waited_for = second.result()
    check(waited_for.status_code == 200 and waited_for.json() == body, f"waiting duplicate got {waited_for.status_code} {waited_for.text}")
    check(waited_for.headers.get("idempotent-replayed") == "true", "waiting duplicate not marked replayed")
    # A retry after the 409 replays too.
    retry = aces.join(u, "nl-1", 600, key=key)
    check(retry.status_code == 200 and retry.json() == body, f"retry after 409: {retry.status_code} {retry.text}")
    check(aces.balance(u) == START[ACES] - 600, f"wallet {aces.balance(u)}: not exactly one debit")
    check(kinds(aces, u).count("buy_in") == 1, f"ledger {kinds(aces, u)}: not exactly one buy-in")
    check(seated_names(aces, "nl-1").count(u.username) == 1, "not seated exactly once")
    expect(aces.leave(u, "nl-1"), 200)
    check(aces.balance(u) == START[ACES], "leave did not return the buy-in")


def scenario_idempotency_key_scope(port):
    """The same key with another body is refused (422) and moves nothing; the same key used by
    another user is a different key; a key also replays a leave."""
    aces = Tenant(port, ACES)
    u, v = aces.register("k"), aces.register("k")
    key = "scope-" + secrets.token_hex(4)
    first = expect(aces.join(u, "nl-2", 500, key=key), 200, what="first join")
    expect(aces.join(u, "nl-2", 700, key=key), 422, "idempotency_key_reused", what="same key, other amount")
    expect(aces.leave(u, "nl-2", key=key), 422, "idempotency_key_reused", what="same key, other path")
    check(aces.balance(u) == START[ACES] - 500, "a refused reuse moved chips")
    # Another user, same key and body: their own request, their own debit.
    other = aces.join(v, "nl-2", 500, key=key)
    body = expect(other, 200, what="other user's join with the same key")
    check(other.headers.get("idempotent-replayed") is None, "another user's key replayed the first user's answer")
    check(body["seat"] != first["seat"] and body["balance"] == START[ACES] - 500, f"other user's join {body}")
    check(aces.balance(u) == START[ACES] - 500 and aces.balance(v) == START[ACES] - 500, "wallets after two users' joins")
    # Leave with a key (a hand may be running: the blind posted stays in the pot): a retry
    # replays the answer and pays nothing again.
    leave_key = "leave-" + secrets.token_hex(4)
    left = expect(aces.leave(u, "nl-2", key=leave_key), 200, what="leave")
    check(left["balance"] == START[ACES] - 500 + left["returned"], f"leave body {left}")
    again = aces.leave(u, "nl-2", key=leave_key)
    check(again.status_code == 200 and again.json() == left and again.headers.get("idempotent-replayed") == "true",
          f"leave retry {again.status_code} {again.text}")
    check(aces.balance(u) == left["balance"] and kinds(aces, u).count("cash_out") == 1,
          f"leave retry paid again: wallet {aces.balance(u)}, ledger {kinds(aces, u)}")
    expect(aces.leave(u, "nl-2"), 409, "not_seated", what="a new leave without the key")
    expect(aces.leave(v, "nl-2"), 200)
    check(aces.balance(u) == left["balance"], "paid again later")
    check(aces.balance(u) + aces.balance(v) == 2 * START[ACES], "chips lost or made (no-rake table)")


def scenario_default_grace_disconnect_is_leave(port):
    """Without `reconnect_grace` in the configuration, closing the WebSocket is leaving."""
    aces = Tenant(port, ACES)
    a, b, sa, sb, v = two_seated_dealt_in(aces, "nl-3")
    stack = me(v)["stack"]
    sa.close()
    wait_until(lambda: a.username not in seated_names(aces, "nl-3"), 10, "auto-leave on close")
    check(aces.balance(a) == START[ACES] - 1000 + stack, f"wallet {aces.balance(a)}, expected {START[ACES] - 1000 + stack}")
    check(kinds(aces, a).count("cash_out") == 1, f"ledger {kinds(aces, a)}")
    left = sb.wait(lambda m: m.get("type") == "event" and m.get("event") == "player_left", 10, "player_left")
    check(left.get("reason") == "disconnected", f"player_left {left}")
    expect(aces.leave(a, "nl-3"), 409, "not_seated")
    expect(aces.leave(b, "nl-3"), 200)
    check(aces.balance(a) + aces.balance(b) == 2 * START[ACES], "chips lost or made")
    sb.close()


def scenario_grace_reconnect_keeps_seat(port):
    """With a 3 s grace, the same user reconnecting in time keeps the seat, the stack and the
    cards; nothing moves in the ledger, even after the grace would have run out."""
    aces = Tenant(port, ACES)
    a, b, sa, sb, v = two_seated_dealt_in(aces, "nl-1")
    hand, stack, cards = v["hand_number"], me(v)["stack"], me(v)["cards"]
    sa.close()
    closed = time.monotonic()
    away = sb.wait_view(lambda x: any(p["seat"] == a.seat and p["connected"] is False for p in x["players"]), 10,
                        "the seat shown disconnected")
    check(away["hand_number"] == hand, "the hand changed while the player was away")
    check(a.username in seated_names(aces, "nl-1"), "removed at once despite the grace")
    sa = aces.ws(a, "nl-1")
    back = sa.wait_view(lambda x: x.get("your_seat") == a.seat, 10,
                        f"the seat after reconnecting {time.monotonic() - closed:.1f}s after the close (grace {GRACE}s)")
    check(back["hand_number"] == hand and me(back)["stack"] == stack and me(back)["cards"] == cards,
          f"after reconnecting: hand {back['hand_number']} (was {hand}), {me(back)} (stack was {stack}, cards {cards})")
    sb.wait_view(lambda x: any(p["seat"] == a.seat and p["connected"] is True for p in x["players"]), 10,
                 "the seat shown connected again")
    # Well past the moment the grace would have run out: still seated, nothing paid.
    pump([sa, sb], closed + GRACE + 1.5)
    check(a.username in seated_names(aces, "nl-1"), "removed after reconnecting in time")
    check(sa.view.get("your_seat") == a.seat, f"latest view lost the seat: {sa.view}")
    gone = [m for m in sb.messages if m.get("type") == "event" and m.get("event") == "player_left"]
    check(gone == [], f"player_left after a reconnect in time: {gone}")
    check(aces.balance(a) == START[ACES] - 1000, f"wallet moved: {aces.balance(a)}")
    check("cash_out" not in kinds(aces, a), f"cash-out after a reconnect in time: {kinds(aces, a)}")
    for u in (a, b):
        expect(aces.leave(u, "nl-1"), 200)
    check(aces.balance(a) + aces.balance(b) == 2 * START[ACES], "chips lost or made (no-rake table)")
    sa.close()
    sb.close()


def scenario_grace_expiry_pays_once(port):
    """With a 3 s grace and no reconnect, the player is removed once the grace ran out and
    the chips go back to the wallet exactly once."""
    aces = Tenant(port, ACES)
    a, b, sa, sb, v = two_seated_dealt_in(aces, "nl-2")
    stack = me(v)["stack"]
    sa.close()
    closed = time.monotonic()
    wait_until(lambda: a.username not in seated_names(aces, "nl-2"), GRACE + 10, "removal after the grace")
    elapsed = time.monotonic() - closed
    check(elapsed >= GRACE - 0.1, f"removed {elapsed:.2f}s after the close, before the {GRACE}s grace")
    check(aces.balance(a) == START[ACES] - 1000 + stack, f"wallet {aces.balance(a)}, expected {START[ACES] - 1000 + stack}")
    left = sb.wait(lambda m: m.get("type") == "event" and m.get("event") == "player_left", 10, "player_left")
    check(left.get("reason") == "disconnected", f"player_left {left}")
    # Coming back late: a spectator, not seated; leaving again moves nothing.
    late = aces.ws(a, "nl-2")
    late.send({"type": "spectate"})
    seen = late.wait_view(lambda x: True, 10, "view after coming back late")
    check(seen.get("your_seat") is None, f"seated again after the grace: {seen}")
    expect(aces.leave(a, "nl-2"), 409, "not_seated")
    expect(aces.leave(b, "nl-2"), 200)
    pump([late, sb], time.monotonic() + 1.0)
    check(aces.balance(a) == START[ACES] - 1000 + stack, "paid again later")
    check(kinds(aces, a).count("cash_out") == 1, f"ledger {kinds(aces, a)}: not exactly one cash-out")
    check(aces.balance(a) + aces.balance(b) == 2 * START[ACES], "chips lost or made (no-rake table)")
    late.close()
    sb.close()


def scenario_last_of_two_connections_leaves(port):
    """Without a grace, closing one of a player's two WebSockets keeps the seat; closing the
    last one is leaving, paid once."""
    aces = Tenant(port, ACES)
    a, b = sit(aces, "nl-4", 2, 1000)
    first, second, sb = aces.ws(a, "nl-4"), aces.ws(a, "nl-4"), aces.ws(b, "nl-4")
    v = second.wait_view(dealt_in_view(a), 15, "a hand with the player dealt in on the second connection")
    first.wait_view(lambda x: x.get("your_seat") == a.seat, 10, "the seat on the first connection")
    hand, stack = v["hand_number"], me(v)["stack"]
    first.close()
    # Long enough for the server to see the close; the seat must stay meanwhile.
    pump([second, sb], time.monotonic() + 1.5)
    check(a.username in seated_names(aces, "nl-4"), "closing one of two connections was leaving")
    check(second.view.get("your_seat") == a.seat and second.view["hand_number"] == hand,
          f"the remaining connection lost the seat: {second.view}")
    check(aces.balance(a) == START[ACES] - 1000 and "cash_out" not in kinds(aces, a), "chips moved on the first close")
    second.close()
    wait_until(lambda: a.username not in seated_names(aces, "nl-4"), 10, "auto-leave on the last close")
    check(aces.balance(a) == START[ACES] - 1000 + stack, f"wallet {aces.balance(a)}, expected {START[ACES] - 1000 + stack}")
    check(kinds(aces, a).count("cash_out") == 1, f"ledger {kinds(aces, a)}")
    expect(aces.leave(b, "nl-4"), 200)
    check(aces.balance(a) + aces.balance(b) == 2 * START[ACES], "chips lost or made (no-rake table)")
    sb.close()


def scenario_grace_http_leave_while_away(port):
    """With a 3 s grace, an HTTP leave while the WebSocket is gone pays at once; the grace
    running out later moves nothing."""
    aces = Tenant(port, ACES)
    a, b, sa, sb, v = two_seated_dealt_in(aces, "nl-3")
    stack = me(v)["stack"]
    sa.close()
    closed = time.monotonic()
    sb.wait_view(lambda x: any(p["seat"] == a.seat and p["connected"] is False for p in x["players"]), 10,
                 "the seat shown disconnected")
    left = expect(aces.leave(a, "nl-3"), 200, what="HTTP leave while away")
    check(left["returned"] == stack and left["balance"] == START[ACES] - 1000 + stack, f"leave body {left} (stack {stack})")
    pump([sb], closed + GRACE + 1.5)
    check(aces.balance(a) == START[ACES] - 1000 + stack, "the grace running out paid again")
    check(kinds(aces, a).count("cash_out") == 1, f"ledger {kinds(aces, a)}")
    reasons = [m.get("reason") for m in sb.messages if m.get("type") == "event" and m.get("event") == "player_left"]
    check(reasons == ["leave"], f"player_left reasons {reasons}")
    expect(aces.leave(b, "nl-3"), 200)
    check(aces.balance(a) + aces.balance(b) == 2 * START[ACES], "chips lost or made (no-rake table)")
    sb.close()


def scenario_unstored_response_releases_key(port):
    """If the answer of a keyed join cannot be stored (a database trigger makes exactly that
    UPDATE fail), the key must not stay 'running' for 24 hours: a retry with it runs again
    and gets the honest answer (already_seated) at once, and nothing is debited twice."""
    aces = Tenant(port, ACES)
    u = aces.register("d")
    sql(f"""CREATE OR REPLACE FUNCTION {SCHEMA}.livesessions_fail_finish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.key LIKE 'doomed-%' AND NEW.state = 'done' THEN RAISE EXCEPTION 'injected: cannot store the response'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER livesessions_fail_finish BEFORE UPDATE ON {SCHEMA}.idempotency_keys
  FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.livesessions_fail_finish();""")
    key = "doomed-" + secrets.token_hex(4)
    body = expect(aces.join(u, "nl-5", 700, key=key), 200, what="join whose answer cannot be stored")
    check(body["balance"] == START[ACES] - 700, f"join body {body}")
    wait_until(lambda: sql(f"SELECT count(*) FROM {SCHEMA}.idempotency_keys WHERE key = '{key}'") == "0", 10,
               "the key released after storing its answer failed")
    started = time.monotonic()
    retry = aces.join(u, "nl-5", 700, key=key)
    expect(retry, 409, "already_seated", what="retry with the released key")
    check(time.monotonic() - started < 4.0, "the retry waited for a request that had already finished")
    check(aces.balance(u) == START[ACES] - 700 and kinds(aces, u).count("buy_in") == 1, "debited twice")
    expect(aces.leave(u, "nl-5"), 200)
    check(aces.balance(u) == START[ACES], "leave")


def scenario_time_bank_deadline(port):
    """bank-1: 2 s to act, then the 2 s time bank: the action deadline in the view moves by
    exactly the bank; once used, the bank is empty; after each hand it grows by 500 ms."""
    aces = Tenant(port, ACES)
    a, b = aces.register("t"), aces.register("t")
    a.seat = expect(aces.join(a, "bank-1", 1000), 200, what="join")["seat"]
    # a watches before the hand starts (it starts with b's join), so no deadline is missed.
    sa = aces.ws(a, "bank-1")
    sa.wait_view(lambda v: v.get("your_seat") == a.seat, 10, "seated view")
    b.seat = expect(aces.join(b, "bank-1", 1000), 200, what="join")["seat"]
    first = sa.wait_view(lambda v: v["status"] == "playing" and v["seat_to_act"] is not None, 15, "a hand")
    hand, actor, deadline = first["hand_number"], first["seat_to_act"], first["action_deadline"]

    def player(view, seat):
        return next(p for p in view["players"] if p["seat"] == seat)

    check(player(first, actor)["time_bank"] == 2000, f"fresh bank should be 2000 ms: {player(first, actor)}")
    banked = sa.wait_view(lambda v: v["hand_number"] == hand and v["seat_to_act"] == actor and v["action_deadline"] != deadline,
                          10, "the deadline moving when the action timeout ran out")
    check(banked["action_deadline"] == deadline + 2000, f"deadline {deadline} became {banked['action_deadline']}, not +2000")
    timed_out = sa.wait(lambda m: m.get("type") == "event" and m.get("event") == "action" and m.get("timed_out"), 10,
                        "the timeout after the bank")
    check(timed_out["seat"] == actor and timed_out["hand_number"] == hand, f"timed out {timed_out}")
    # After that hand the actor's bank was spent and refilled by one hand's 500 ms; the
    # other player's unused bank stays at its 2000 ms cap.
    later = sa.wait_view(lambda v: v["hand_number"] > hand, 15, "the next hand")
    check(player(later, actor)["time_bank"] == 500, f"bank after using it all and one hand: {player(later, actor)}")
    other = next(p for p in later["players"] if p["seat"] != actor)
    check(other["time_bank"] == 2000, f"the other player's unused bank: {other}")
    for u in (a, b):
        expect(aces.leave(u, "bank-1"), 200)
    sa.close()


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in globals().items() if name.startswith("scenario_")}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    started = time.monotonic()
    try:
        SCENARIOS[args.scenario](args.port)
    except Failure as failure:
        print(f"FAIL {args.scenario}: {failure}")
        sys.exit(1)
    print(f"ok {args.scenario} in {time.monotonic() - started:.1f}s")
