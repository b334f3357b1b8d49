"""Casting an electronic ballot: who may, what is stored, retries, over-selection, verification mode."""

from __future__ import annotations

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.rules.ruleset import ALL_STRUCK
from daihoi.voting.actions import ballots
from daihoi.voting.models import Candidate, Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import nonce, open_election

ORGANIZER = Actor(roles=frozenset({Role.ORGANIZER}))


def delegate(election: Election, number: int) -> Delegate:
    return Delegate.objects.get(congress=election.congress, number=number)


@pytest.mark.django_db
def test_present_delegate_casts_one_ballot_with_a_mark_for_every_name():
    election = open_election()
    result = ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01", "c03"], nonce=nonce(1))
    assert result.is_repeat is False and result.receipt is None
    ballot = ElectronicBallot.objects.get(election=election)
    assert ballot.marks == {"c01": 1, "c02": 0, "c03": 1, "c04": 0, "c05": 0, "c06": 0, "c07": 0}
    assert ballot.receipt is None
    participation = ElectionParticipation.objects.get(election=election)
    assert participation.delegate.number == 1
    assert nonce(1) not in participation.nonce_digest  # only a digest of the nonce is stored


@pytest.mark.django_db
def test_retry_with_the_same_nonce_counts_once_and_repeats_the_acknowledgement():
    election = open_election(verifiable=True)
    voter = delegate(election, 2)
    first = ballots.cast_electronic_ballot(election, voter, ["c01"], nonce=nonce(2))
    again = ballots.cast_electronic_ballot(election, voter, ["c01"], nonce=nonce(2))
    assert again.is_repeat is True
    assert again.receipt == first.receipt is not None
    assert ElectronicBallot.objects.filter(election=election).count() == 1
    assert ElectionParticipation.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_retry_is_acknowledged_even_after_the_vote_closed():
    election = open_election()
    voter = delegate(election, 2)
    ballots.cast_electronic_ballot(election, voter, ["c01"], nonce=nonce(2))
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    assert ballots.cast_electronic_ballot(election, voter, ["c01"], nonce=nonce(2)).is_repeat


@pytest.mark.django_db
def test_a_second_ballot_with_another_nonce_is_refused_as_already_voted():
    election = open_election()
    voter = delegate(election, 3)
    ballots.cast_electronic_ballot(election, voter, ["c01"], nonce=nonce(3))
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, voter, ["c02"], nonce=nonce(4))
    assert refused.value.code == "already_voted"
    assert ElectronicBallot.objects.get(election=election).marks["c01"] == 1


@pytest.mark.django_db
def test_another_delegates_nonce_is_refused_and_casts_nothing():
    election = open_election()
    ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 2), ["c02"], nonce=nonce(1))
    assert refused.value.code == "bad_nonce"
    assert ElectronicBallot.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_keeping_more_names_than_seats_is_refused_saying_how_many_may_be_kept():
    election = open_election(candidates=17, seats=15, delegates=20)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(
            election, delegate(election, 1), [f"c{i:02d}" for i in range(1, 17)], nonce=nonce(1)
        )
    assert refused.value.code == "too_many_kept"
    assert refused.value.message == "Bạn chỉ được giữ tối đa 15 người, bạn đang giữ 16."
    assert not ElectronicBallot.objects.exists() and not ElectionParticipation.objects.exists()


@pytest.mark.django_db
def test_a_delegation_ballot_keeps_up_to_seats_plus_alternates():
    election = open_election(candidates=6, seats=3, alternates=2)
    ok = ballots.cast_electronic_ballot(
        election, delegate(election, 1), ["c01", "c02", "c03", "c04", "c05"], nonce=nonce(1)
    )
    assert not ok.is_repeat
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(
            election, delegate(election, 2), ["c01", "c02", "c03", "c04", "c05", "c06"], nonce=nonce(2)
        )
    assert refused.value.params == {"places": 5, "kept": 6}


@pytest.mark.django_db
def test_striking_every_name_is_allowed_and_the_core_calls_it_all_struck():
    election = open_election()
    ballots.cast_electronic_ballot(election, delegate(election, 1), [], nonce=nonce(1))
    marks = ElectronicBallot.objects.get(election=election).marks
    assert set(marks.values()) == {0}
    listed = ballots.ballot_candidates(election)
    assert ballots.judge(election, listed, marks).invalid_reason == ALL_STRUCK


@pytest.mark.django_db
def test_an_unknown_candidate_code_is_refused():
    election = open_election()
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c99"], nonce=nonce(1))
    assert refused.value.code == "unknown_candidate"


@pytest.mark.django_db
def test_a_withdrawn_candidate_is_not_on_the_ballot():
    election = open_election()
    Candidate.objects.filter(election=election, code="c07").update(status=Candidate.Status.WITHDRAWN)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c07"], nonce=nonce(1))
    assert refused.value.code == "unknown_candidate"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message_part"),
    [
        ({"attendance": Delegate.Attendance.NOT_ARRIVED}, "điểm danh"),
        ({"attendance": Delegate.Attendance.LEFT}, "điểm danh"),
        ({"standing": Delegate.Standing.ALTERNATE}, "dự khuyết"),
        ({"credential": Delegate.Credential.REJECTED}, "Tư cách"),
    ],
)
def test_only_an_official_checked_in_delegate_with_credentials_may_vote(change, message_part):
    election = open_election()
    Delegate.objects.filter(congress=election.congress, number=4).update(**change)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 4), ["c01"], nonce=nonce(4))
    assert refused.value.code == "may_not_vote"
    assert message_part in refused.value.message
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_delegate_of_another_congress_may_not_vote():
    election = open_election()
    other = open_election()
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(other, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "wrong_congress"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        Election.Status.PREPARING,
        Election.Status.LIST_APPROVED,
        Election.Status.CLOSED,
        Election.Status.CERTIFIED,
    ],
)
def test_ballots_are_accepted_only_while_the_election_is_open(status):
    election = open_election(status=status)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "election_not_open"


