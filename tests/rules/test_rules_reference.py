"""The core against an independent, naive reading of party.md (tests/rules/reference_count.py).

Differential: every field of `tally(...).to_dict()` must equal the reference, on hypothesis-drawn
elections and on small exhaustive enumerations. Also P4 motions, P3 quorum and seat allocation.

CI runs a fixed, derandomized budget. To hunt for bugs locally:
    DAIHOI_REFERENCE_EXAMPLES=5000 DAIHOI_REFERENCE_RANDOM=1 .venv/bin/pytest tests/rules/test_rules_reference.py
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import tempfile
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_count import (
    PARTY_RECORDED_REASONS,
    RefBallot,
    judge,
    percent_half_up,
    reference_allocation,
    reference_motion_passes,
    reference_party_count,
    reference_quorum_required,
)

from daihoi.rules import (
    Ballot,
    Candidate,
    Election,
    ReconciliationError,
    RuleError,
    allocate_seats,
    decide_motion,
    percent,
    quorum_status,
    tally,
)
from daihoi.tally_cli import run as run_tally_cli

EXAMPLES = int(os.environ.get("DAIHOI_REFERENCE_EXAMPLES", "300"))
HUNT = os.environ.get("DAIHOI_REFERENCE_RANDOM") == "1"
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=not HUNT,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _core(
    candidates: Sequence[tuple[str, str]],
    seats: int,
    alternates: int,
    base: int,
    ballots: Sequence[RefBallot],
    issued: int | None = None,
    *,
    tie_round: bool = False,
    tie_round_needs_majority: bool = False,
) -> dict[str, object]:
    election = Election(
        tuple(Candidate(i, name) for i, name in candidates),
        seats,
        alternates=alternates,
        base=base,
        is_tie_round=tie_round,
        tie_round_needs_majority=tie_round_needs_majority,
    )
    box = [Ballot(f"b{k}", marks, reason) for k, (marks, reason) in enumerate(ballots, start=1)]
    return tally(election, box, issued=issued).to_dict()


class Case(NamedTuple):
    """One election and its box, as both the reference and the core take it."""

    candidates: list[tuple[str, str]]
    seats: int
    alternates: int
    base: int
    ballots: list[RefBallot]
    issued: int | None = None
    tie_round: bool = False
    tie_round_needs_majority: bool = False

    def reference(self) -> dict[str, object]:
        return reference_party_count(
            self.candidates,
            self.seats,
            self.alternates,
            self.base,
            self.ballots,
            self.issued,
            tie_round=self.tie_round,
            tie_round_needs_majority=self.tie_round_needs_majority,
        )

    def core(self) -> dict[str, object]:
        return _core(
            self.candidates,
            self.seats,
            self.alternates,
            self.base,
            self.ballots,
            self.issued,
            tie_round=self.tie_round,
            tie_round_needs_majority=self.tie_round_needs_majority,
        )


def _assert_same(case: Case) -> None:
    expected, got = case.reference(), case.core()
    assert got == expected, json.dumps({"core": got, "reference": expected}, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------
# Random elections


@st.composite
def party_elections(draw: st.DrawFn) -> Case:
    """1–12 candidates, 1–8 seats, 0–3 alternates on the same ballot, invalid ballots of every kind."""
    n = draw(st.integers(1, 12))
    if n > 1 and draw(st.integers(0, 3)) > 0:  # mostly a list with a surplus, as P8 asks
        seats = draw(st.integers(1, min(8, n - 1)))
        alternates = draw(st.integers(0, min(3, n - 1 - seats)))
    else:
        seats = draw(st.integers(1, 8))
        alternates = draw(st.integers(0, 3))
    places = seats + alternates
    candidates = [(f"c{i:02d}", f"Ứng viên {i}") for i in range(n)]
    row: st.SearchStrategy[tuple[int | None, ...]]
    if n <= places:  # no surplus: agree (1) / disagree (0) / both or neither (None)
        row = st.tuples(*[st.sampled_from([1, 1, 0, None])] * n)
    else:  # surplus: names kept; mostly as many as allowed, else 0..allowed + 1 (all_struck, too_many_kept)
        full = st.sets(st.integers(0, n - 1), min_size=places, max_size=places)
        any_size = st.sets(st.integers(0, n - 1), max_size=min(n, places + 1))
        row = (
            st.integers(0, 3)
            .flatmap(lambda k: any_size if k == 3 else full)
            .map(lambda kept: tuple(int(i in kept) for i in range(n)))
        )
    # A few patterns repeated across the box concentrate the votes, so that many pass and equal totals
    # (ties at a cut-off) are common; one ballot in five is drawn free, one in ten has a recorded reason.
    pool = st.sampled_from(draw(st.lists(row, min_size=1, max_size=3)))
    if n > places and draw(st.booleans()):
        # A close contest: each ballot keeps all but one or two of a few more front-runners than places,
        # so more pass than there are places, with a clear gap or a tie at the cut-off.
        extra = draw(st.integers(1, min(2, n - places)))
        front = draw(st.permutations(range(n)))[: places + extra]
        pool = st.sets(st.sampled_from(front), min_size=extra, max_size=extra).map(
            lambda dropped: tuple(int(i in front and i not in dropped) for i in range(n))
        )
    ballots: list[RefBallot] = []
    for _ in range(draw(st.integers(1, 30))):  # the empty box is in the exhaustive tests
        marks = draw(row) if draw(st.integers(0, 4)) == 4 else draw(pool)
        recorded = draw(st.sampled_from(PARTY_RECORDED_REASONS)) if draw(st.integers(0, 9)) == 9 else None
        ballots.append((marks, recorded))
    received = len(ballots)
    # N from the valid ballots up to 3 × the box; mostly within a few of the box, where outcomes vary.
    valid = sum(1 for marks, r in ballots if judge(marks, r, n, places) is None)
    slack = draw(st.sampled_from([0, 0, 1, 2, 3, received - valid, 2 * received]))
    base = min(max(1, valid + slack), 3 * max(1, received))
    issued = draw(st.none() | st.integers(received, received + 3))
    tie_round = draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False
    return Case(candidates, seats, alternates, base, ballots, issued, tie_round, draw(st.booleans()))


@SETTINGS
@given(party_elections())
def test_core_tally_equals_reference_on_random_elections(case: Case) -> None:
    _assert_same(case)


@settings(SETTINGS, max_examples=max(EXAMPLES // 10, 20))
@given(party_elections().filter(lambda case: not case.tie_round))
def test_tally_cli_json_equals_reference(case: Case) -> None:
    """The CLI's JSON (CSV in, tally-format out) is the same count; it has no tie-round flags."""
    with tempfile.TemporaryDirectory() as tmp:
        cpath, bpath = Path(tmp, "candidates.csv"), Path(tmp, "ballots.csv")
        with cpath.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "name"])
            w.writerows(case.candidates)
        with bpath.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["ballot", "invalid_reason", *(c for c, _ in case.candidates)])
            for k, (marks, reason) in enumerate(case.ballots, start=1):
                w.writerow([f"b{k}", reason or "", *("" if m is None else str(m) for m in marks)])
        argv = [
            "--rules", "party",
            "--seats", str(case.seats),
            "--alternates", str(case.alternates),
            "--base", str(case.base),
            "--candidates", str(cpath),
            "--ballots", str(bpath),
        ]  # fmt: skip
        if case.issued is not None:
            argv += ["--issued", str(case.issued)]
        got = json.loads(run_tally_cli(argv))
    assert got == case.reference()


