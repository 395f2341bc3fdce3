#!/usr/bin/env python3
"""End-to-end scenarios of issue 6 against a real `felt serve` (real sockets, real PostgreSQL).

usage: e2e_tables.py SCENARIO --port N [--state FILE] [--port-file FILE]

The server runs the configuration written by Tests/FeltServerTests/EndToEndHarness.swift:
  tenant aces   host aces.test    starting balance 10000
  tenant kings  host kings.test   starting balance 7000
  table type nl    (nlhe 5/10, buy-in 200..2000, 6 seats, 30 s turns, rake 5 % cap 30): nl-1 … nl-12
  table type hu    (as nl, 2 seats): hu-1
  table type vip   (as nl, private, passphrase "open sesame"): vip-1
  table type quick (as nl, 1 s turns, no time bank): quick-1
  table type high  (as nl, buy-in 20000..50000): high-1
  reconnect_grace 0 s (disconnect = leave), hand_pause 300 ms, heartbeat 500 ms.

Each scenario asserts what a client observes and prints `ok SCENARIO`; a failed assertion
prints the reason and exits 1. Every scenario uses its own tables and fresh users.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import threading
import time
import traceback

from felt_client import (Failure, Tenant, check, expect, my_turn, passive_action, player, unique)

ACES, KINGS = "aces.test", "kings.test"
START = {ACES: 10000, KINGS: 7000}
SMALL, BIG = 5, 10
RAKE_BP, RAKE_CAP = 500, 30
PASSPHRASE = "open sesame"
IN_HAND = ("preflop", "flop", "turn", "river")


def seat_of(join_body):
    return join_body["seat"]


def hidden_cards(entry):
    cards = entry.get("cards")
    return cards is None or cards == []


def sit(tenant, table, count, buy_in=500, prefix="p"):
    """Registers `count` users, joins them over HTTP; returns [(user, join body)]."""
    seated = []
    for _ in range(count):
        user = tenant.register(prefix)
        body = tenant.join_ok(user, table, buy_in)
        check(body["balance"] == START[tenant.host] - buy_in,
              f"join balance {body['balance']} != {START[tenant.host]} - {buy_in}")
        seated.append((user, body))
    return seated


def connect_seated(tenant, table, seated):
    sockets = []
    for user, body in seated:
        ws = tenant.ws(user, table)
        ws.wait_view(lambda v, s=body["seat"]: v.get("your_seat") == s, what=f"seated view of {user.username}")
        sockets.append(ws)
    return sockets


def wait_playing(ws, seconds=10.0):
    return ws.wait_view(lambda v: v.get("status") == "playing" and v.get("street") in IN_HAND
                        and v.get("seat_to_act") is not None, seconds, "a hand in progress")


# MARK: 1. join via HTTP, then WebSocket: own seat and own cards only

def scenario_join_then_view(port):
    aces = Tenant(port, ACES)
    seated = sit(aces, "nl-1", 2)
    for user, body in seated:
        check(aces.balance(user) == START[ACES] - 500, f"wallet of {user.username} after join")
    sockets = connect_seated(aces, "nl-1", seated)
    spectator = aces.register("spec")
    spec_ws = aces.ws(spectator, "nl-1")
    spec_ws.send({"type": "spectate"})
    own_cards = []
    for (user, body), ws in zip(seated, sockets):
        view = ws.wait_view(lambda v, s=body["seat"]: v.get("status") == "playing" and v.get("street") == "preflop"
                            and len((player(v, s) or {}).get("cards") or []) == 2, what="own hole cards")
        check(view["table_id"] == "nl-1", f"view names table {view.get('table_id')}")
        me = player(view, body["seat"])
        check(me["username"] == user.username, f"own seat shows {me.get('username')}, expected {user.username}")
        check(all(isinstance(c, str) and len(c) == 2 for c in me["cards"]), f"own cards malformed: {me['cards']}")
        others = [p for p in view["players"] if p["seat"] != body["seat"]]
        check(len(others) == 1, f"expected one other player, view has {view['players']}")
        for other in others:
            check(hidden_cards(other), f"{user.username} sees another player's cards before showdown: {other}")
            check(other.get("has_cards") is True, f"the other player should hold (hidden) cards: {other}")
        own_cards.append(tuple(me["cards"]))
    check(not set(own_cards[0]) & set(own_cards[1]), f"two players hold the same card: {own_cards}")
    view = spec_ws.wait_view(lambda v: v.get("status") == "playing" and v.get("street") == "preflop", what="spectator view")
    check(view.get("your_seat") is None, f"spectator has a seat: {view.get('your_seat')}")
    for entry in view["players"]:
        check(hidden_cards(entry), f"spectator sees hole cards before showdown: {entry}")
    for ws in sockets + [spec_ws]:
        ws.close()


# MARK: 2. WebSocket closes during the player's turn

def reach_full_hand(sockets, count, seconds=30.0):
    """Folds through hands dealt to fewer than `count` players (a hand can start as soon as
    two are seated) until one is dealt to all `count`; returns a view of it with a seat to act."""
    deadline = time.monotonic() + seconds
    acted = set()
    while True:
        check(time.monotonic() < deadline, f"no hand dealt to {count} players within {seconds}s")
        for ws in sockets:
            message = ws.recv(0.05)
            if message is None or message.get("type") != "game_view":
                continue
            view = message
            if view.get("status") != "playing" or view.get("seat_to_act") is None:
                continue
            dealt = [p for p in view["players"] if p.get("has_cards")]
            if len(dealt) >= count and view.get("street") == "preflop":
                return view
            if my_turn(view) and (view["hand_number"], view["seat_to_act"]) not in acted:
                acted.add((view["hand_number"], view["seat_to_act"]))
                legal = view["legal_actions"]
                ws.action("check" if legal.get("can_check") else "fold")

def scenario_close_during_turn(port):
    aces = Tenant(port, ACES)
    table = "nl-2"
    seated = sit(aces, table, 3)
    sockets = connect_seated(aces, table, seated)
    view = reach_full_hand(sockets, 3)
    hand, to_act = view["hand_number"], view["seat_to_act"]
    index = next(i for i, (_, body) in enumerate(seated) if body["seat"] == to_act)
    leaver, leaver_ws = seated[index][0], sockets[index]
    current = leaver_ws.wait_view(lambda v: v.get("hand_number") == hand and v.get("seat_to_act") == to_act,
                                  what="leaver's view")
    stack = player(current, to_act)["stack"]
    check(current["seat_to_act"] == to_act, "turn moved before anyone acted")
    leaver_ws.close()
    expected = START[ACES] - 500 + stack
    aces.wait_balance(leaver, expected)
    others = [(seated[i], sockets[i]) for i in range(3) if i != index]
    # The others' hand goes on: the leaver's seat is out of it and the turn moves on.
    watcher = others[0][1]
    watcher.wait_view(lambda v: v.get("hand_number") == hand and v.get("status") == "playing"
                      and (player(v, to_act) or {}).get("status") in ("folded", "left", None)
                      and v.get("seat_to_act") not in (None, to_act),
                      what="the hand continuing without the leaver")
    finished = play_until_finished(others, hand)
    winners = winner_amounts(finished)
    check(to_act not in winners, f"the player who left won chips: {finished}")
    check(sum(winners.values()) > 0, f"nobody won the hand: {finished}")
    check(leaver.username not in aces.seated_usernames(others[0][0][0], table), "the leaver is still seated")
    check(aces.balance(leaver) == expected, "the leaver's wallet moved again after the hand ended")
    for _, ws in others:
        ws.close()


def play_until_finished(players, hand, seconds=20.0):
    """Plays passively (check, else call) for every socket until `hand` finishes; returns the event."""
    deadline = time.monotonic() + seconds
    acted = set()
    finished = None
    while finished is None:
        check(time.monotonic() < deadline, f"hand {hand} did not finish within {seconds}s")
        for (_, _), ws in players:
            message = ws.recv(0.05)
            if message is None:
                continue
            if message.get("type") == "event" and message.get("event") == "hand_finished" \
                    and message.get("hand_number") == hand:
                finished = message
            if message.get("type") == "error":
                raise Failure(f"server error during play: {message}")
            view = ws.view
            if view and my_turn(view) and view["hand_number"] == hand:
                key = (view["hand_number"], view["street"], view.get("total_pot"), view["seat_to_act"])
                if key not in acted:
                    acted.add(key)
                    kind, amount = passive_action(view["legal_actions"])
                    ws.action(kind, amount)
    return finished


def winner_amounts(event):
    """{seat: amount} from a hand_finished or showdown event's `winners`."""
    winners = event.get("winners")
    result = {}
    if isinstance(winners, dict):
        for seat, amount in winners.items():
            result[int(seat)] = int(amount)
    elif isinstance(winners, list):
        for entry in winners:
            if isinstance(entry, dict):
                result[int(entry["seat"])] = result.get(int(entry["seat"]), 0) + int(entry["amount"])
            else:
                result[int(entry[0])] = result.get(int(entry[0]), 0) + int(entry[1])
    else:
        raise Failure(f"event without winners: {event}")
    return result


