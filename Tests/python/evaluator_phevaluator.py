#!/usr/bin/env python3
"""Cross-check Felt's hand evaluator against phevaluator (PyPI) on random hands.

Felt is asked through its hidden test mode `felt bench engine --evaluate-stdin` (one hand per
line: 5-7 card names for hold'em, or `omaha H H H H | B B B B B`; one strength per line,
1..7462, higher wins). phevaluator returns 1..7462 with 1 the best, over the same standard
7,462 equivalence classes, so for every hand Felt's value must be exactly 7463 - rank; the
script also checks that both order random pairs of hands the same way.

Hands: uniformly random 5-, 6- and 7-card hands, plus hands forced to hold five or more
cards of one suit (flushes, straight flushes) and hands drawn from few ranks (quads, full
houses), plus random Omaha hands (four hole cards, five board cards).

Usage: evaluator_phevaluator.py --felt PATH [--hands N] [--omaha N] [--seed S]
Exit status 0 when everything agrees, 1 otherwise (with the first disagreements printed).
"""

import argparse
import random
import subprocess
import sys
from collections import Counter

from phevaluator import evaluate_cards, evaluate_omaha_cards

RANKS = "23456789TJQKA"
SUITS = "cdhs"
DECK = [r + s for r in RANKS for s in SUITS]
CATEGORIES = [  # Felt's class-number boundaries (inclusive upper bounds), weakest first
    (1277, "high card"), (4137, "one pair"), (4995, "two pair"), (5853, "three of a kind"),
    (5863, "straight"), (7140, "flush"), (7296, "full house"), (7452, "four of a kind"),
    (7462, "straight flush"),
]


def category(value):
    for upper, name in CATEGORIES:
        if value <= upper:
            return name
    return "invalid"


def random_hand(rng, size):
    kind = rng.random()
    if kind < 0.2:  # five or more of one suit
        suit = rng.choice(SUITS)
        suited = rng.randint(5, size)
        hand = [r + suit for r in rng.sample(RANKS, suited)]
        rest = [c for c in DECK if c not in hand]
        return hand + rng.sample(rest, size - suited)
    if kind < 0.3:  # few ranks: quads and full houses
        ranks = rng.sample(RANKS, 3)
        pool = [r + s for r in ranks for s in SUITS]
        return rng.sample(pool, size)
    return rng.sample(DECK, size)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--felt", required=True, help="path of the felt executable")
    parser.add_argument("--hands", type=int, default=5000, help="hold'em hands to check")
    parser.add_argument("--omaha", type=int, default=2000, help="Omaha hands to check")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    lines, expected, labels = [], [], []
    for i in range(args.hands):
        hand = random_hand(rng, 5 + i % 3)
        lines.append(" ".join(hand))
        expected.append(7463 - evaluate_cards(*hand))
        labels.append(" ".join(hand))
    for _ in range(args.omaha):
        cards = rng.sample(DECK, 9)
        hole, board = cards[:4], cards[4:]
        lines.append("omaha " + " ".join(hole) + " | " + " ".join(board))
        expected.append(7463 - evaluate_omaha_cards(*board, *hole))
        labels.append("omaha hole " + " ".join(hole) + " board " + " ".join(board))

    result = subprocess.run([args.felt, "bench", "engine", "--evaluate-stdin"],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        print(f"felt exited with {result.returncode}: {result.stderr.strip()}")
        print("\n".join(l for l in result.stdout.splitlines() if l.startswith("error"))[:2000])
        return 1
    answers = result.stdout.split()
    if len(answers) != len(lines):
        print(f"felt answered {len(answers)} lines for {len(lines)} hands")
        return 1
    felt = [int(a) for a in answers]

    failures = []
    for label, got, want in zip(labels, felt, expected):
        if got != want:
            failures.append(f"{label}: felt {got} ({category(got)}), phevaluator {want} ({category(want)})")
    # Ordering: every consecutive pair plus random pairs must compare the same way.
    pairs = [(i, i + 1) for i in range(len(felt) - 1)]
    pairs += [(rng.randrange(len(felt)), rng.randrange(len(felt))) for _ in range(len(felt))]
    misordered = 0
    for i, j in pairs:
        if (felt[i] > felt[j]) - (felt[i] < felt[j]) != (expected[i] > expected[j]) - (expected[i] < expected[j]):
            misordered += 1

    counts = Counter(category(v) for v in felt)
    print(f"checked {len(felt)} hands ({args.hands} hold'em, {args.omaha} Omaha), "
          f"{len(pairs)} ordered pairs; categories: "
          + ", ".join(f"{name} {counts[name]}" for _, name in CATEGORIES))
    if failures or misordered:
        print(f"{len(failures)} class disagreements, {misordered} ordering disagreements")
        for line in failures[:20]:
            print("  " + line)
        return 1
    print("felt and phevaluator agree on every hand and every pair")
    return 0


if __name__ == "__main__":
    sys.exit(main())