# ---------------------------------------------------------------------------------------------------------
# Exhaustive: every box of ballots, small


def _strike_patterns(n: int) -> list[tuple[int, ...]]:
    return list(itertools.product((0, 1), repeat=n))


def _boxes(patterns: Sequence[tuple[int | None, ...]], most: int) -> list[list[RefBallot]]:
    """Every multiset of up to `most` ballots drawn from `patterns` (the count is order-free)."""
    boxes: list[list[RefBallot]] = []
    for size in range(most + 1):
        for combo in itertools.combinations_with_replacement(patterns, size):
            boxes.append([(marks, None) for marks in combo])
    return boxes


@pytest.mark.parametrize(
    ("n", "seats", "alternates", "most"),
    [
        (3, 2, 0, 6),  # 8 patterns incl. all_struck and too_many_kept: 3003 boxes
        (3, 1, 1, 6),  # one ballot for an official and an alternate
        (3, 1, 0, 6),
        (4, 2, 1, 4),  # 16 patterns: 4845 boxes
    ],
)
def test_core_tally_equals_reference_on_every_small_box(
    n: int, seats: int, alternates: int, most: int
) -> None:
    candidates = [(f"c{i}", f"Người {i}") for i in range(n)]
    checked = 0
    for box in _boxes(_strike_patterns(n), most):
        received = len(box)
        for base in range(max(1, received), received + 3):
            _assert_same(Case(candidates, seats, alternates, base, box))
            checked += 1
    assert checked > 3 * 3000 if n == 3 else checked > 3 * 4800


