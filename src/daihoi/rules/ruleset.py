"""What a rule set states, as data: thresholds and their denominators, ballot validity, ties, casting."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

BallotForm = Literal["strike", "cumulative"]
BaseKind = Literal["given", "valid_ballots", "shares_present_x_seats"]
# A motion's base: N of P2 as given by the caller, or the votes cast on the motion itself.
MotionBaseKind = Literal["given", "votes_cast"]

# Reasons a ballot is invalid that the engine decides from the marks (P12, S4).
TOO_MANY_KEPT = "too_many_kept"
ALL_STRUCK = "all_struck"
SINGLE_BOTH_OR_NONE = "single_both_or_none"
OVER_ALLOWANCE = "over_allowance"
TOO_MANY_CANDIDATES = "too_many_candidates"


@dataclass(frozen=True)
class RuleSet:
    """One kind of assembly's counting rules; see the module under `daihoi.rules.rulesets` that builds it."""

    name: str
    title: str
    # How a ballot is marked. "strike": keep (1) or strike (0) each name; with no surplus the same cells
    # mean agree/disagree and an empty cell is "both or neither". "cumulative": each cell holds the votes
    # given, out of an allowance of weight × seats.
    ballot_form: BallotForm
    weighted: bool
    # The figure percentages are measured against, and (for `given`) the threshold too.
    base_kind: BaseKind
    base_label: str
    # A candidate passes iff votes > candidate_threshold × threshold base (strict); None: any vote counts.
    candidate_threshold: Fraction | None
    threshold_text: str
    all_struck_invalid: bool
    recorded_reasons: frozenset[str]
    surplus_required: bool
    allows_no_surplus: bool
    max_surplus_ratio: Fraction | None
    # Motions: yes must exceed (strict) or reach motion_threshold × the motion base (named by the label).
    motion_threshold: Fraction
    motion_strict: bool
    motion_base_label: str
    special_motion_threshold: Fraction | None
    quorum_ratio: Fraction | None
    proxies_allowed: bool
    electronic_casting_allowed: bool
    electronic_casting_settable: bool
    # P8's extra limits: bodies of small_body_seats (inclusive) may have at most small_body_max_surplus extra
    # candidates; the committee's own list should have a surplus within committee_list_range (a warning).
    small_body_seats: tuple[int, int] | None = None
    small_body_max_surplus: int = 1
    committee_list_range: tuple[Fraction, Fraction] | None = None
    # P7: a floor nominee enters the list iff agree > floor_nominee_threshold × those present (strict);
    # None: the nominee's motion is decided like any other motion of the rule set.
    floor_nominee_threshold: Fraction | None = None
    # P7: convening-committee members nominate, and stand, only from its list.
    convening_committee_list_only: bool = False
    # P3: whether the congress may set its own quorum ratio (else quorum_ratio holds), and whether the
    # presidium may proceed below it (the override is recorded in the minutes).
    quorum_settable: bool = False
    quorum_override_allowed: bool = False
    # P20: electronic casting is an organizer's decision that the minutes state in the Party's words.
    electronic_casting_by_organizer: bool = False
    motion_base_kind: MotionBaseKind = "given"
    # What happens at a tie for the last seat, and when too few pass: always a next round, for now.
    tie_policy: Literal["next_round"] = "next_round"
    tie_round_needs_majority: bool = False

    @property
    def mark_reasons(self) -> frozenset[str]:
        """Invalid-reason codes decided from the marks."""
        if self.ballot_form == "cumulative":
            return frozenset({OVER_ALLOWANCE, TOO_MANY_CANDIDATES})
        marks = {TOO_MANY_KEPT, SINGLE_BOTH_OR_NONE}
        if self.all_struck_invalid:
            marks.add(ALL_STRUCK)
        return frozenset(marks)

    @property
    def invalid_reasons(self) -> frozenset[str]:
        """Every invalid-reason code of this rule set, decided or recorded."""
        return self.mark_reasons | self.recorded_reasons

    def effective_quorum_ratio(self, congress_setting: Fraction | None = None) -> Fraction | None:
        """P3: the congress's own ratio where the rule set lets it set one, else the rule set's."""
        if self.quorum_settable and congress_setting is not None:
            return congress_setting
        return self.quorum_ratio

    @property
    def needs_given_base(self) -> bool:
        """Whether the caller must supply N (party: P2); other rule sets derive their base."""
        return self.base_kind == "given"