def stacks_of(event):
    stacks = event.get("stacks")
    result = {}
    if isinstance(stacks, dict):
        for seat, amount in stacks.items():
            result[int(seat)] = int(amount)
    elif isinstance(stacks, list):  # indexed by seat; null for an empty seat
        for seat, amount in enumerate(stacks):
            if amount is not None:
                result[seat] = int(amount)
    else:
        raise Failure(f"hand_finished without stacks: {event}")
    return result


# MARK: 3. join response lost; WebSocket shows the seat; retry with the key

def scenario_join_response_lost(port):
    aces = Tenant(port, ACES)
    table = "nl-3"
    user = aces.register("lost")
    key = unique("key-")
    aces.raw_post_then_close(f"/api/tables/{table}/join", {"buy_in_amount": 500}, user.token, key)
    deadline = time.monotonic() + 10
    while user.username not in aces.seated_usernames(user, table):
        check(time.monotonic() < deadline, "the join whose response was lost never seated the player")
        time.sleep(0.1)
    ws = aces.ws(user, table)
    view = ws.wait_view(lambda v: v.get("your_seat") is not None, what="seated view after the lost response")
    me = player(view, view["your_seat"])
    check(me is not None and me["username"] == user.username, f"view's own seat is not the player: {me}")
    check(me["stack"] == 500, f"seated stack {me['stack']} != 500")
    retry = expect(aces.join(user, table, 500, key=key), 200, what="retry with the same Idempotency-Key")
    check(retry["seat"] == view["your_seat"], f"retry says seat {retry['seat']}, view says {view['your_seat']}")
    check(retry["stack"] == 500 and retry["balance"] == START[ACES] - 500, f"retry body is not the original: {retry}")
    again = expect(aces.join(user, table, 500, key=key), 200, what="second retry")
    check(again == retry, f"two retries with one key differ: {again} vs {retry}")
    expect(aces.join(user, table, 600, key=key), 422, "idempotency_key_reused", what="same key, different body")
    expect(aces.join(user, table, 500, key=unique("key-")), 409, "already_seated", what="a new key while seated")
    check(aces.balance(user) == START[ACES] - 500, "more than one debit for one join")
    ws.close()
    aces.wait_balance(user, START[ACES])


