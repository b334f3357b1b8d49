"""A deliberately naive reference count of rule set `party`, written from shared/rules/party.md alone.

Not a test module. It is a second, independent reading of P11–P16 (and of the JSON shape in
shared/rules/tally-format.md), kept slow and obvious so that a differential test can hold the core to it.
It shares no code with `daihoi.rules` beyond the data it is given.

Places where the spec leaves a choice open are marked AMBIGUOUS, with the reading taken.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

# P12, "Recorded by the counting committee (settable list)". `torn` is tally-format.md's example.
PARTY_RECORDED_REASONS = ("not_issued", "added_name", "signed_or_marked", "single_both_or_none", "torn")

# A ballot for the reference: (marks, recorded reason or None). A mark is 1 kept/agree, 0 struck/disagree,
# None both boxes or neither (no-surplus list only).
RefBallot = tuple[tuple[int | None, ...], str | None]


def percent_half_up(votes: int, base: int) -> str:
    """votes / base × 100, two decimals, half up (P16), by exact fractions: no floats anywhere."""
    value = Fraction(100 * votes, base) * 100  # in hundredths of a percent
    hundredths = math.floor(value + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def judge(marks: Sequence[int | None], reason: str | None, n_candidates: int, places: int) -> str | None:
    """P11/P12: None for a valid ballot, else its one reason code."""
    if reason is not None:
        # tally-format.md: a recorded code makes the ballot invalid "whatever its marks".
        return reason
    has_surplus = n_candidates > places
    if has_surplus:
        kept = sum(1 for m in marks if m == 1)
        if kept > places:
            return "too_many_kept"
        if kept == 0:
            return "all_struck"
        return None
    # No surplus (agree/disagree boxes). P11: a person whose boxes are both or neither marked gets no vote,
    # the ballot stays valid. P12 lists `single_both_or_none` (a one-person list) as a *recorded* code.
    # AMBIGUOUS: on a one-person list with both/neither, is the ballot valid (P11) or invalid (P12)?
    # The core decides it from the marks as invalid `single_both_or_none` (the more specific rule); the
    # reference follows, and the report asks the lead.
    if n_candidates == 1 and marks[0] is None:
        return "single_both_or_none"
    return None


def reference_party_count(
    candidates: Sequence[tuple[str, str]],
    seats: int,
    alternates: int,
    base: int,
    ballots: Sequence[RefBallot],
    issued: int | None = None,
    *,
    tie_round: bool = False,
    tie_round_needs_majority: bool = False,
) -> dict[str, Any]:
    """Count a party election (P11–P15, one ballot for officials and alternates) into tally-format's JSON.

    `tie_round`: P13's next round among the tied, where the highest wins; it needs 2 × votes > N only
    when `tie_round_needs_majority` (settable, default no).
    """
    n = len(candidates)
    places = seats + alternates  # P15: on one ballot a voter keeps at most seats + alternates names

    # --- P11/P12: validity, one reason per invalid ballot.
    invalid_by_reason: dict[str, int] = {}
    valid_ballots = []
    for marks, reason in ballots:
        assert len(marks) == n
        why = judge(marks, reason, n, places)
        if why is None:
            valid_ballots.append(marks)
        else:
            invalid_by_reason[why] = invalid_by_reason.get(why, 0) + 1

    # --- P13: votes on valid ballots only.
    votes = [0] * n
    for marks in valid_ballots:
        for i in range(n):
            if marks[i] == 1:
                votes[i] += 1

    # --- P13: pass iff 2 × votes > N.
    if not tie_round or tie_round_needs_majority:
        passed = [2 * votes[i] > base for i in range(n)]
    else:
        # AMBIGUOUS: P13 says only "the highest of the tied wins" when the tie round needs no majority.
        # The core then asks for at least one vote (a name nobody kept wins nothing) and reports that
        # test as `passed_threshold`; the reference follows and the report asks the lead.
        passed = [votes[i] > 0 for i in range(n)]

    # --- P13/P15: the passed, highest first, fill officials then alternates by position. A group of equal
    # votes that crosses a cut-off (official/alternate, or the last alternate place) is tied: its places
    # stay open for a next round among the group.
    # AMBIGUOUS (order among equals): the spec orders the elected "by votes"; between equal votes the
    # reference keeps ballot order (a stable sort), as the core does. For alternates this order is their
    # order of replacement (P15), which equal votes inside the alternate places leave undecided.
    order = sorted((i for i in range(n) if passed[i]), key=lambda i: -votes[i])
    result = ["not_elected"] * n
    elected: list[int] = []
    elected_alternates: list[int] = []
    next_rounds: list[dict[str, Any]] = []

    position = 0
    while position < len(order):
        end = position
        while end < len(order) and votes[order[end]] == votes[order[position]]:
            end += 1
        group = order[position:end]  # positions [position, end)
        if end <= seats:
            for i in group:
                result[i] = "elected"
                elected.append(i)
        elif position >= places:
            pass  # passed, but every place is taken above them
        elif position >= seats and end <= places:
            for i in group:
                result[i] = "elected_alternate"
                elected_alternates.append(i)
        else:
            # AMBIGUOUS (P15): a tie at the official cut-off whose group reaches into the alternate places
            # also leaves those alternate places to the tie round (they count in unfilled_seats), but the
            # contract's next_round has only `seats` for the officials. Those below the group still take
            # the remaining alternate places, although their order of replacement comes after the tie's
            # loser. The core does the same (NextRound.alternates, not in the JSON).
            for i in group:
                result[i] = "tied"
            if position < seats:
                next_rounds.append(
                    {
                        "reason": "tie",
                        "seats": seats - position,
                        "candidates": [candidates[i][0] for i in group],
                    }
                )
            else:
                next_rounds.append(
                    {
                        "reason": "tie",
                        "seats": places - position,
                        "candidates": [candidates[i][0] for i in group],
                    }
                )
        position = end

    # --- P14: fewer passed than places. Those not elected may stand again.
    if len(order) < places:
        # AMBIGUOUS (which list): "the candidates not elected"; the reference lists every candidate
        # whose result is not_elected, in ballot order.
        again = [candidates[i][0] for i in range(n) if result[i] == "not_elected"]
        if len(order) < seats:
            next_rounds.append(
                {"reason": "not_enough_passed", "seats": seats - len(order), "candidates": again}
            )
        else:
            next_rounds.append(
                {"reason": "not_enough_passed", "seats": places - len(order), "candidates": again}
            )

    # --- ranks 1, 1, 3.
    rank = [1 + sum(1 for j in range(n) if votes[j] > votes[i]) for i in range(n)]

    received = len(ballots)
    return {
        "rules": "party",
        "seats": seats,
        "base": base,
        "alternates": alternates,
        "ballots": {
            "issued": received if issued is None else issued,
            "received": received,
            "valid": len(valid_ballots),
            "invalid": received - len(valid_ballots),
            "invalid_by_reason": invalid_by_reason,
        },
        "candidates": [
            {
                "id": candidates[i][0],
                "name": candidates[i][1],
                "votes": votes[i],
                "percent": percent_half_up(votes[i], base),
                "passed_threshold": passed[i],
                "result": result[i],
                "rank": rank[i],
            }
            for i in range(n)
        ],
        "elected": [candidates[i][0] for i in elected],
        "elected_alternates": [candidates[i][0] for i in elected_alternates],
        "unfilled_seats": seats - len(elected) + alternates - len(elected_alternates),
        "next_round": next_rounds[0] if next_rounds else None,
    }


def reference_motion_passes(yes: int, base: int) -> bool:
    """P4: a motion passes iff 2 × yes > N."""
    return 2 * yes > base


def reference_quorum_required(convened: int, ratio: Fraction = Fraction(2, 3)) -> int:
    """P3: the fewest present that is ≥ ratio × convened, by counting up (no ceil tricks)."""
    present = 0
    while Fraction(present) < ratio * convened:
        present += 1
    return present


def reference_allocation(
    members_by_unit: Mapping[str, int], total_seats: int, ex_officio_seats: int, minimum: int
) -> dict[str, int]:
    """Each unit gets `minimum`; the rest of (total − ex officio) goes by largest remainder on members.

    The remainders are compared exactly; equal remainders go to the unit whose key sorts first
    (allocation.py's stated contract; the spec gives no tie rule).
    """
    units = list(members_by_unit)
    rest = total_seats - ex_officio_seats - minimum * len(units)
    total_members = sum(members_by_unit.values())
    seats = {u: minimum for u in units}
    quotas = {u: Fraction(rest * members_by_unit[u], total_members) for u in units}
    for u in units:
        seats[u] += math.floor(quotas[u])
    left = rest - sum(math.floor(q) for q in quotas.values())
    by_remainder = sorted(units, key=lambda u: (-(quotas[u] - math.floor(quotas[u])), u))
    for u in by_remainder[:left]:
        seats[u] += 1
    return seats
