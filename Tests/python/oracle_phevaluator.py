#!/usr/bin/env python3
"""Evaluator oracle: Felt's hand strengths against phevaluator (PokerHandEvaluator's Python
binding) on the hands a Swift test sends.

Reads lines from stdin, one hand each:
    h CARDS STRENGTH          5 to 7 cards, e.g. "h AsKsQsJsTs2c3d 7462"
    o BOARD HOLE STRENGTH     Omaha: 5 board cards then 4 hole cards
where STRENGTH is Felt's class number (1 = 7-5-4-3-2 unsuited … 7462 = royal flush).
phevaluator ranks the same 7,462 classes the other way round (1 = royal flush), so every
hand must satisfy felt == 7463 - phevaluator; that fixes the order of all hands, ties included.

Prints `phevaluator: N hands, M mismatches` (and up to 10 mismatches) and exits 1 on any mismatch.
"""
import sys

from phevaluator import evaluate_cards, evaluate_omaha_cards


def split(cards):
    return [cards[i:i + 2] for i in range(0, len(cards), 2)]


def main():
    checked, mismatches = 0, []
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "h":
            cards, felt = split(parts[1]), int(parts[2])
            rank = evaluate_cards(*cards)
        elif parts[0] == "o":
            board, hole, felt = split(parts[1]), split(parts[2]), int(parts[3])
            rank = evaluate_omaha_cards(*board, *hole)
        else:
            sys.exit(f"phevaluator: bad line {line!r}")
        checked += 1
        if felt != 7463 - rank:
            mismatches.append(f"{line.strip()}: phevaluator rank {rank} (expected Felt {7463 - rank})")
    print(f"phevaluator: {checked} hands, {len(mismatches)} mismatches")
    for m in mismatches[:10]:
        print("MISMATCH: " + m)
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
