"""Benchmark of the count: ballots × candidates, in memory and through `daihoi tally`'s CSV path.

Usage: .venv/bin/python bench/tally.py [--repeat 3] [--no-csv]
Prints ballots per second; the last line is JSON: [{"ballots", "candidates", "seconds", "path"}, ...].
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from daihoi.rules import Ballot, Candidate, Election, tally
from daihoi.tally_cli import run

# (ballots, candidates, seats, alternates): a large party congress's executive committee, and a
# national-size election of 200 places (180 officials + 20 alternates) from 220 names on one ballot.
CASES = ((100_000, 30, 15, 0), (1_600, 220, 180, 20))


def make_ballots(n_ballots: int, n_candidates: int, places: int, seed: int) -> list[Ballot]:
    """Seeded synthetic ballots: realistic popularity spread, ~1% recorded invalid, some over-kept."""
    rnd = random.Random(seed)
    raw = [rnd.uniform(0.1, 0.9) for _ in range(n_candidates)]
    # Voters keep about 90% of the places on average; the spread puts some names above half.
    popularity = [min(0.97, r * 0.9 * places / sum(raw)) for r in raw]
    ballots = []
    for i in range(n_ballots):
        marks = tuple(1 if rnd.random() < p else 0 for p in popularity)
        reason = "torn" if rnd.random() < 0.005 else ("not_issued" if rnd.random() < 0.005 else None)
        ballots.append(Ballot(str(i + 1), marks, reason))
    return ballots


def time_best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-csv", action="store_true", help="skip the CSV parse + count path")
    args = parser.parse_args()
    rows = []
    for n_ballots, n_candidates, seats, alternates in CASES:
        candidates = tuple(Candidate(f"c{i:03d}", f"Ứng cử viên {i}") for i in range(1, n_candidates + 1))
        election = Election(candidates, seats, alternates=alternates, base=n_ballots)
        ballots = make_ballots(
            n_ballots, n_candidates, seats + alternates, seed=n_ballots * 1000 + n_candidates
        )
        result = tally(election, ballots)
        seconds = time_best(lambda: tally(election, ballots), args.repeat)  # noqa: B023
        print(
            f"core {n_ballots:>7} ballots × {n_candidates:>3} candidates: {seconds:.3f} s, "
            f"{n_ballots / seconds:,.0f} ballots/s, {n_ballots * n_candidates / seconds / 1e6:.1f} M cells/s "
            f"(valid {result.ballots.valid}, elected {len(result.elected)})"
        )
        rows.append(
            {"ballots": n_ballots, "candidates": n_candidates, "seconds": round(seconds, 4), "path": "core"}
        )
        if args.no_csv:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            cpath, bpath = Path(tmp, "candidates.csv"), Path(tmp, "ballots.csv")
            with cpath.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["id", "name"])
                w.writerows(candidates)
            with bpath.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["ballot", "invalid_reason", *(c.id for c in candidates)])
                w.writerows([b.id, b.invalid_reason or "", *b.marks] for b in ballots)
            argv = ["--seats", str(seats), "--alternates", str(alternates), "--base", str(n_ballots)]
            argv += ["--candidates", str(cpath), "--ballots", str(bpath)]
            assert json.loads(run(argv)) == result.to_dict()
            seconds = time_best(lambda: run(argv), args.repeat)  # noqa: B023
        print(
            f"csv  {n_ballots:>7} ballots × {n_candidates:>3} candidates: {seconds:.3f} s, "
            f"{n_ballots / seconds:,.0f} ballots/s (parse + count + JSON)"
        )
        rows.append(
            {"ballots": n_ballots, "candidates": n_candidates, "seconds": round(seconds, 4), "path": "csv"}
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