@pytest.mark.django_db
def test_party_congress_refuses_electronic_casting_unless_the_organizer_turned_it_on():
    election = open_election(electronic_enabled=False)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "electronic_casting_not_allowed"
    Election.objects.filter(pk=election.pk).update(allows_electronic=False)
    Congress.objects.filter(pk=election.congress_id).update(is_electronic_voting_enabled=True)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "electronic_casting_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "short", "x" * 65, "has spaces in it 12345", "ümlauts-ümlauts-ü"])
def test_a_malformed_nonce_is_refused(bad):
    election = open_election()
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(election, delegate(election, 1), ["c01"], nonce=bad)
    assert refused.value.code == "bad_nonce"


@pytest.mark.django_db
def test_the_audit_log_says_who_voted_but_never_the_ballot():
    election = open_election(verifiable=True)
    result = ballots.cast_electronic_ballot(election, delegate(election, 5), ["c02", "c04"], nonce=nonce(5))
    entry = AuditEntry.objects.get(action="election.ballot_cast")
    assert entry.actor == "delegate:5"
    assert entry.object_type == "Election" and entry.object_id == str(election.pk)
    ballot = ElectronicBallot.objects.get()
    text = f"{entry.before} {entry.after} {entry.object_id} {entry.actor}"
    for secret in (str(ballot.id), result.receipt, "c02", "marks"):
        assert secret not in text


@pytest.mark.django_db
def test_verification_mode_gives_a_receipt_that_no_stored_column_leads_back_to():
    election = open_election(verifiable=True)
    receipts = {
        ballots.cast_electronic_ballot(election, delegate(election, n), ["c01"], nonce=nonce(n)).receipt
        for n in range(1, 11)
    }
    assert len(receipts) == 10 and all(r and len(r) == ballots.RECEIPT_LENGTH for r in receipts)
    assert set(ElectronicBallot.objects.values_list("receipt", flat=True)) == receipts
    stored = set(ElectionParticipation.objects.values_list("nonce_digest", flat=True))
    assert not any(r in digest or r.lower() in digest for r in receipts for digest in stored)


@pytest.mark.django_db
def test_without_verification_mode_no_receipt_is_stored():
    election = open_election()
    assert ballots.cast_electronic_ballot(election, delegate(election, 1), [], nonce=nonce(1)).receipt is None
    assert ElectronicBallot.objects.get().receipt is None


@pytest.mark.django_db
def test_verification_mode_is_off_by_default_and_set_only_before_the_vote_opens():
    election = open_election(status=Election.Status.LIST_APPROVED)
    assert Election.objects.get(pk=election.pk).is_verifiable is False
    ballots.set_verification_mode(election, enabled=True, actor=ORGANIZER)
    assert Election.objects.get(pk=election.pk).is_verifiable is True
    assert AuditEntry.objects.filter(action="election.verification_mode").count() == 1
    Election.objects.filter(pk=election.pk).update(status=Election.Status.OPEN)
    with pytest.raises(ActionError) as refused:
        ballots.set_verification_mode(election, enabled=False, actor=ORGANIZER)
    assert refused.value.code == "verification_locked"


@pytest.mark.django_db
def test_receipts_are_published_in_code_order_only_after_certification():
    election = open_election(verifiable=True)
    got = {
        ballots.cast_electronic_ballot(election, delegate(election, n), [f"c0{n}"], nonce=nonce(n)).receipt: n
        for n in range(1, 6)
    }
    with pytest.raises(ActionError) as refused:
        ballots.published_receipts(election)
    assert refused.value.code == "receipts_not_published"
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CERTIFIED)
    election.refresh_from_db()
    rows = ballots.published_receipts(election)
    assert [r.receipt for r in rows] == sorted(got)
    names = {c.code: c.full_name for c in ballots.ballot_candidates(election)}
    for row in rows:
        assert row.kept == (names[f"c0{got[row.receipt]}"],)


@pytest.mark.django_db
def test_not_voted_lists_present_voters_without_a_ballot_only():
    election = open_election(delegates=6)
    ballots.cast_electronic_ballot(election, delegate(election, 2), ["c01"], nonce=nonce(2))
    Delegate.objects.filter(congress=election.congress, number=6).update(
        attendance=Delegate.Attendance.EXCUSED
    )
    assert [d.number for d in ballots.not_voted(election)] == [1, 3, 4, 5]
    assert ballots.participation_count(election) == 1


def test_receipt_is_a_function_of_the_nonce_and_the_election_only():
    assert ballots.receipt_for(1, nonce(1)) == ballots.receipt_for(1, nonce(1))
    assert ballots.receipt_for(1, nonce(1)) != ballots.receipt_for(2, nonce(1))
    assert ballots.nonce_digest(1, nonce(1)) != ballots.nonce_digest(2, nonce(1))
    assert set(ballots.receipt_for(7, nonce(7))) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert ballots.normalize_receipt(" abcd-efgh 23 ") == "ABCDEFGH23"