# MARK: 4. concurrent joins by one user

def scenario_concurrent_joins(port):
    aces = Tenant(port, ACES)
    table = "nl-4"
    user = aces.register("twice")
    barrier = threading.Barrier(6)

    def attempt(key):
        client = Tenant(port, ACES)
        barrier.wait()
        return client.join(user, table, 500, key=key)

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(attempt, [unique("k-") for _ in range(6)]))
    statuses = sorted(r.status_code for r in responses)
    check(statuses.count(200) == 1, f"expected exactly one successful join, statuses {statuses}: "
                                    f"{[r.text for r in responses]}")
    for response in responses:
        if response.status_code != 200:
            expect(response, 409, "already_seated", what="losing concurrent join")
    check(aces.balance(user) == START[ACES] - 500, f"wallet {aces.balance(user)}: not exactly one debit")

    # The same key sent concurrently: one join, the rest replay it or wait (request_in_progress).
    other = aces.register("same")
    key = unique("k-")
    barrier = threading.Barrier(4)

    def same(_):
        client = Tenant(port, ACES)
        barrier.wait()
        return client.join(other, "nl-12", 500, key=key)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(same, range(4)))
    bodies = [r.json() for r in responses if r.status_code == 200]
    check(bodies, f"no join succeeded: {[r.text for r in responses]}")
    check(all(b == bodies[0] for b in bodies), f"replays differ: {bodies}")
    for response in responses:
        if response.status_code != 200:
            expect(response, 409, "request_in_progress", what="concurrent same-key join")
    check(aces.balance(other) == START[ACES] - 500, "same-key joins debited more than once")
    for who, where in ((user, table), (other, "nl-12")):
        expect(aces.leave(who, where), 200, what="leave")
        check(aces.balance(who) == START[ACES], "leave did not return the buy-in")


