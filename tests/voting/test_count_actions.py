"""The count: agreed paper ballots and e-ballots through the rules core, P17 before certifying, release."""

from __future__ import annotations

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.congress.errors import ActionError
from daihoi.congress.live import congress_state
from daihoi.voting.actions import counting, paper
from daihoi.voting.models import PaperBallot, PaperBatch
from tests.factories import make_congress
from tests.support.counting import (
    CLERK,
    HEAD,
    WORKED_VOTES,
    cast_electronic,
    listed_codes,
    make_election,
    tied_at_the_cut_off,
    worked_example,
)
from tests.voting.evote_helpers import decrypt_totals

pytestmark = pytest.mark.django_db


def test_the_worked_example_counts_as_the_rules_say():
    election = worked_example()
    result = counting.count_election(election).to_dict()
    assert result["ballots"] == {
        "issued": 28,
        "received": 28,
        "valid": 25,
        "invalid": 3,
        "invalid_by_reason": {"too_many_kept": 1, "all_struck": 1, "not_issued": 1},
    }
    codes = listed_codes(election)
    by_id = {c["id"]: c for c in result["candidates"]}
    assert [by_id[c]["votes"] for c in codes] == WORKED_VOTES
    assert [by_id[c]["percent"] for c in codes] == [
        "80.00",
        "73.33",
        "66.67",
        "53.33",
        "53.33",
        "50.00",
        "30.00",
    ]
    assert result["elected"] == codes[:5]
    assert result["next_round"] is None


def test_certify_stores_the_result_and_audits_it():
    election = worked_example()
    counting.certify(election, HEAD)
    assert election.status == "certified" and election.certified_at is not None
    assert election.result["ballots"]["valid"] == 25
    assert AuditEntry.objects.filter(action="election.certify").count() == 1


def test_certify_is_refused_with_the_numbers_when_more_ballots_came_back_than_were_issued():
    election = worked_example(issued=27)
    with pytest.raises(ActionError) as e:
        counting.certify(election, HEAD)
    assert e.value.code == "received_exceeds_issued"
    assert "28" in e.value.message and "27" in e.value.message
    election.refresh_from_db()
    assert election.status == "closed" and election.result is None


def test_certify_is_refused_when_more_were_issued_than_were_present():
    election = worked_example(issued=29)
    with pytest.raises(ActionError) as e:
        counting.certify(election, HEAD)
    assert e.value.code == "issued_exceeds_present" and e.value.params["present"] == 28


def test_certify_is_refused_while_a_batch_disagrees():
    election = worked_example()
    batch = paper.create_batch(election, CLERK)
    paper.record_entry(batch, CLERK, team=1, ballot_number="29", keys="1")
    with pytest.raises(ActionError) as e:
        counting.certify(election, HEAD)
    assert e.value.code == "batches_not_agreed"
    assert e.value.params["batches"] == [2]


def test_certify_needs_the_number_of_paper_ballots_issued():
    election = worked_example()
    election.ballots_issued = None
    election.save()
    with pytest.raises(ActionError) as e:
        counting.certify(election, HEAD)
    assert e.value.code == "issued_missing"


def test_the_counting_committee_records_the_ballots_issued():
    election = worked_example(issued=20)
    counting.record_ballots_issued(election, CLERK, issued=28)
    assert election.ballots_issued == 28
    assert counting.certify(election, HEAD).issued == 28


def test_electronic_ballots_count_as_issued_and_received():
    congress = make_congress(delegates=10)
    election = make_election(congress, candidates=3, seats=2, base=10, present=9, allows_electronic=True)
    election.ballots_issued = 2
    election.save()
    codes = listed_codes(election)
    batch = PaperBatch.objects.create(election=election, number=1, is_reconciled=True)
    for n in (1, 2):
        PaperBallot.objects.create(
            election=election,
            batch=batch,
            ballot_number=str(n),
            marks=dict.fromkeys(codes, 1) | {codes[2]: 0},
        )
    cast_electronic(election, [{codes[0]: 1, codes[1]: 0, codes[2]: 1}] * 6)
    result = counting.certify(election, HEAD)
    assert (result.issued, result.ballots.received, result.ballots.valid) == (8, 8, 8)
    votes = {c.id: c.votes for c in result.candidates}
    assert votes == {codes[0]: 8, codes[1]: 2, codes[2]: 6}
    assert result.elected == (codes[0], codes[2])


def test_the_running_tally_never_shows_electronic_ballots_while_the_vote_is_open():
    congress = make_congress(delegates=10)
    election = make_election(congress, candidates=3, seats=2, base=10, status="open", allows_electronic=True)
    codes = listed_codes(election)
    cast_electronic(election, [{codes[0]: 1, codes[1]: 1, codes[2]: 0}])
    figures = counting.running_tally(election)
    assert figures["electronic"] == 0 and not figures["includes_electronic"]
    assert all(c["votes"] == 0 for c in figures["candidates"])
    election.status = "closed"
    election.save()
    figures = counting.running_tally(election)  # closed, not yet decrypted: counted, never read
    assert figures["electronic"] == 1 and not figures["includes_electronic"]
    assert all(c["votes"] == 0 for c in figures["candidates"])
    decrypt_totals(election, (1, 3))  # two of the three members, from their devices
    figures = counting.running_tally(election)
    assert figures["electronic"] == 1 and figures["includes_electronic"]
    assert [c["votes"] for c in figures["candidates"]] == [1, 1, 0]


def test_the_result_reaches_the_screens_only_once_released():
    election = worked_example()
    counting.certify(election, HEAD)
    assert congress_state(election.congress)["result"] is None
    counting.release_result(election, HEAD)
    shown = congress_state(election.congress)["result"]
    assert shown["title"] == election.title
    assert [c["votes"] for c in shown["candidates"]] == sorted(WORKED_VOTES, reverse=True)
    assert shown["candidates"][0]["percent"] == "80.00"
    assert len(shown["elected"]) == 5 and shown["next_round"] is None


def test_a_result_cannot_be_released_before_it_is_certified():
    election = worked_example()
    with pytest.raises(ActionError) as e:
        counting.release_result(election, HEAD)
    assert e.value.code == "not_certified"


def test_a_tie_at_the_cut_off_is_shown_as_a_next_round_with_names():
    election = tied_at_the_cut_off()
    shown = congress_state(election.congress)["result"]
    assert shown["next_round"] == {
        "reason": "tie",
        "seats": 1,
        "candidates": ["Phạm Minh Dũng", "Hoàng Thanh Giang"],
    }
    assert shown["unfilled_seats"] == 1
