"""P11–P15 and S4: judge each ballot, count the valid ones, decide who is elected and what stays open.

The count is exact and order-free: totals are integer sums over columns of the valid ballots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Literal, NamedTuple, cast

from daihoi.rules.errors import RuleError
from daihoi.rules.figures import percent
from daihoi.rules.reconcile import reconcile
from daihoi.rules.ruleset import (
    ALL_STRUCK,
    OVER_ALLOWANCE,
    SINGLE_BOTH_OR_NONE,
    TOO_MANY_CANDIDATES,
    TOO_MANY_KEPT,
    RuleSet,
)
from daihoi.rules.rulesets import get_ruleset

Layout = Literal["strike", "agree_disagree", "cumulative"]
DelegationMode = Literal["separate", "one_ballot"]
# P15: officials and alternates elected apart (the default), or on one ballot, officials first.
DELEGATION_MODES: tuple[DelegationMode, ...] = ("separate", "one_ballot")
DEFAULT_DELEGATION_MODE: DelegationMode = "separate"
Result = Literal["elected", "elected_alternate", "not_elected", "tied"]

# The order reasons are listed in the minutes: those decided by the marks first.
_REASON_ORDER = (TOO_MANY_KEPT, ALL_STRUCK, SINGLE_BOTH_OR_NONE, OVER_ALLOWANCE, TOO_MANY_CANDIDATES)


def alternates_on_ballot(alternates: int, delegation_mode: str = DEFAULT_DELEGATION_MODE) -> int:
    """P15: the alternates elected on the officials' ballot: all of them on `one_ballot`, none when
    `separate` (they are then an election of their own, whose seats are the alternate places)."""
    if delegation_mode not in DELEGATION_MODES:
        raise RuleError("unknown_delegation_mode", mode=delegation_mode)
    if alternates < 0:
        raise RuleError("negative_count", field="alternates", value=alternates)
    return alternates if delegation_mode == "one_ballot" else 0


def places(seats: int, alternates: int = 0) -> int:
    """P11, P15: the names a voter may keep: the seats plus the alternates on the same ballot."""
    return seats + alternates


class Candidate(NamedTuple):
    """A name on the list, in ballot order."""

    id: str
    name: str


class Ballot(NamedTuple):
    """One ballot found in the box.

    `marks` has one cell per candidate, in list order: 1 kept / 0 struck (agree / disagree on a list
    with no surplus, where None means both boxes or neither); for cumulative voting, the votes given.
    `invalid_reason` is a code the counting committee recorded; such a ballot is invalid whatever its marks.
    """

    id: str
    marks: tuple[int | None, ...]
    invalid_reason: str | None = None
    weight: int = 1


@dataclass(frozen=True)
class Election:
    """What is counted: the list, the seats (and alternates on the same ballot: `alternates_on_ballot`),
    N, the rule set."""

    candidates: tuple[Candidate, ...]
    seats: int
    alternates: int = 0
    base: int | None = None
    ruleset: RuleSet = field(default_factory=get_ruleset)
    is_tie_round: bool = False
    tie_round_needs_majority: bool | None = None  # None: the rule set's default (P13: no)

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise RuleError("bad_seats", seats=self.seats)
        if self.alternates < 0:
            raise RuleError("negative_count", field="alternates", value=self.alternates)
        if not self.candidates:
            raise RuleError("no_candidates")
        seen: set[str] = set()
        for c in self.candidates:
            if c.id in seen:
                raise RuleError("duplicate_candidate", candidate=c.id)
            seen.add(c.id)
        if self.ruleset.needs_given_base and (self.base is None or self.base < 1):
            raise RuleError("base_required", ruleset=self.ruleset.name)

    @property
    def places(self) -> int:
        """Names a voter may keep (`places`); the cumulative multiplier."""
        return places(self.seats, self.alternates)

    @property
    def layout(self) -> Layout:
        """P10: names are struck when the list has a surplus, else each gets agree/disagree boxes."""
        if self.ruleset.ballot_form == "cumulative":
            return "cumulative"
        return "strike" if len(self.candidates) > self.places else "agree_disagree"

    @property
    def needs_majority(self) -> bool:
        if not self.is_tie_round:
            return True
        if self.tie_round_needs_majority is None:
            return self.ruleset.tie_round_needs_majority
        return self.tie_round_needs_majority


@dataclass(frozen=True)
class BallotCount:
    """Ballots received, valid and invalid by reason, and each candidate's votes in list order."""

    received: int
    valid: int
    invalid_by_reason: dict[str, int]
    votes: tuple[int, ...]
    received_weight: int  # shares present, for weighted rule sets
    valid_weight: int

    @property
    def invalid(self) -> int:
        return sum(self.invalid_by_reason.values())


