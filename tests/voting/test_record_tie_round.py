"""The published record of a tie round (P13) carries the round's flags from the election, so that
`daihoi verify` recomputes its result with the tie round's rule, as the app's count did."""

from __future__ import annotations

import pytest

from daihoi.crypto.record import VerifyError, verify_record
from daihoi.voting.actions import counting, evote
from daihoi.voting.models import Election
from tests.factories import make_congress, make_election
from tests.support.counting import HEAD, cast_electronic, listed_codes

pytestmark = pytest.mark.django_db


def tie_round(*, needs_majority: bool | None) -> Election:
    """A second round among two tied candidates for one seat, N = 10, cast electronically: 4 to 3."""
    congress = make_congress(delegates=10)
    congress.is_electronic_voting_enabled = True
    congress.save()
    election = make_election(congress, candidates=2, seats=1, base=10, present=7, allows_electronic=True)
    election.is_tie_round = True
    election.tie_round_needs_majority = needs_majority
    election.allows_paper = False
    election.save()
    first, second = listed_codes(election)
    cast_electronic(election, [{first: 1, second: 0}] * 4 + [{first: 0, second: 1}] * 3)
    counting.certify(election, HEAD)
    return election


def test_P13_the_tie_rounds_record_carries_its_flags_and_verifies():
    election = tie_round(needs_majority=None)
    record = evote.election_record(election)
    assert record["poll"]["is_tie_round"] is True
    assert record["poll"]["tie_round_needs_majority"] is None
    assert record["poll"]["elects_alternates"] is False
    assert record["result"] == election.result
    assert record["result"]["elected"] == [listed_codes(election)[0]]  # 4 of 10: no majority needed
    assert verify_record(record).startswith("OK")
    record["poll"]["is_tie_round"] = False
    with pytest.raises(VerifyError, match="result"):
        verify_record(record)


def test_P13_a_tie_round_that_needs_a_majority_is_recomputed_with_it():
    election = tie_round(needs_majority=True)
    record = evote.election_record(election)
    assert record["poll"]["tie_round_needs_majority"] is True
    assert record["result"] == election.result
    assert record["result"]["elected"] == []
    assert verify_record(record).startswith("OK")