@pytest.mark.parametrize(("n", "seats", "most"), [(1, 1, 8), (2, 2, 5), (2, 1, 5)])
def test_core_tally_equals_reference_on_every_small_no_surplus_box(n: int, seats: int, most: int) -> None:
    """Agree/disagree ballots, with both-or-neither (None) cells; (2, 1) is 1 seat + 1 alternate."""
    alternates = 1 if seats < n else 0
    candidates = [(f"c{i}", f"Người {i}") for i in range(n)]
    patterns = list(itertools.product((0, 1, None), repeat=n))
    for box in _boxes(patterns, most):
        received = len(box)
        for base in range(max(1, received), received + 3):
            _assert_same(Case(candidates, seats, alternates, base, box))


@pytest.mark.parametrize("reason", PARTY_RECORDED_REASONS)
def test_recorded_reason_makes_any_ballot_invalid(reason: str) -> None:
    """tally-format.md: a recorded code makes the ballot invalid whatever its marks."""
    candidates = [(f"c{i}", f"Người {i}") for i in range(3)]
    for marks in _strike_patterns(3):
        box: list[RefBallot] = [((1, 1, 0), None), ((0, 1, 1), None), (marks, reason)]
        _assert_same(Case(candidates, 2, 0, 3, box))


def test_worked_example_of_party_md() -> None:
    """party.md's worked example (N = 30, 28 ballots) through the reference and the core."""
    candidates = [(c, c) for c in "ABCDEFG"]
    votes = [24, 22, 20, 16, 16, 15, 9]
    rows = [[0] * 7 for _ in range(25)]
    load = [0] * 25
    for j in sorted(range(7), key=lambda j: -votes[j]):
        for r in sorted(range(25), key=lambda r: (load[r], r))[: votes[j]]:
            rows[r][j] = 1
            load[r] += 1
    box: list[RefBallot] = [(tuple(r), None) for r in rows]
    box += [((1, 1, 1, 1, 1, 1, 0), None), ((0,) * 7, None), ((1, 0, 0, 0, 0, 0, 0), "not_issued")]
    ref = reference_party_count(candidates, 5, 0, 30, box)
    assert [c["votes"] for c in ref["candidates"]] == votes
    assert [c["percent"] for c in ref["candidates"]] == [
        "80.00",
        "73.33",
        "66.67",
        "53.33",
        "53.33",
        "50.00",
        "30.00",
    ]
    assert ref["elected"] == ["A", "B", "C", "D", "E"]
    assert ref["ballots"]["invalid_by_reason"] == {"too_many_kept": 1, "all_struck": 1, "not_issued": 1}
    assert [c["rank"] for c in ref["candidates"]] == [1, 2, 3, 4, 4, 6, 7]
    _assert_same(Case(candidates, 5, 0, 30, box))


# ---------------------------------------------------------------------------------------------------------
# P17 reconciliation on the figures the box cannot decide: received ≤ issued ≤ present


@SETTINGS
@given(st.integers(0, 8), st.integers(0, 12), st.integers(0, 12) | st.none())
def test_tally_refuses_iff_received_issued_present_out_of_order(
    received: int, issued: int, present: int | None
) -> None:
    election = Election((Candidate("a", "A"), Candidate("b", "B")), 1, base=20)
    box = [Ballot(str(k), (1, 0)) for k in range(received)]
    ok = received <= issued and (present is None or issued <= present)
    if ok:
        assert tally(election, box, issued=issued, present=present).issued == issued
    else:
        with pytest.raises(ReconciliationError):
            tally(election, box, issued=issued, present=present)


# ---------------------------------------------------------------------------------------------------------
# Percentages: two decimals, half up, exact


def test_percent_is_exact_half_up_for_every_count_up_to_300() -> None:
    """P16: the reference's integer rounding agrees with Decimal ROUND_HALF_UP, and the core with both."""
    context = Context(prec=60, rounding=ROUND_HALF_UP)
    for base in range(1, 301):
        for votes in range(base + 1):
            exact = context.divide(Decimal(100 * votes), Decimal(base))
            expected = str(exact.quantize(Decimal("0.01"), context=context))
            assert percent_half_up(votes, base) == expected == percent(votes, base), (votes, base)
    candidates = [("a", "A"), ("b", "B")]
    for base, votes, text in [
        (32, 1, "3.13"),  # 3.125 rounds up, not to even
        (800, 1, "0.13"),
        (160, 1, "0.63"),
        (8, 1, "12.50"),
        (3, 2, "66.67"),
        (1, 1, "100.00"),
    ]:
        box: list[RefBallot] = [((1, 0), None)] * votes
        got = _core(candidates, 1, 0, base, box)
        assert got["candidates"][0]["percent"] == text == percent_half_up(votes, base)  # type: ignore[index]


# ---------------------------------------------------------------------------------------------------------
# P4 motions, P3 quorum