class NextRound(NamedTuple):
    """Seats left open (P13 tie, P14 too few passed) and who may stand for them."""

    reason: Literal["tie", "not_enough_passed"]
    tier: Literal["official", "alternate"]
    seats: int  # places of this tier left open
    candidates: tuple[str, ...]
    alternates: int = 0  # for an official tie: alternate places the same round also orders

    def to_dict(self) -> dict[str, Any]:
        """The contract's shape: reason, seats, candidates."""
        return {"reason": self.reason, "seats": self.seats, "candidates": list(self.candidates)}


class CandidateResult(NamedTuple):
    id: str
    name: str
    votes: int
    percent: str
    passed_threshold: bool
    result: Result
    rank: int


@dataclass(frozen=True)
class ElectionResult:
    """A certified count: ballots, each candidate in list order, the elected, and any next round."""

    ruleset: str
    seats: int
    alternates: int
    base: int  # what percentages are measured against (N for party)
    threshold_base: int | None  # what the pass test is measured against; None when there is no threshold
    issued: int
    ballots: BallotCount
    candidates: tuple[CandidateResult, ...]
    elected: tuple[str, ...]  # by votes, highest first
    elected_alternates: tuple[str, ...]  # by votes: their order of replacement (P15)
    next_rounds: tuple[NextRound, ...]

    @property
    def next_round(self) -> NextRound | None:
        """The first open cut-off (officials before alternates), as the contract reports it."""
        return self.next_rounds[0] if self.next_rounds else None

    @property
    def unfilled_seats(self) -> int:
        return self.seats - len(self.elected) + self.alternates - len(self.elected_alternates)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of `daihoi tally` (shared/rules/tally-format.md), keys as the contract."""
        b = self.ballots
        return {
            "rules": self.ruleset,
            "seats": self.seats,
            "base": self.base,
            "alternates": self.alternates,
            "ballots": {
                "issued": self.issued,
                "received": b.received,
                "valid": b.valid,
                "invalid": b.invalid,
                "invalid_by_reason": dict(b.invalid_by_reason),
            },
            "candidates": [c._asdict() for c in self.candidates],
            "elected": list(self.elected),
            "elected_alternates": list(self.elected_alternates),
            "unfilled_seats": self.unfilled_seats,
            "next_round": None if self.next_round is None else self.next_round.to_dict(),
        }


def _ordered_reasons(counts: dict[str, int]) -> dict[str, int]:
    known = [r for r in _REASON_ORDER if counts.get(r)]
    recorded = sorted(r for r in counts if r not in _REASON_ORDER and counts[r])
    return {r: counts[r] for r in (*known, *recorded)}


def count_ballots(election: Election, ballots: Iterable[Ballot]) -> BallotCount:
    """P11/P12 (S4 for cumulative): one reason per invalid ballot; votes summed over valid ballots only."""
    rules = election.ruleset
    n = len(election.candidates)
    places = election.places
    layout = election.layout
    recorded = rules.recorded_reasons
    all_struck_invalid = rules.all_struck_invalid and layout == "strike"
    single = n == 1 and layout == "agree_disagree"
    invalid: dict[str, int] = {}
    valid_marks: list[tuple[int | None, ...]] = []
    seen: set[str] = set()
    received = received_weight = valid_weight = 0
    for ballot in ballots:
        bid, marks, reason, weight = ballot
        received += 1
        if bid in seen:
            raise RuleError("duplicate_ballot", ballot=bid)
        seen.add(bid)
        if len(marks) != n:
            raise RuleError("wrong_mark_count", ballot=bid, expected=n, got=len(marks))
        if weight < 1 or (weight != 1 and not rules.weighted):
            raise RuleError("bad_weight", ballot=bid, weight=weight)
        received_weight += weight
        if reason:
            if reason not in recorded:
                raise RuleError(
                    "unknown_invalid_reason",
                    ballot=bid,
                    reason=reason,
                    ruleset=rules.name,
                    allowed=sorted(recorded),
                )
            invalid[reason] = invalid.get(reason, 0) + 1
            continue
        if layout == "cumulative":
            given, named = _check_cumulative(bid, marks, election)
            if given > weight * places:
                reason = OVER_ALLOWANCE
            elif named > election.seats:
                reason = TOO_MANY_CANDIDATES
        else:
            kept = marks.count(1)
            struck = marks.count(0)
            blank = n - kept - struck
            if blank and (layout == "strike" or marks.count(None) != blank):
                _raise_bad_mark(bid, marks, election, allow_none=layout == "agree_disagree")
            if kept > places:
                reason = TOO_MANY_KEPT
            elif single and blank:
                reason = SINGLE_BOTH_OR_NONE
            elif all_struck_invalid and kept == 0:
                reason = ALL_STRUCK
        if reason:
            invalid[reason] = invalid.get(reason, 0) + 1
        else:
            valid_marks.append(marks)
            valid_weight += weight
    if not valid_marks:
        votes = (0,) * n
    elif layout == "cumulative":
        columns = cast(Iterable[tuple[int, ...]], zip(*valid_marks, strict=True))  # checked ints
        votes = tuple(sum(col) for col in columns)
    else:
        votes = tuple(col.count(1) for col in zip(*valid_marks, strict=True))
    return BallotCount(
        received=received,
        valid=len(valid_marks),
        invalid_by_reason=_ordered_reasons(invalid),
        votes=votes,
        received_weight=received_weight,
        valid_weight=valid_weight,
    )


def _check_cumulative(bid: str, marks: tuple[int | None, ...], election: Election) -> tuple[int, int]:
    """The votes a cumulative ballot gives and how many candidates it names; marks must be ints ≥ 0."""
    if None in marks or min(cast(tuple[int, ...], marks)) < 0:
        _raise_bad_mark(bid, marks, election, allow_none=False, cumulative=True)
    given = sum(cast(tuple[int, ...], marks))
    return given, len(marks) - marks.count(0)


def _raise_bad_mark(
    bid: str,
    marks: Sequence[int | None],
    election: Election,
    *,
    allow_none: bool,
    cumulative: bool = False,
) -> None:
    for candidate, mark in zip(election.candidates, marks, strict=True):
        if mark is None and allow_none:
            continue
        if cumulative and isinstance(mark, int) and mark >= 0:
            continue
        if not cumulative and mark in (0, 1) and mark is not None:
            continue
        raise RuleError("bad_mark", ballot=bid, candidate=candidate.id, mark=mark)


def _passes(election: Election, votes: int, threshold_base: int | None) -> bool:
    threshold = election.ruleset.candidate_threshold
    if threshold is None or threshold_base is None or not election.needs_majority:
        return votes > 0  # no one is elected on no votes
    # votes / base > p/q  ⇔  votes × q > p × base, exactly.
    return votes * threshold.denominator > threshold.numerator * threshold_base


def decide(election: Election, count: BallotCount, *, issued: int | None = None) -> ElectionResult:
    """P13–P15 (S4): the highest who pass fill the seats, then the alternates; ties at a cut-off and
    shortfalls leave places open for a next round. `issued` defaults to the ballots received."""
    rules = election.ruleset
    ids = [c.id for c in election.candidates]
    votes = count.votes
    n = len(ids)
    if rules.base_kind == "given":
        assert election.base is not None  # checked by Election
        threshold_base: int | None = election.base
        base = election.base
    elif rules.base_kind == "valid_ballots":
        threshold_base = base = count.valid
    else:
        threshold_base, base = None, count.received_weight * election.places
    passed = [_passes(election, v, threshold_base) for v in votes]
    seats, slots = election.seats, election.places
    result: list[Result] = ["not_elected"] * n
    elected: list[int] = []
    alternates: list[int] = []
    rounds: list[NextRound] = []
    ranked = [i for i in sorted(range(n), key=lambda i: (-votes[i], i)) if passed[i]]
    start = 0
    for _, members in groupby(ranked, key=votes.__getitem__):
        group = list(members)
        end = start + len(group)
        if start >= slots:
            break
        if end <= seats:
            elected.extend(group)
            tag: Result = "elected"
        elif start >= seats and end <= slots:
            alternates.extend(group)
            tag = "elected_alternate"
        else:
            # A tie across a cut-off: those places stay open for a round among the tied (P13, P15).
            tag = "tied"
            tied = tuple(ids[i] for i in group)
            if start < seats:
                rounds.append(NextRound("tie", "official", seats - start, tied, min(end, slots) - seats))
            else:
                rounds.append(NextRound("tie", "alternate", slots - start, tied))
        for i in group:
            result[i] = tag
        start = end
    if len(ranked) < slots:
        # P14: too few passed; those not elected may stand again if the congress holds another round.
        eligible = tuple(ids[i] for i in range(n) if result[i] == "not_elected")
        if len(ranked) < seats:
            rounds.append(NextRound("not_enough_passed", "official", seats - len(ranked), eligible))
        open_alternates = election.alternates - max(0, len(ranked) - seats)
        if open_alternates:
            rounds.append(NextRound("not_enough_passed", "alternate", open_alternates, eligible))
    ranks = _competition_ranks(votes)
    candidates = tuple(
        CandidateResult(c.id, c.name, v, percent(v, base), passed[i], result[i], ranks[i])
        for i, (c, v) in enumerate(zip(election.candidates, votes, strict=True))
    )
    return ElectionResult(
        ruleset=rules.name,
        seats=seats,
        alternates=election.alternates,
        base=base,
        threshold_base=threshold_base,
        issued=count.received if issued is None else issued,
        ballots=count,
        candidates=candidates,
        elected=tuple(ids[i] for i in elected),
        elected_alternates=tuple(ids[i] for i in alternates),
        next_rounds=tuple(rounds),
    )


def _competition_ranks(votes: Sequence[int]) -> list[int]:
    """Rank by votes, highest first; equal votes share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(votes, reverse=True)
    first: dict[int, int] = {}
    for position, v in enumerate(ordered, start=1):
        first.setdefault(v, position)
    return [first[v] for v in votes]


def tally(
    election: Election,
    ballots: Iterable[Ballot],
    *,
    issued: int | None = None,
    present: int | None = None,
) -> ElectionResult:
    """Count, reconcile (P17) and decide; refuses with a ReconciliationError when the figures disagree."""
    count = count_ballots(election, ballots)
    issued_count = count.received if issued is None else issued
    if election.layout == "cumulative":
        cap = count.valid_weight * election.places
        candidate_cap, total_cap = cap, cap
    else:
        candidate_cap, total_cap = count.valid, count.valid * election.places
    reconcile(
        issued=issued_count,
        received=count.received,
        valid=count.valid,
        invalid=count.invalid,
        votes=count.votes,
        candidate_cap=candidate_cap,
        total_cap=total_cap,
        present=present,
        labels=[c.id for c in election.candidates],
    )
    return decide(election, count, issued=issued_count)
