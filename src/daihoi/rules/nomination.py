"""Forming the list: P7 floor nominees, P8 surplus, P9 the counting committee."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from daihoi.rules.errors import RuleError, RuleWarning

BallotLayout = Literal["strike", "agree_disagree"]

MAX_SURPLUS_RATIO = Fraction(3, 10)
COMMITTEE_LIST_RANGE = (Fraction(10, 100), Fraction(15, 100))


@dataclass(frozen=True)
class FloorNomineeOutcome:
    """P7's decision with its figures: admitted iff 10 × agree > 3 × present."""

    admitted: bool
    agree: int
    present: int
    required: int  # the fewest "agree" that admit: more than 30% of those present


def decide_floor_nominee(*, agree: int, present: int) -> FloorNomineeOutcome:
    """P7: a nominee outside the committee's list enters it iff more than 30% of those present agree."""
    if agree < 0 or present < 0:
        raise RuleError("negative_count", field="agree/present", value=min(agree, present))
    if agree > present:
        raise RuleError("votes_exceed_base", votes=agree, base=present)
    # The least a with 10a > 3p, in integers.
    return FloorNomineeOutcome(10 * agree > 3 * present, agree, present, 3 * present // 10 + 1)


def floor_nominee_admitted(*, agree: int, present: int) -> bool:
    """P7 as a yes/no (see `decide_floor_nominee`)."""
    return decide_floor_nominee(agree=agree, present=present).admitted


def check_nomination(
    *,
    nominator_in_convening_committee: bool,
    nominee_on_committee_list: bool,
    nominee_in_convening_committee: bool = False,
) -> None:
    """P7: convening-committee members nominate only from its list, and stand only when on it."""
    if nominee_on_committee_list:
        return
    if nominator_in_convening_committee:
        raise RuleError("convening_member_nominates_outside_list")
    if nominee_in_convening_committee:
        raise RuleError("convening_member_not_on_list")


@dataclass(frozen=True)
class SurplusCheck:
    """An accepted list: its surplus, the ballot layout it uses (P10) and any warnings (P8)."""

    candidates: int
    seats: int
    surplus: int
    layout: BallotLayout
    warnings: tuple[RuleWarning, ...]


def check_surplus(
    *,
    candidates: int,
    seats: int,
    max_ratio: Fraction = MAX_SURPLUS_RATIO,
    allow_no_surplus: bool = False,
    is_committee_list: bool = False,
) -> SurplusCheck:
    """P8: at least one extra, 10 × (c − s) ≤ 3 × s (or a lower cap), 3–5 seats at most 1 extra.

    A list with no surplus passes only when `allow_no_surplus` (a secretary or deputy) and then uses the
    agree/disagree ballot. The committee's own list outside 10–15% is a warning, never a refusal.
    """
    if seats < 1:
        raise RuleError("bad_seats", seats=seats)
    if candidates < 0:
        raise RuleError("negative_count", field="candidates", value=candidates)
    if not 0 <= max_ratio <= MAX_SURPLUS_RATIO:
        raise RuleError("cap_above_30_percent", cap=max_ratio)
    surplus = candidates - seats
    if surplus < 0:
        raise RuleError("fewer_candidates_than_seats", candidates=candidates, seats=seats)
    if surplus == 0:
        if not allow_no_surplus:
            raise RuleError("no_surplus", candidates=candidates, seats=seats)
        return SurplusCheck(candidates, seats, 0, "agree_disagree", ())
    if 3 <= seats <= 5:
        # The small-body rule replaces the ratio: 30% of 3–5 seats is under one person.
        if surplus > 1:
            raise RuleError("small_body_surplus", candidates=candidates, seats=seats)
    # surplus / seats ≤ p/q  ⇔  surplus × q ≤ p × seats, in integers.
    elif surplus * max_ratio.denominator > max_ratio.numerator * seats:
        exact_cap = max_ratio * seats
        raise RuleError(
            "surplus_over_cap",
            surplus=surplus,
            seats=seats,
            cap=f"{max_ratio * 100}%",
            max_surplus=exact_cap.numerator // exact_cap.denominator,
        )
    warnings: tuple[RuleWarning, ...] = ()
    low, high = COMMITTEE_LIST_RANGE
    if is_committee_list and not low <= Fraction(surplus, seats) <= high:
        warnings = (
            RuleWarning("committee_list_surplus_outside_range", {"surplus": surplus, "seats": seats}),
        )
    return SurplusCheck(candidates, seats, surplus, "strike", warnings)


def check_counting_committee(members: Iterable[str], candidates: Iterable[str]) -> None:
    """P9: no member of the counting committee may be on the list."""
    on_list = set(candidates)
    clash = [m for m in members if m in on_list]
    if clash:
        raise RuleError("counting_member_is_candidate", names=clash)
