#!/usr/bin/env python3
"""Replays a .phh/.phhs file in PokerKit 0.7.7 and prints each hand's final stacks.

Usage: phh_pokerkit_replay.py FILE

One line per hand: `hand NAME: finishing_stacks = [S1, S2, …]` (the same format as
`felt replay`), or `hand NAME: error REASON`. Exits 1 if any hand fails to load or replay.
Used by the Swift tests to check that PHH files written by Felt read correctly in PokerKit.
"""
import sys
import warnings

warnings.simplefilter("ignore")

from pokerkit import HandHistory  # noqa: E402


def main():
    path = sys.argv[1]
    with open(path, "rb") as f:
        text = f.read().decode()
    if text.lstrip().startswith("["):
        hands = list(HandHistory.loads_all(text))
    else:
        hands = [HandHistory.loads(text)]
    failed = False
    for index, hh in enumerate(hands, 1):
        name = hh.hand if hh.hand is not None else index
        try:
            state = None
            for state in hh:
                pass
            print(f"hand {name}: finishing_stacks = [{', '.join(str(s) for s in state.stacks)}]")
        except Exception as error:  # report every hand, do not stop at the first
            failed = True
            print(f"hand {name}: error {error}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