# MARK: 5. HTTP leave while the WebSocket is open

def scenario_http_leave_ws_open(port):
    aces = Tenant(port, ACES)
    table = "nl-5"
    [(user, body)] = sit(aces, table, 1)
    [ws] = connect_seated(aces, table, [(user, body)])
    left = expect(aces.leave(user, table), 200, what="HTTP leave")
    check(left.get("returned") == 500, f"leave returned {left.get('returned')}, expected 500")
    check(left.get("balance") == START[ACES], f"leave balance {left.get('balance')}, expected {START[ACES]}")
    check(aces.balance(user) == START[ACES], "wallet after leave")
    # The connection is no longer a player's: whatever it still receives shows no seat.
    time.sleep(1.0)
    ws.drain(0.2)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        message = ws.recv(0.2)
        if message is not None and message.get("type") == "game_view":
            check(message.get("your_seat") is None, f"a view after leaving still shows the seat: {message}")
    ws.close()
    time.sleep(1.5)
    check(aces.balance(user) == START[ACES], "closing the WebSocket after leaving moved chips")
    expect(aces.leave(user, table), 409, "not_seated", what="second leave")
    check(aces.balance(user) == START[ACES], "second leave moved chips")
    check(user.username not in aces.seated_usernames(user, table), "still seated after leaving")


# MARK: 6. leave by closing the WebSocket

def scenario_leave_by_close(port):
    aces = Tenant(port, ACES)
    table = "nl-6"
    seated = sit(aces, table, 1)
    [ws] = connect_seated(aces, table, seated)
    user = seated[0][0]
    check(aces.balance(user) == START[ACES] - 500, "wallet while seated")
    ws.close()
    aces.wait_balance(user, START[ACES])
    check(user.username not in aces.seated_usernames(user, table), "still seated after the WebSocket closed")
    expect(aces.leave(user, table), 409, "not_seated", what="HTTP leave after the auto-leave")
    check(aces.balance(user) == START[ACES], "wallet moved again")


# MARK: 7. action when not your turn

def comparable(view):
    return (view["hand_number"], view["street"], view["seat_to_act"], view.get("total_pot"), tuple(view.get("board") or []),
            tuple((p["seat"], p["stack"], p["bet"], p["status"]) for p in view["players"]))


def scenario_not_your_turn(port):
    aces = Tenant(port, ACES)
    table = "nl-7"
    seated = sit(aces, table, 2)
    sockets = connect_seated(aces, table, seated)
    view = wait_playing(sockets[0])
    to_act = view["seat_to_act"]
    waiting = next(i for i, (_, body) in enumerate(seated) if body["seat"] != to_act)
    acting = 1 - waiting
    ws = sockets[waiting]
    before = ws.wait_view(lambda v: v.get("hand_number") == view["hand_number"] and v.get("seat_to_act") == to_act,
                          what="waiting player's view")
    check(before.get("legal_actions") is None, f"the waiting player is offered actions: {before.get('legal_actions')}")
    ws.action("call")
    ws.wait_error("not_your_turn")
    ws.action("raise", 40)
    ws.wait_error("not_your_turn")
    after = ws.wait_view(lambda v: True, seconds=5, what="a view after the refused action")
    check(comparable(after) == comparable(before), f"state changed after not_your_turn: {comparable(before)} -> {comparable(after)}")
    # The player to act gets a reasoned invalid_action for an illegal check, and the state stays.
    acting_ws = sockets[acting]
    mine = acting_ws.wait_view(lambda v: my_turn(v), what="acting player's view")
    if not mine["legal_actions"].get("can_check"):
        acting_ws.action("check")
        error = acting_ws.wait_error("invalid_action")
        check("check" in error["message"].lower(), f"invalid_action without the reason: {error}")
        later = acting_ws.wait_view(lambda v: True, seconds=5, what="view after invalid_action")
        check(comparable(later) == comparable(mine), "state changed after invalid_action")
    for s in sockets:
        s.close()


