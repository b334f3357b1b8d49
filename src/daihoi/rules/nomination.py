"""Forming the list: P7 floor nominees, P8 surplus, P9 the counting committee."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from daihoi.rules.errors import RuleError, RuleWarning
from daihoi.rules.ruleset import RuleSet
from daihoi.rules.rulesets import get_ruleset

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


def decide_floor_nominee(
    *, agree: int, present: int, threshold: Fraction = Fraction(3, 10)
) -> FloorNomineeOutcome:
    """P7: a nominee outside the committee's list enters it iff more than 30% of those present agree
    (`threshold`, the rule set's `floor_nominee_threshold`)."""
    if agree < 0 or present < 0:
        raise RuleError("negative_count", field="agree/present", value=min(agree, present))
    if agree > present:
        raise RuleError("votes_exceed_base", votes=agree, base=present)
    p, q = threshold.numerator, threshold.denominator
    # The least a with q·a > p·present, in integers.
    return FloorNomineeOutcome(q * agree > p * present, agree, present, p * present // q + 1)


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


def check_list_surplus(
    rules: RuleSet | str,
    *,
    candidates: int,
    seats: int,
    allow_no_surplus: bool = False,
    is_committee_list: bool = False,
) -> SurplusCheck:
    """The list's surplus by the rule set's own rules: P8 for `party`; a rule set with no surplus rule
    (`approval`, `shareholders`) only needs as many names as seats, and never warns."""
    rs = get_ruleset(rules) if isinstance(rules, str) else rules
    if rs.surplus_required or rs.max_surplus_ratio is not None:
        return check_surplus(
            candidates=candidates,
            seats=seats,
            max_ratio=rs.max_surplus_ratio if rs.max_surplus_ratio is not None else MAX_SURPLUS_RATIO,
            allow_no_surplus=allow_no_surplus or not rs.surplus_required,
            is_committee_list=is_committee_list,
            rules=rs,
        )
    if seats < 1:
        raise RuleError("bad_seats", seats=seats)
    if candidates < 0:
        raise RuleError("negative_count", field="candidates", value=candidates)
    if candidates < seats:
        raise RuleError("fewer_candidates_than_seats", candidates=candidates, seats=seats)
    surplus = candidates - seats
    return SurplusCheck(candidates, seats, surplus, "strike" if surplus else "agree_disagree", ())


def check_surplus(
    *,
    candidates: int,
    seats: int,
    max_ratio: Fraction = MAX_SURPLUS_RATIO,
    allow_no_surplus: bool = False,
    is_committee_list: bool = False,
    rules: RuleSet | None = None,
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
    rs = rules if rules is not None else get_ruleset("party")
    small = rs.small_body_seats
    if small is not None and small[0] <= seats <= small[1]:
        # The small-body rule replaces the ratio: 30% of 3–5 seats is under one person.
        if surplus > rs.small_body_max_surplus:
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
    span = rs.committee_list_range
    if is_committee_list and span is not None and not span[0] <= Fraction(surplus, seats) <= span[1]:
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
