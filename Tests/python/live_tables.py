"""Live-table scenarios (issue 6) against a running `felt serve`, over real sockets.

Usage: live_tables.py SCENARIO --port N [--state FILE]

The configuration is the one written by Tests/FeltServerTests/TableLiveServer.swift:
clubs `aces` (aces.test, starting balance 10000) and `kings` (kings.test, 7000); aces tables
nl-1..nl-8 (NLHE 5/10, buy-in 200..2000, 6 seats, rake 5 % cap 30, no flop no drop), hu-1
(2 seats), vip-1 (passphrase "open sesame"), quick-1 (1 s action timeout, no time bank),
high-1 (buy-in 20000..50000), free-1 (no rake); kings tables nl-1..nl-2.
Exits 0 when the scenario holds, 1 with the reason otherwise.
"""
import argparse
import json
import os
import signal
import secrets
import socket
import sys
import threading
import time

from websockets.exceptions import ConnectionClosed

from felt_client import Failure, Tenant, User, check, expect, my_turn

ACES, KINGS = "aces.test", "kings.test"
START = {ACES: 10000, KINGS: 7000}
KILL_PID = None


def me(view):
    return next((p for p in view["players"] if p["seat"] == view.get("your_seat")), None)


def sit(club, table, n, amount=1000):
    users = []
    for _ in range(n):
        u = club.register()
        body = expect(club.join(u, table, amount), 200, what=f"join {table}")
        check(body["table_id"] == table and body["stack"] == amount and body["balance"] == START[club.host] - amount,
              f"join body {body}")
        u.seat = body["seat"]
        users.append(u)
    return users


def play_passively(sockets, until, seconds=30):
    """Every socket checks or calls on its turn until `until()` holds."""
    deadline = time.monotonic() + seconds
    acted = set()
    while not until():
        check(time.monotonic() < deadline, "hands did not finish in time")
        for s in sockets:
            m = s.recv(0.02)
            if until():
                return
            if m and m.get("type") == "game_view" and my_turn(m):
                key = (m["hand_number"], m["street"], m["total_pot"], m["seat_to_act"])
                if key in acted:
                    continue
                acted.add(key)
                s.action("check" if m["legal_actions"]["can_check"] else "call")


# MARK: scenarios

def scenario_view_own_cards(port):
    aces = Tenant(port, ACES)
    users = sit(aces, "nl-1", 2)
    sockets = [aces.ws(u, "nl-1") for u in users]
    spectator = aces.ws(aces.register("s"), "nl-1")
    spectator.send({"type": "spectate"})
    for u, s in zip(users, sockets):
        v = s.wait_view(lambda v: v["status"] == "playing" and len((me(v) or {}).get("cards") or []) == 2, what="own cards")
        check(v["your_seat"] == u.seat and me(v)["username"] == u.username, f"own seat wrong: {v}")
        for p in v["players"]:
            if p["seat"] != u.seat:
                check(p["cards"] == [] and p["has_cards"], f"saw another player's cards: {p}")
    v = spectator.wait_view(lambda v: v["status"] == "playing", what="spectator view")
    check(v["your_seat"] is None and all(p["cards"] == [] for p in v["players"]), f"spectator saw cards: {v}")
    for s in sockets + [spectator]:
        s.close()


def scenario_autoleave_on_close(port):
    aces = Tenant(port, ACES)
    users = sit(aces, "nl-2", 3)
    sockets = [aces.ws(u, "nl-2") for u in users]
    # A hand all three were dealt into (the first may have started with two: play it out).
    def three_handed(v):
        return v.get("type") == "game_view" and v["status"] == "playing" and v["seat_to_act"] is not None \
            and sum(1 for p in v["players"] if p["has_cards"]) == 3
    def seen():
        return any(s.view is not None and three_handed(s.view) for s in sockets)
    play_passively(sockets, seen, 30)
    v = next(s.view for s in sockets if s.view is not None and three_handed(s.view))
    hand, to_act = v["hand_number"], v["seat_to_act"]
    i = next(i for i, u in enumerate(users) if u.seat == to_act)
    mine = sockets[i].wait_view(lambda v: v["hand_number"] == hand and v["seat_to_act"] == to_act, what="own turn")
    stack = me(mine)["stack"]
    sockets[i].close()
    # The seat map drops the player only once the cash-out is recorded: as soon as it shows
    # them gone, the wallet already holds the chips.
    deadline = time.monotonic() + 10
    while users[i].username in [s["username"] for s in aces.anonymous_table("nl-2")["seat_map"]]:
        check(time.monotonic() < deadline, "closed player still in the seat map after 10 s")
        time.sleep(0.05)
    check(aces.balance(users[i]) == START[ACES] - 1000 + stack, "seat map showed the player gone before the wallet was credited")
    aces.wait_balance(users[i], START[ACES] - 1000 + stack)
    other = sockets[(i + 1) % 3]
    other.wait_view(lambda v: v["hand_number"] == hand and v["status"] == "playing" and v["seat_to_act"] not in (None, to_act),
                    what="the others' hand continuing")
    check(users[i].username not in [s["username"] for s in aces.anonymous_table("nl-2")["seat_map"]], "closed player still seated")
    for j, s in enumerate(sockets):
        if j != i:
            s.close()