# MARK: 8. action after leaving

def scenario_action_after_leaving(port):
    aces = Tenant(port, ACES)
    table = "nl-8"
    seated = sit(aces, table, 2)
    sockets = connect_seated(aces, table, seated)
    wait_playing(sockets[0])
    user, _ = seated[0]
    expect(aces.leave(user, table), 200, what="HTTP leave")
    sockets[0].drain(0.2)
    sockets[0].action("fold")
    sockets[0].wait_error("not_seated")
    sockets[0].action("check")
    sockets[0].wait_error("not_seated")
    stranger = aces.register("stranger")
    ws = aces.ws(stranger, table)
    ws.action("call")
    ws.wait_error("not_seated")
    for s in sockets + [ws]:
        s.close()


# MARK: 9. join over WebSocket

def scenario_join_over_ws(port):
    aces = Tenant(port, ACES)
    table = "nl-9"
    user = aces.register("wsjoin")
    ws = aces.ws(user, table)
    ws.send({"type": "join", "buy_in": 500})
    error = ws.wait_error("join_via_http")
    check(f"/api/tables/{table}/join" in error["message"] or "/api/tables/" in error["message"],
          f"join_via_http does not point to the HTTP join: {error}")
    check(aces.balance(user) == START[ACES], "a WebSocket join moved chips")
    check(user.username not in aces.seated_usernames(user, table), "a WebSocket join seated the player")
    ws.close()


# MARK: showdown hands with payouts and rake

