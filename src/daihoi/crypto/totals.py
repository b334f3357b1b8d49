"""The count from totals: the rules core (P11–P17, P4) applied to decrypted electronic totals plus the paper
ballots of the same poll, with no single ballot ever read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from daihoi.rules.counting import BallotCount, Election, ElectionResult, _ordered_reasons, decide
from daihoi.rules.errors import RuleError
from daihoi.rules.motions import MotionOutcome, decide_motion
from daihoi.rules.reconcile import reconcile
from daihoi.rules.ruleset import ALL_STRUCK

BAD_PROOF = "bad_proof"
"""Reason code of an electronic ballot whose proofs failed: counted invalid, like a spoiled paper ballot."""
SPOILED = "spoiled"
"""Reason code of a deliberately spoiled electronic ballot where striking every name is not invalid."""


@dataclass(frozen=True)
class ElectronicTotals:
    """What the committee's decryption gives: ballots cast, those whose proofs failed, the invalid
    indicator's sum, and each choice's total over the accepted ballots."""

    cast: int
    rejected: int
    invalid: int
    votes: tuple[int, ...]


@dataclass(frozen=True)
class PaperTotals:
    """The paper ballots of the same poll, as counted by hand or by `daihoi tally`."""

    issued: int
    received: int
    invalid_by_reason: Mapping[str, int] = field(default_factory=dict)
    votes: tuple[int, ...] = ()


def electronic_invalid_reason(election: Election) -> str:
    """P12: an all-struck ballot is `all_struck` where the rule says so, else a deliberate spoil."""
    rules = election.ruleset
    return ALL_STRUCK if rules.all_struck_invalid and election.layout == "strike" else SPOILED


def count_election_totals(
    election: Election, electronic: ElectronicTotals, paper: PaperTotals | None = None
) -> ElectionResult:
    """Reconcile (P17) and decide (P13–P15) from totals; RuleError / ReconciliationError when they disagree."""
    n = len(election.candidates)
    if len(electronic.votes) != n or (paper is not None and len(paper.votes) != n):
        raise RuleError("wrong_mark_count", ballot="totals", expected=n, got=len(electronic.votes))
    invalid: dict[str, int] = {}
    if electronic.invalid:
        invalid[electronic_invalid_reason(election)] = electronic.invalid
    if electronic.rejected:
        invalid[BAD_PROOF] = electronic.rejected
    votes = list(electronic.votes)
    received, issued = electronic.cast, electronic.cast
    if paper is not None:
        for reason, number in paper.invalid_by_reason.items():
            invalid[reason] = invalid.get(reason, 0) + number
        votes = [e + p for e, p in zip(votes, paper.votes, strict=True)]
        received += paper.received
        issued += paper.issued
    invalid_total = sum(invalid.values())
    valid = received - invalid_total
    count = BallotCount(
        received=received,
        valid=valid,
        invalid_by_reason=_ordered_reasons(invalid),
        votes=tuple(votes),
        received_weight=received,
        valid_weight=valid,
    )
    reconcile(
        issued=issued,
        received=received,
        valid=valid,
        invalid=invalid_total,
        votes=count.votes,
        candidate_cap=valid,
        total_cap=valid * election.places,
        labels=[c.id for c in election.candidates],
    )
    return decide(election, count, issued=issued)


def decide_motion_totals(
    electronic: Sequence[int], paper: Sequence[int] | None, *, base: int, ruleset: str, special: bool = False
) -> MotionOutcome:
    """P4 / S3 on yes, no, abstain: electronic plus paper."""
    yes, no, abstain = (e + p for e, p in zip(electronic, paper or (0, 0, 0), strict=True))
    return decide_motion(yes=yes, no=no, abstain=abstain, base=base, ruleset=ruleset, special=special)


def motion_outcome_dict(outcome: MotionOutcome) -> dict[str, object]:
    return {
        "rules": outcome.ruleset,
        "passed": outcome.passed,
        "yes": outcome.yes,
        "no": outcome.no,
        "abstain": outcome.abstain,
        "base": outcome.denominator,
        "required_yes": outcome.required_yes,
        "yes_percent": outcome.yes_percent,
        "no_percent": outcome.no_percent,
        "abstain_percent": outcome.abstain_percent,
    }