def test_P4_motion_passes_iff_twice_yes_exceeds_N_for_every_N_up_to_40() -> None:
    """Every yes/no with the rest abstaining or absent, N = 1..40 (about 24,000 calls)."""
    for base in range(1, 41):
        for yes in range(base + 1):
            for no in range(base - yes + 1):
                for abstain in {0, base - yes - no}:
                    outcome = decide_motion(yes=yes, no=no, abstain=abstain, base=base)
                    assert outcome.passed is reference_motion_passes(yes, base), (yes, no, abstain, base)
                    assert outcome.required_yes == min(y for y in range(base + 2) if 2 * y > base)
                    assert (outcome.yes, outcome.no, outcome.abstain) == (yes, no, abstain)
                    assert outcome.yes_percent == percent_half_up(yes, base)
                    assert outcome.no_percent == percent_half_up(no, base)
                    assert outcome.abstain_percent == percent_half_up(abstain, base)
                    assert outcome.denominator == base


@pytest.mark.skipif(not HUNT, reason="the full cube is a bug hunt, not a CI test")
def test_P4_motion_every_yes_no_abstain_up_to_40() -> None:
    for base in range(1, 41):
        for yes in range(base + 1):
            for no in range(base - yes + 1):
                for abstain in range(base - yes - no + 1):
                    assert decide_motion(yes=yes, no=no, abstain=abstain, base=base).passed is (
                        2 * yes > base
                    )


def test_P4_motion_refuses_more_votes_than_N() -> None:
    with pytest.raises(RuleError):
        decide_motion(yes=20, no=10, abstain=1, base=30)


def test_P3_quorum_two_thirds_of_convened_for_every_count_up_to_45() -> None:
    for convened in range(1, 46):
        required = reference_quorum_required(convened)
        assert required == math.ceil(Fraction(2, 3) * convened)
        for present in range(convened + 1):
            for base in range(1, convened + 1):
                status = quorum_status(convened=convened, present=present, base=base)
                assert status.required == required
                assert status.is_met is (present >= required) is (3 * present >= 2 * convened)
                assert status.majority_possible is (2 * present > base)
                # P3: warn whatever the setting when 2 × present ≤ N; refuse to proceed below the quorum.
                assert bool(status.warnings) is (2 * present <= base)
                assert (status.error() is None) is status.is_met


@SETTINGS
@given(st.integers(1, 300), st.data())
def test_P3_quorum_with_a_settable_ratio(convened: int, data: st.DataObject) -> None:
    ratio = Fraction(data.draw(st.integers(0, 12)), 12)
    present = data.draw(st.integers(0, convened))
    status = quorum_status(convened=convened, present=present, base=convened, ratio=ratio)
    assert status.required == reference_quorum_required(convened, ratio)
    assert status.is_met is (Fraction(present) >= ratio * convened)


# ---------------------------------------------------------------------------------------------------------
# Seat allocation: a minimum per unit, then largest remainder (Hamilton)


@SETTINGS
@given(
    st.dictionaries(
        st.text("abcdefxyz", min_size=1, max_size=3), st.integers(1, 500), min_size=1, max_size=8
    ),
    st.integers(0, 80),
    st.integers(0, 5),
    st.integers(0, 3),
)
def test_allocation_equals_reference_and_keeps_hamilton(
    members: dict[str, int], total: int, ex_officio: int, minimum: int
) -> None:
    rest = total - ex_officio - minimum * len(members)
    if rest < 0:
        with pytest.raises(RuleError):
            allocate_seats(members, total, ex_officio_seats=ex_officio, minimum_per_unit=minimum)
        return
    got = allocate_seats(members, total, ex_officio_seats=ex_officio, minimum_per_unit=minimum)
    seats = {u.unit: u.seats for u in got.units}
    assert [u.unit for u in got.units] == list(members)
    assert seats == reference_allocation(members, total, ex_officio, minimum)
    assert got.total_seats == total and got.ex_officio_seats == ex_officio
    assert sum(seats.values()) == got.elected_seats == total - ex_officio
    assert all(s >= minimum for s in seats.values())
    quota = {u.unit: u.quota for u in got.units}
    assert quota == {u: Fraction(rest * m, sum(members.values())) for u, m in members.items()}
    extra = {u: seats[u] - minimum - math.floor(quota[u]) for u in members}
    assert set(extra.values()) <= {0, 1}
    for gainer, loser in itertools.permutations(members, 2):
        # Hamilton: a unit that got a remainder seat has a remainder at least as large as any that did not.
        if extra[gainer] == 1 and extra[loser] == 0:
            assert quota[gainer] % 1 >= quota[loser] % 1, (gainer, loser, quota)


def test_allocation_refuses_a_unit_without_members() -> None:
    with pytest.raises(RuleError):
        allocate_seats({"a": 0, "b": 3}, 5)