def play_showdowns(tenant, table, hands, buy_in=1000, prefix="sd"):
    """Seats three players who check/call every hand to showdown; checks each hand's payouts and
    rake, then leaves; returns (users, total rake)."""
    seated = sit(tenant, table, 3, buy_in=buy_in, prefix=prefix)
    sockets = connect_seated(tenant, table, seated)
    names = {body["seat"]: user.username for user, body in seated}
    stacks = {body["seat"]: buy_in for _, body in seated}
    players = list(zip(seated, sockets))
    total_rake = 0
    rakes = {}
    first = wait_playing(sockets[0], 15)["hand_number"]
    for hand in range(first, first + hands):
        if hand > first:
            sockets[0].wait_view(lambda v: v.get("hand_number") == hand and v.get("status") == "playing",
                                 what=f"hand {hand} starting")
        finished = play_until_finished(players, hand)
        showdown = next((m for m in sockets[0].messages if m.get("type") == "event" and m.get("event") == "showdown"
                         and m.get("hand_number") == hand), None)
        check(showdown is not None, f"hand {hand} reached no showdown though everyone checked/called")
        pots = showdown.get("pots") or []
        pot_total = sum(int(p["amount"]) for p in pots)
        # Nobody folds or raises: every dealt-in player put in exactly the big blind.
        dealt = set(pots[0]["eligible"]) if pots else set()
        check(len(pots) == 1 and len(dealt) >= 2, f"hand {hand}: expected one pot shared by the dealt-in players: {showdown}")
        contributed = {seat: (BIG if seat in dealt else 0) for seat in stacks}
        check(pot_total == len(dealt) * BIG, f"pot {pot_total} != {len(dealt)} big blinds after check/call play: {showdown}")
        rake = int(finished.get("rake", -1))
        expected_rake = min(RAKE_CAP, pot_total * RAKE_BP // 10000)
        check(rake == expected_rake, f"hand {hand}: rake {rake}, expected {expected_rake} of pot {pot_total}")
        won = winner_amounts(finished)
        check(sum(won.values()) == pot_total - rake, f"hand {hand}: winners get {won}, pot {pot_total} minus rake {rake}")
        final = stacks_of(finished)
        for seat in stacks:
            if seat not in dealt:  # seated after the deal: not in this hand's stacks
                check(final.get(seat) is None and seat not in won, f"hand {hand}: seat {seat} was not dealt in: {finished}")
                final[seat] = stacks[seat]
        for seat, start in stacks.items():
            expected_stack = start - contributed[seat] + won.get(seat, 0)
            check(final.get(seat) == expected_stack,
                  f"hand {hand}: seat {seat} ({names[seat]}) ends with {final.get(seat)}, expected {expected_stack}")
        check(sum(final.values()) + rake == sum(stacks.values()), f"hand {hand}: chips not conserved")
        for ws in sockets:
            view = ws.wait_view(lambda v: v.get("hand_number", 0) >= hand, what="view after the hand")
            for entry in view["players"]:
                check(entry["username"] == names.get(entry["seat"]), f"{tenant.host}: stranger in the view: {entry}")
        stacks = final
        total_rake += rake
        rakes[hand] = rake
    history_checks(tenant, seated[0][0], table, first, first + hands - 1, rakes)
    # The next hand may start (blinds posted) before the leaves arrive, after the hand pause:
    # a leave then folds, so a player may get back their stack less a posted blind, and the
    # last player takes those blinds (no flop, no rake). Chips are conserved either way.
    returned = {}
    for user, body in seated:
        left = expect(tenant.leave(user, table), 200, what="leave after showdowns")
        returned[body["seat"]] = left["returned"]
    for seat, amount in returned.items():
        check(stacks[seat] - BIG <= amount <= sum(stacks.values()),
              f"leave returned {amount}, stack {stacks[seat]} (all returns {returned})")
    check(sum(returned.values()) == sum(stacks.values()),
          f"leaves returned {returned}, stacks after the last hand {stacks}")
    for ws in sockets:
        ws.close()
    users = [user for user, _ in seated]
    total = sum(tenant.balance(user) for user in users)
    check(total + total_rake == 3 * START[tenant.host], f"{tenant.host}: wallets {total} + rake {total_rake} != "
                                                        f"{3 * START[tenant.host]}")
    return users, total_rake


def history_checks(tenant, user, table, first, last, rakes):
    # The hand record is written right after the hand_finished event: allow it a moment.
    deadline = time.monotonic() + 5
    while True:
        listed = expect(tenant.call("GET", f"/api/tables/{table}/hands", token=user.token), 200, what="hand list")
        hands = listed.get("hands")
        check(isinstance(hands, list), f"no hand list: {listed}")
        numbers = {h.get("hand_number") for h in hands}
        missing = [n for n in range(first, last + 1) if n not in numbers]
        if not missing:
            break
        check(time.monotonic() < deadline, f"hands {missing} missing from the history: {sorted(numbers)}")
        time.sleep(0.2)
    one = hands[0]
    hand_id = one["id"]
    detail = expect(tenant.call("GET", f"/api/hands/{hand_id}", token=user.token), 200, what="one hand")
    check(detail.get("hand_number") == one["hand_number"] and detail.get("rake") == one["rake"],
          f"hand detail disagrees with the list: {one} vs {str(detail)[:300]}")
    if one["hand_number"] in rakes:
        check(one["rake"] == rakes[one["hand_number"]], f"history rake {one['rake']} != event rake {rakes[one['hand_number']]}")
    phh = tenant.call("GET", f"/api/hands/{hand_id}?format=phh", token=user.token)
    check(phh.status_code == 200 and "variant" in phh.text, f"PHH export failed: {phh.status_code} {phh.text[:300]}")
    outsider = tenant.register("outsider")
    response = tenant.call("GET", f"/api/hands/{hand_id}", token=outsider.token)
    check(response.status_code in (403, 404), f"a player who was not dealt in read the hand: {response.status_code}")


def scenario_showdown(port):
    play_showdowns(Tenant(port, ACES), "nl-10", hands=3)


# MARK: two tenants at once

def scenario_two_tenants(port):
    aces, kings = Tenant(port, ACES), Tenant(port, KINGS)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(play_showdowns, aces, "nl-11", 2, 1000, "tw"),
                   pool.submit(play_showdowns, kings, "nl-2", 2, 700, "tw")]
        (aces_users, _), (kings_users, _) = [f.result() for f in futures]
    # A token of one club is no key to the other.
    response = kings.call("GET", "/api/wallet", token=aces_users[0].token)
    check(response.status_code == 401, f"an aces token opened a kings wallet: {response.status_code}")
    response = kings.join(aces_users[0], "nl-2", 500)
    check(response.status_code == 401, f"an aces token joined a kings table: {response.status_code}")
    # Same username in both clubs: two separate accounts and wallets.
    name = unique("both")
    for tenant in (aces, kings):
        body = expect(tenant.call("POST", "/api/auth/register", {"username": name, "password": "correct horse battery"}),
                      201, what="same name in two clubs")
        me = expect(tenant.call("GET", "/api/wallet", token=body["access_token"]), 200)
        check(me["balance"] == START[tenant.host], f"{tenant.host} wallet of {name}: {me}")


