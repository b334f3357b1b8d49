"""Build ballots that produce given vote totals, for tests (not a test module)."""

from __future__ import annotations

from collections.abc import Sequence

from daihoi.rules import Ballot, Candidate


def candidates(*names: str) -> tuple[Candidate, ...]:
    return tuple(Candidate(f"c{i:02d}", name) for i, name in enumerate(names, start=1))


def valid_rows(
    votes: Sequence[int], ballots: int, keep_max: int, *, keep_min: int = 1
) -> list[tuple[int, ...]]:
    """`ballots` strike-form rows, each keeping keep_min..keep_max names, whose columns sum to `votes`."""
    rows = [[0] * len(votes) for _ in range(ballots)]
    kept = [0] * ballots
    for j in sorted(range(len(votes)), key=lambda j: -votes[j]):
        # Fill the emptiest ballots first so no ballot goes over keep_max while another has room.
        for r in sorted(range(ballots), key=lambda r: (kept[r], r))[: votes[j]]:
            rows[r][j] = 1
            kept[r] += 1
    assert all(keep_min <= k <= keep_max for k in kept), kept
    assert [sum(col) for col in zip(*rows, strict=True)] == list(votes)
    return [tuple(r) for r in rows]


def as_ballots(rows: Sequence[tuple[int | None, ...]], *, first: int = 1) -> list[Ballot]:
    return [Ballot(str(i), row) for i, row in enumerate(rows, start=first)]


def worked_example(seats: int) -> tuple[tuple[Candidate, ...], list[Ballot]]:
    """party.md's worked example: N = 30, 28 ballots, 7 candidates A–G, 3 invalid (one per reason).

    With 5 seats the table's votes (A 24 … G 9). With 4 seats those 122 votes cannot fit on 25 ballots
    keeping at most 4 names (P17: sum ≤ valid × seats = 100), so F and G drop to 1 vote each.
    """
    cands = candidates(*"ABCDEFG")
    votes = [24, 22, 20, 16, 16, 15, 9] if seats == 5 else [24, 22, 20, 16, 16, 1, 1]
    ballots = as_ballots(valid_rows(votes, 25, seats))
    ballots.append(Ballot("26", (1,) * (seats + 1) + (0,) * (6 - seats)))  # too_many_kept
    ballots.append(Ballot("27", (0,) * 7))  # all_struck
    ballots.append(Ballot("28", (1, 0, 0, 0, 0, 0, 0), "not_issued"))
    return cands, ballots
