"""The congress's rules as pure Python (stdlib only; never Django): shared/rules/party.md P1–P20 and
the other rule sets. The web app and `daihoi tally` call these; each rule has one home here."""

from __future__ import annotations

from daihoi.rules.allocation import Allocation, UnitSeats, allocate_seats
from daihoi.rules.counting import (
    Ballot,
    BallotCount,
    Candidate,
    CandidateResult,
    Election,
    ElectionResult,
    NextRound,
    count_ballots,
    decide,
    tally,
)
from daihoi.rules.errors import ReconciliationError, RuleError, RuleWarning
from daihoi.rules.figures import percent
from daihoi.rules.motions import MotionOutcome, decide_motion
from daihoi.rules.quorum import QuorumStatus, quorum_status, shareholder_quorum_status
from daihoi.rules.ruleset import RuleSet
from daihoi.rules.rulesets import RULESETS, get_ruleset
from daihoi.rules.voters import BaseN, compute_base, may_vote

__all__ = [
    "RULESETS",
    "Allocation",
    "Ballot",
    "BallotCount",
    "BaseN",
    "Candidate",
    "CandidateResult",
    "Election",
    "ElectionResult",
    "MotionOutcome",
    "NextRound",
    "QuorumStatus",
    "ReconciliationError",
    "RuleError",
    "RuleSet",
    "RuleWarning",
    "UnitSeats",
    "allocate_seats",
    "compute_base",
    "count_ballots",
    "decide",
    "decide_motion",
    "get_ruleset",
    "may_vote",
    "percent",
    "quorum_status",
    "shareholder_quorum_status",
    "tally",
]