# MARK: table rules: full, buy-in range, funds, passphrase, not found, turn timeout

def scenario_table_rules(port):
    aces = Tenant(port, ACES)
    a, b, c = aces.register("r"), aces.register("r"), aces.register("r")
    aces.join_ok(a, "hu-1", 500)
    aces.join_ok(b, "hu-1", 500)
    expect(aces.join(c, "hu-1", 500), 409, "table_full", what="third player at a 2-seat table")
    expect(aces.join(c, "nl-12", 100), 400, "invalid_buy_in", what="buy-in under the minimum")
    expect(aces.join(c, "nl-12", 2001), 400, "invalid_buy_in", what="buy-in over the maximum")
    error = expect(aces.join(c, "high-1", 20000), 400, "insufficient_chips", what="buy-in over the wallet")
    check(error["error"] == f"Insufficient chips: need 20000, have {START[ACES]}", f"message: {error['error']}")
    expect(aces.join(c, "vip-1", 500), 403, "wrong_passphrase", what="private table without passphrase")
    expect(aces.join(c, "vip-1", 500, passphrase="nope"), 403, "wrong_passphrase", what="wrong passphrase")
    expect(aces.join(c, "vip-1", 500, passphrase=PASSPHRASE), 200, what="right passphrase")
    expect(aces.join(c, "no-such-table", 500), 404, "table_not_found", what="unknown table")
    check(aces.call("POST", "/api/tables/nl-12/join", {"buy_in_amount": 500}).status_code == 401, "join without a token")
    check(aces.balance(c) == START[ACES] - 500, "refused joins moved chips")
    lobby = {t["id"]: t for t in aces.lobby(c)}
    check("hu-1" in lobby and "vip-1" in lobby, f"lobby lacks tables: {sorted(lobby)}")
    check(lobby["vip-1"].get("private") is True, f"vip-1 not marked private: {lobby['vip-1']}")
    # Turn timeout: nobody acts at quick-1 (1 s turns, no bank): the engine's timeout action applies.
    seated = sit(aces, "quick-1", 2)
    sockets = connect_seated(aces, "quick-1", seated)
    view = wait_playing(sockets[0])
    timed = sockets[0].wait(lambda m: m.get("type") == "event" and m.get("event") == "action" and m.get("timed_out") is True,
                            seconds=6, what="a timed-out action")
    check(timed.get("action") in ("fold", "check"), f"timeout applied {timed.get('action')}")
    check(timed.get("seat") == view["seat_to_act"], f"timeout hit seat {timed.get('seat')}, to act was {view['seat_to_act']}")
    for s in sockets:
        s.close()


# MARK: 10. kill -9 mid-hand, restart, every chip back