def scenario_concurrent_joins(port):
    aces = Tenant(port, ACES)
    u = aces.register()
    results = []

    def go(k):
        results.append(Tenant(port, ACES).join(u, "nl-3", 700, key=f"k-{k}-{secrets.token_hex(3)}"))

    threads = [threading.Thread(target=go, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in results)
    check(codes == [200] + [409] * 5, f"statuses {codes}: {[r.text for r in results]}")
    check(all(r.json()["code"] == "already_seated" for r in results if r.status_code == 409), "409 without already_seated")
    check(aces.balance(u) == START[ACES] - 700, "more than one debit")
    # The same key replays the first answer and moves nothing.
    key = "retry-" + secrets.token_hex(4)
    v = aces.register()
    first = expect(aces.join(v, "nl-3", 500, key=key), 200)
    again = aces.join(v, "nl-3", 500, key=key)
    check(again.status_code == 200 and again.json() == first and again.headers.get("idempotent-replayed") == "true",
          f"replay differs: {again.text}")
    expect(aces.join(v, "nl-3", 600, key=key), 422, "idempotency_key_reused")
    check(aces.balance(v) == START[ACES] - 500, "replay moved chips")
    expect(aces.leave(u, "nl-3"), 200)
    expect(aces.leave(v, "nl-3"), 200)


def scenario_http_leave_with_ws_open(port):
    aces = Tenant(port, ACES)
    [u] = sit(aces, "nl-4", 1, 800)
    s = aces.ws(u, "nl-4")
    s.wait_view(lambda v: v["your_seat"] == u.seat, what="seated view")
    left = expect(aces.leave(u, "nl-4"), 200)
    check(left["returned"] == 800 and left["balance"] == START[ACES], f"leave body {left}")
    seatless = s.wait_view(lambda v: v["your_seat"] is None, what="seatless view")
    notices = [m for m in s.messages if m.get("type") == "event" and m.get("event") == "player_left"]
    check(len(notices) == 1 and notices[0].get("reason") == "leave", f"player_left after HTTP leave: {notices}")
    # The socket keeps watching as a spectator (heartbeats) until stop_spectating or close.
    s.wait_view(lambda v: v["your_seat"] is None and v["seq"] > seatless["seq"], what="spectator view after leave")
    s.action("fold")
    s.wait_error("not_seated")
    s.close()
    time.sleep(1)
    check(aces.balance(u) == START[ACES], "close after leave moved chips")
    expect(aces.leave(u, "nl-4"), 409, "not_seated")
    check(aces.balance(u) == START[ACES], "second leave moved chips")


def scenario_not_your_turn_and_join_via_ws(port):
    aces = Tenant(port, ACES)
    users = sit(aces, "nl-5", 2)
    sockets = [aces.ws(u, "nl-5") for u in users]
    v = sockets[0].wait_view(lambda v: v["status"] == "playing" and v["seat_to_act"] is not None, what="hand")
    waiting = next(i for i, u in enumerate(users) if u.seat != v["seat_to_act"])
    before = sockets[waiting].wait_view(lambda x: x["hand_number"] == v["hand_number"], what="waiting view")
    check(before["legal_actions"] is None, "waiting player offered actions")
    sockets[waiting].action("call")
    sockets[waiting].wait_error("not_your_turn")
    after = aces.anonymous_table("nl-5")
    check(after["hand_number"] == v["hand_number"], "state moved")
    sockets[waiting].send({"type": "join", "buy_in": 500})
    m = sockets[waiting].wait_error("join_via_http")
    check("/api/tables/nl-5/join" in m["message"], f"join_via_http message: {m}")
    sockets[waiting].send({"type": "nonsense"})
    sockets[waiting].wait_error("bad_message")
    sockets[waiting].conn.send("not json")
    sockets[waiting].wait_error("bad_message")
    actor = 1 - waiting
    turn = sockets[actor].wait_view(lambda x: my_turn(x), what="actor's turn")
    if not turn["legal_actions"]["can_check"]:
        sockets[actor].action("check")
        m = sockets[actor].wait_error("invalid_action")
        check("check" in m["message"], f"invalid_action without reason: {m}")
    for u in users:
        expect(aces.leave(u, "nl-5"), 200)
    for s in sockets:
        s.close()


def scenario_showdown_payouts_and_rake(port):
    aces = Tenant(port, ACES)
    users = sit(aces, "nl-6", 3, 1000)
    sockets = [aces.ws(u, "nl-6") for u in users]
    finished = []

    def done():
        for s in sockets[:1]:
            for m in s.messages:
                if m.get("type") == "event" and m.get("event") == "hand_finished" and m not in finished:
                    finished.append(m)
        return len(finished) >= 3

    play_passively(sockets, done, 60)
    showdowns = [m for m in sockets[0].messages if m.get("type") == "event" and m.get("event") == "showdown"]
    check(showdowns, "no showdown seen")
    total_rake = 0
    stacks = None
    for f in finished[:3]:
        pot_event = next(m for m in showdowns if m["hand_number"] == f["hand_number"]) if any(
            m["hand_number"] == f["hand_number"] for m in showdowns) else None
        rake = f["rake"]
        if pot_event:
            pot = sum(p["amount"] for p in pot_event["pots"])
            expected = min(30, pot * 5 // 100)
            check(rake == expected, f"rake {rake} != 5% of {pot} capped at 30 ({expected})")
            won = sum(w["amount"] for w in f["winners"])
            check(won + rake == pot, f"winners {won} + rake {rake} != pot {pot}")
        total_rake += rake
        stacks = f["stacks"]
    time.sleep(0.3)
    # Leave between hands is not guaranteed; the wallets after leaving must add up anyway.
    for u in users:
        expect(aces.leave(u, "nl-6"), 200)
    time.sleep(1)
    finished_all = [m for m in sockets[0].messages if m.get("type") == "event" and m.get("event") == "hand_finished"]
    rake_all = sum(m["rake"] for m in finished_all)
    wallets = sum(aces.balance(u) for u in users)
    check(wallets + rake_all == 3 * START[ACES], f"wallets {wallets} + rake {rake_all} != {3 * START[ACES]}")
    check(rake_all > 0, "no rake was taken in three showdowns")
    r = aces.call("GET", "/api/tables/nl-6/hands", token=users[0].token)
    hands = expect(r, 200)["hands"]
    check(len(hands) >= 3, f"hand history has {len(hands)} hands")
    one = expect(aces.call("GET", f"/api/hands/{hands[0]['id']}", token=users[0].token), 200)
    check(one["record"]["deck"] == [], "the deck order leaked")
    phh = aces.call("GET", f"/api/hands/{hands[0]['id']}?format=phh", token=users[0].token)
    check(phh.status_code == 200 and "variant = " in phh.text and "_deck =" not in phh.text, f"phh: {phh.text[:300]}")
    stranger = aces.register("x")
    r = aces.call("GET", f"/api/hands/{hands[0]['id']}", token=stranger.token)
    check(r.status_code == 403, f"stranger read a hand: {r.status_code}")
    ledger = expect(aces.call("GET", "/api/wallet/ledger?limit=1", token=users[0].token), 200)
    check(len(ledger["entries"]) == 1 and ledger["next_cursor"], f"paged ledger {ledger}")
    rest = expect(aces.call("GET", f"/api/wallet/ledger?cursor={ledger['next_cursor']}", token=users[0].token), 200)
    kinds = [e["kind"] for e in ledger["entries"] + rest["entries"]]
    check(kinds[-1] == "starting_balance" and "buy_in" in kinds, f"ledger kinds {kinds}")
    for s in sockets:
        s.close()


def scenario_table_rules(port):
    aces = Tenant(port, ACES)
    u = aces.register()
    expect(aces.join(u, "vip-1", 500), 403, "wrong_passphrase")
    expect(aces.join(u, "vip-1", 500, passphrase="open sesamE"), 403, "wrong_passphrase")
    expect(aces.join(u, "vip-1", 500, passphrase="open sesame"), 200)
    expect(aces.leave(u, "vip-1"), 200)
    a, b = sit(aces, "hu-1", 2, 300)
    expect(aces.join(u, "hu-1", 300), 409, "table_full")
    expect(aces.join(u, "nl-7", 199), 400, "invalid_buy_in")
    expect(aces.join(u, "nl-7", 2001), 400, "invalid_buy_in")
    r = expect(aces.join(u, "high-1", 20000), 400, "insufficient_chips")
    check(r["error"] == f"Insufficient chips: need 20000, have {START[ACES]}", f"message {r['error']}")
    expect(aces.join(u, "nope", 500), 404, "table_not_found")
    check(aces.call("POST", "/api/tables/nl-7/join", {"buy_in_amount": 500}).status_code == 401, "join without token")
    check(aces.balance(u) == START[ACES], "refused joins moved chips")
    for x in (a, b):
        expect(aces.leave(x, "hu-1"), 200)
    lobby = expect(aces.call("GET", "/api/tables"), 200)["tables"]
    vip = next(t for t in lobby if t["id"] == "vip-1")
    check(vip["private"] is True and vip["seats"] == 6 and vip["buy_in_min"] == 200, f"lobby entry {vip}")


def scenario_turn_timeout_folds(port):
    aces = Tenant(port, ACES)
    users = sit(aces, "quick-1", 2, 1000)
    sockets = [aces.ws(u, "quick-1") for u in users]
    m = sockets[0].wait(lambda m: m.get("type") == "event" and m.get("event") == "action" and m.get("timed_out"), 15,
                        "a timed-out action")
    check(m["action"] in ("fold", "check"), f"timeout action {m}")
    # Preflop the small blind owes chips: its timeout is a fold.
    folds = [x for x in sockets[0].messages if x.get("type") == "event" and x.get("event") == "action" and x.get("timed_out")]
    check(folds[0]["action"] == "fold", f"first timeout should fold facing the big blind: {folds[0]}")
    for u in users:
        aces.leave(u, "quick-1")
    for s in sockets:
        s.close()


def scenario_two_tenants(port):
    aces, kings = Tenant(port, ACES), Tenant(port, KINGS)
    a_users = sit(aces, "nl-8", 2, 500)
    k_users = sit(kings, "nl-1", 2, 500)
    sockets = [aces.ws(u, "nl-8") for u in a_users] + [kings.ws(u, "nl-1") for u in k_users]
    names = {ACES: {u.username for u in a_users}, KINGS: {u.username for u in k_users}}

    def finished(s):
        return any(m.get("type") == "event" and m.get("event") == "hand_finished" for m in s.messages)

    play_passively(sockets, lambda: finished(sockets[0]) and finished(sockets[2]), 60)
    for s, host in zip(sockets, [ACES, ACES, KINGS, KINGS]):
        for p in s.view["players"]:
            check(p["username"] in names[host], f"{host} view shows a stranger {p['username']}")
    check(kings.call("GET", "/api/wallet", token=a_users[0].token).status_code == 401, "aces token worked on kings")
    check(kings.join(a_users[0], "nl-2", 500).status_code == 401, "aces token joined a kings table")
    for u in a_users:
        expect(aces.leave(u, "nl-8"), 200)
    for u in k_users:
        expect(kings.leave(u, "nl-1"), 200)
    for s in sockets:
        s.close()


def scenario_kill_setup(port, state):
    aces = Tenant(port, ACES)
    users = sit(aces, "free-1", 2, 1000)
    sockets = [aces.ws(u, "free-1") for u in users]
    v = sockets[0].wait_view(lambda v: v["status"] == "playing" and v["seat_to_act"] is not None, what="hand")
    i = next(i for i, u in enumerate(users) if u.seat == v["seat_to_act"])
    turn = sockets[i].wait_view(my_turn, what="turn")
    sockets[i].action("raise", turn["legal_actions"]["min_raise_to"] * 3)
    sockets[0].wait_view(lambda x: x["total_pot"] > v["total_pot"], what="the raise")
    with open(state, "w") as f:
        json.dump({"users": [{"name": u.username, "token": u.token} for u in users]}, f)
    # kill -9 while the sockets are still open and the hand is running (closing them
    # first would be leaving).
    os.kill(KILL_PID, signal.SIGKILL)
    for s in sockets:
        try:
            s.wait(lambda m: False, 10, "the connection to die")
        except Failure:
            raise Failure("the server kept the connection open after kill -9")
        except Exception:
            pass


def scenario_kill_check(port, state):
    aces = Tenant(port, ACES)
    with open(state) as f:
        saved = json.load(f)
    users = [User(aces, u["name"], u["token"], None) for u in saved["users"]]
    # The free table has no rake: whatever hands finished, the two wallets hold every chip.
    total = sum(aces.balance(u) for u in users)
    check(total == 2 * START[ACES], f"wallets hold {total}, expected {2 * START[ACES]}")
    for u in users:
        kinds = [e["kind"] for e in expect(aces.call("GET", "/api/wallet/ledger", token=u.token), 200)["entries"]]
        check(kinds[0] == "escrow_return", f"newest entry of {u.username} is {kinds[0]}, not escrow_return")
    detail = aces.anonymous_table("free-1")
    check(detail["seated"] == 0 and detail["seat_map"] == [] and detail["status"] == "waiting", f"lobby after restart {detail}")
    s = aces.ws(users[0], "free-1")
    s.send({"type": "spectate"})
    v = s.wait_view(lambda v: True, what="view after reconnect")
    check(v["your_seat"] is None and v["players"] == [], f"view after restart {v}")
    expect(aces.leave(users[0], "free-1"), 409, "not_seated")
    body = expect(aces.join(users[0], "free-1", 1000), 200)
    check(body["balance"] == aces.balance(users[0]), "join after restart")
    expect(aces.leave(users[0], "free-1"), 200)
    s.close()


def scenario_lost_response_and_limits(port):
    aces = Tenant(port, ACES)
    u = aces.register()
    key = "lost-" + secrets.token_hex(4)
    payload = json.dumps({"buy_in_amount": 600}).encode()
    head = (f"POST /api/tables/nl-7/join HTTP/1.1\r\nHost: {ACES}\r\nAuthorization: Bearer {u.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\nIdempotency-Key: {key}\r\n\r\n").encode()
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    raw.sendall(head + payload)
    raw.close()  # the response is lost
    deadline = time.monotonic() + 10
    while u.username not in [x["username"] for x in aces.anonymous_table("nl-7")["seat_map"]]:
        check(time.monotonic() < deadline, "the lost join never seated the player")
        time.sleep(0.05)
    s = aces.ws(u, "nl-7")
    v = s.wait_view(lambda v: v["your_seat"] is not None, what="seated view after the lost response")
    check(me(v)["username"] == u.username and me(v)["stack"] == 600, f"seat view {me(v)}")
    retry = expect(aces.join(u, "nl-7", 600, key=key), 200, what="retry with the same key")
    check(retry["seat"] == v["your_seat"] and retry["stack"] == 600 and retry["balance"] == START[ACES] - 600, f"retry {retry}")
    check(aces.balance(u) == START[ACES] - 600, "the retry debited again")
    # Message rate: 50/s per connection; a burst of 120 is answered rate_limited.
    for _ in range(120):
        s.send({"type": "stop_spectating"})
    s.wait_error("rate_limited")
    # Over 64 KiB: the connection is closed (1009).
    time.sleep(1.2)
    big = json.dumps({"type": "spectate", "pad": "x" * (70 * 1024)})
    try:
        s.conn.send(big)
        s.wait(lambda m: False, 5, "close after an oversized message")
    except Failure:
        raise
    except ConnectionClosed as closed:
        # Closed by the server for the size, not for anything else (e.g. the burst above).
        code = closed.rcvd.code if closed.rcvd is not None else None
        check(code == 1009, f"oversized message: closed with {code}, expected 1009")
    aces.wait_balance(u, START[ACES])  # closing was leaving
    s.close()


SCENARIOS = {name[len("scenario_"):]: fn for name, fn in globals().items() if name.startswith("scenario_")}

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state")
    parser.add_argument("--kill-pid", type=int)
    args = parser.parse_args()
    KILL_PID = args.kill_pid
    fn = SCENARIOS[args.scenario]
    try:
        if args.state:
            fn(args.port, args.state)
        else:
            fn(args.port)
    except Failure as failure:
        print(f"FAIL {args.scenario}: {failure}")
        sys.exit(1)
    print(f"ok {args.scenario}")