def scenario_kill_restart(port, state_file, port_file):
    """Phase one seats players in two clubs, starts hands, acts once, writes `state_file` and
    keeps the sockets open; the harness then kills the server with SIGKILL and restarts it,
    writing the new port to `port_file`; phase two checks every wallet and the lobby."""
    aces, kings = Tenant(port, ACES), Tenant(port, KINGS)
    groups = [(aces, "nl-1", sit(aces, "nl-1", 3, prefix="k")), (kings, "nl-1", sit(kings, "nl-1", 2, 400, prefix="k"))]
    sockets = []
    for tenant, table, seated in groups:
        socks = connect_seated(tenant, table, seated)
        view = wait_playing(socks[0])
        index = next(i for i, (_, body) in enumerate(seated) if body["seat"] == view["seat_to_act"])
        mover = socks[index]
        mover.wait_view(my_turn, what="mover's turn")
        mover.action("call")
        socks[0].wait(lambda m: m.get("type") == "event" and m.get("event") == "action", what="the call event")
        socks[0].wait_view(lambda v, s=view["seat_to_act"]: v.get("status") == "playing" and v.get("seat_to_act") not in (None, s),
                           what="the turn moving on (mid-hand)")
        sockets.append(socks)
    for socks in sockets:
        for ws in socks:
            check(not any(m.get("type") == "event" and m.get("event") == "hand_finished" for m in ws.messages),
                  "a hand finished before the kill; the void-hand arithmetic below assumes none did")
    users = {t.host: [(u.username, u.password) for u, _ in seated] for t, _, seated in groups}
    with open(state_file + ".tmp", "w") as f:
        json.dump(users, f)
    os.rename(state_file + ".tmp", state_file)
    print("ready for kill -9", flush=True)
    # The server dies: every socket sees its connection end (no clean close is needed).
    for socks in sockets:
        for ws in socks:
            ws.wait_closed(seconds=120)
    deadline = time.monotonic() + 120
    while not os.path.exists(port_file):
        check(time.monotonic() < deadline, "the harness never restarted the server")
        time.sleep(0.1)
    new_port = int(open(port_file).read().strip())
    for host, entries in users.items():
        tenant = Tenant(new_port, host)
        logged = [tenant.login(name, password) for name, password in entries]
        balances = [tenant.balance(user) for user in logged]
        check(all(b == START[host] for b in balances),
              f"{host}: wallets after the crash {balances}, every one should be back to {START[host]}")
        check(sum(balances) == START[host] * len(logged), f"{host}: tenant sum changed")
        lobby = tenant.lobby(logged[0])
        for entry in lobby:
            seated = entry.get("seated", entry.get("seated_count", entry.get("players", 0)))
            check(seated == 0, f"{host}: table {entry.get('id')} shows {seated} seated after the restart: {entry}")
        table = "nl-1"
        ws = tenant.ws(logged[0], table)
        ws.send({"type": "spectate"})  # no longer seated: views come to spectators
        view = ws.wait_view(lambda v: True, what="view after reconnecting")
        check(view.get("your_seat") is None, f"reconnected client still seated: {view}")
        check(not view.get("players"), f"players still seated after the restart: {view.get('players')}")
        ws.close()
        # The table plays again with the returned chips.
        rejoined = [(user, tenant.join_ok(user, table, 300)) for user in logged[:2]]
        socks = connect_seated(tenant, table, rejoined)
        wait_playing(socks[0])
        for s in socks:
            s.close()
        # Both leave by closing: chips only moved between them (a preflop hand takes no rake).
        deadline = time.monotonic() + 10
        while True:
            seated_now = tenant.seated_usernames(logged[0], table)
            if not seated_now & {u.username for u in logged[:2]}:
                break
            check(time.monotonic() < deadline, f"{host}: players still seated after closing: {seated_now}")
            time.sleep(0.1)
        deadline = time.monotonic() + 10
        while True:
            total = sum(tenant.balance(user) for user in logged)
            if total == START[host] * len(logged):
                break
            check(time.monotonic() < deadline, f"{host}: wallets sum to {total} after replaying, expected "
                                               f"{START[host] * len(logged)}")
            time.sleep(0.2)
    print("ok kill_restart", flush=True)


SCENARIOS = {
    "join_then_view": scenario_join_then_view,
    "close_during_turn": scenario_close_during_turn,
    "join_response_lost": scenario_join_response_lost,
    "concurrent_joins": scenario_concurrent_joins,
    "http_leave_ws_open": scenario_http_leave_ws_open,
    "leave_by_close": scenario_leave_by_close,
    "not_your_turn": scenario_not_your_turn,
    "action_after_leaving": scenario_action_after_leaving,
    "join_over_ws": scenario_join_over_ws,
    "showdown": scenario_showdown,
    "two_tenants": scenario_two_tenants,
    "table_rules": scenario_table_rules,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=sorted(SCENARIOS) + ["kill_restart"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state")
    parser.add_argument("--port-file")
    args = parser.parse_args()
    try:
        if args.scenario == "kill_restart":
            scenario_kill_restart(args.port, args.state, args.port_file)
        else:
            SCENARIOS[args.scenario](args.port)
            print(f"ok {args.scenario}", flush=True)
    except Failure as failure:
        print(f"FAIL {args.scenario}: {failure}", flush=True)
        return 1
    except Exception:
        print(f"FAIL {args.scenario}: unexpected error\n{traceback.format_exc()}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
