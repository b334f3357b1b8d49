"""Casting an encrypted electronic ballot: who may, what is stored (ciphertext only), retries, proofs."""

from __future__ import annotations

import re

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.rules.ruleset import ALL_STRUCK
from daihoi.voting.actions import ballots
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import delegate, nonce, open_election
from tests.voting.evote_helpers import decrypt_totals, encrypt_on_phone, phone_cast

ORGANIZER = Actor(roles=frozenset({Role.ORGANIZER}))


def _leaves(data: object) -> list[str]:
    if isinstance(data, dict):
        return [leaf for v in data.values() for leaf in _leaves(v)]
    if isinstance(data, list):
        return [leaf for v in data for leaf in _leaves(v)]
    return [data]  # type: ignore[list-item]


@pytest.mark.django_db
def test_present_delegate_casts_one_encrypted_ballot_and_gets_its_tracker():
    election = open_election()
    result = phone_cast(election, delegate(election, 1), ["c01", "c03"], nonce=nonce(1))
    assert result.is_repeat is False and len(result.tracker) == 64
    ballot = ElectronicBallot.objects.get(election=election)
    assert ballot.tracker == result.tracker and ballot.verdict == ElectronicBallot.Verdict.PENDING
    assert len(ballot.ciphertext["marks"]) == 7  # one ciphertext per name, never a mark
    # Only group elements and scalars (64 hex digits each), nothing else.
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in _leaves(ballot.ciphertext))
    participation = ElectionParticipation.objects.get(election=election)
    assert participation.delegate.number == 1
    assert nonce(1) not in participation.nonce_digest  # only a digest of the nonce is stored


@pytest.mark.django_db
def test_retry_with_the_same_nonce_counts_once_and_repeats_the_acknowledgement():
    election = open_election()
    voter = delegate(election, 2)
    data, credential = encrypt_on_phone(election, ["c01"])
    first = ballots.cast_electronic_ballot(election, voter, data, credential=credential, nonce=nonce(2))
    again = ballots.cast_electronic_ballot(election, voter, data, credential=credential, nonce=nonce(2))
    assert again.is_repeat is True and first.is_repeat is False
    assert again.tracker == first.tracker
    assert ElectronicBallot.objects.filter(election=election).count() == 1
    assert ElectionParticipation.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_retry_is_acknowledged_even_after_the_vote_closed():
    election = open_election()
    voter = delegate(election, 2)
    phone_cast(election, voter, ["c01"], nonce=nonce(2))
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    assert phone_cast(election, voter, ["c01"], nonce=nonce(2)).is_repeat


@pytest.mark.django_db
def test_a_second_ballot_with_another_nonce_is_refused_as_already_voted():
    election = open_election()
    voter = delegate(election, 3)
    phone_cast(election, voter, ["c01"], nonce=nonce(3))
    with pytest.raises(ActionError) as refused:
        phone_cast(election, voter, ["c02"], nonce=nonce(4))
    assert refused.value.code == "already_voted"
    assert ElectronicBallot.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_another_delegates_nonce_is_refused_and_casts_nothing():
    election = open_election()
    phone_cast(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    with pytest.raises(ActionError) as refused:
        phone_cast(election, delegate(election, 2), ["c02"], nonce=nonce(1))
    assert refused.value.code == "bad_nonce"
    assert ElectronicBallot.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_keeping_more_names_than_seats_cannot_be_encrypted_and_a_forged_ballot_counts_bad_proof():
    election = open_election(candidates=17, seats=15, delegates=20)
    from daihoi.crypto.group import CryptoError

    with pytest.raises(CryptoError):  # the phone cannot prove an over-selected ballot (P11)
        phone_cast(election, delegate(election, 1), [f"c{i:02d}" for i in range(1, 17)], nonce=nonce(1))
    # A forged ballot: valid marks re-bound to another credential, so its proofs fail.
    data, _credential = encrypt_on_phone(election, ["c01"])
    ballots.cast_electronic_ballot(
        election, delegate(election, 2), data, credential="forged-credential-123", nonce=nonce(2)
    )
    phone_cast(election, delegate(election, 3), ["c02"], nonce=nonce(3))
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    c = decrypt_totals(election)
    assert (c.accepted, c.rejected) == (1, 1)
    assert set(ElectronicBallot.objects.values_list("verdict", flat=True)) == {"accepted", "bad_proof"}


@pytest.mark.django_db
def test_a_delegation_ballot_keeps_up_to_seats_plus_alternates():
    election = open_election(candidates=6, seats=3, alternates=2)
    ok = phone_cast(election, delegate(election, 1), ["c01", "c02", "c03", "c04", "c05"], nonce=nonce(1))
    assert not ok.is_repeat
    from daihoi.crypto.group import CryptoError

    with pytest.raises(CryptoError):
        phone_cast(
            election, delegate(election, 2), ["c01", "c02", "c03", "c04", "c05", "c06"], nonce=nonce(2)
        )


@pytest.mark.django_db
def test_striking_every_name_is_allowed_and_counted_all_struck_without_decrypting_the_ballot():
    election = open_election()
    phone_cast(election, delegate(election, 1), [], nonce=nonce(1))
    phone_cast(election, delegate(election, 2), ["c01"], nonce=nonce(2))
    listed = ballots.ballot_candidates(election)
    assert ballots.judge(election, listed, ballots.marks_for(listed, [])).invalid_reason == ALL_STRUCK
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    c = decrypt_totals(election, (2, 3))
    assert c.counts == [1, 0, 0, 0, 0, 0, 0, 1]  # c01 … c07, then the invalid indicator's sum


@pytest.mark.django_db
def test_a_ballot_with_the_wrong_number_of_ciphertexts_or_garbage_is_refused():
    election = open_election()
    data, credential = encrypt_on_phone(election, ["c01"])
    data["marks"] = data["marks"][:-1]
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(
            election, delegate(election, 1), data, credential=credential, nonce=nonce(1)
        )
    assert refused.value.code == "bad_ballot"
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(
            election, delegate(election, 1), {"marks": "x"}, credential=credential, nonce=nonce(1)
        )
    assert refused.value.code == "bad_ballot"
    assert not ElectronicBallot.objects.exists() and not ElectionParticipation.objects.exists()


@pytest.mark.django_db
def test_no_ballot_before_the_committee_key_exists():
    election = open_election()
    from daihoi.voting.models import KeyCeremony

    data, credential = encrypt_on_phone(election, ["c01"])
    KeyCeremony.objects.filter(election=election).update(status=KeyCeremony.Status.OPENING)
    with pytest.raises(ActionError) as refused:
        ballots.cast_electronic_ballot(
            election, delegate(election, 1), data, credential=credential, nonce=nonce(1)
        )
    assert refused.value.code == "election_key_missing"


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
        phone_cast(election, delegate(election, 4), ["c01"], nonce=nonce(4))
    assert refused.value.code == "may_not_vote"
    assert message_part in refused.value.message
    assert not ElectronicBallot.objects.exists()


@pytest.mark.django_db
def test_a_delegate_of_another_congress_may_not_vote():
    election = open_election()
    other = open_election()
    with pytest.raises(ActionError) as refused:
        phone_cast(election, delegate(other, 1), ["c01"], nonce=nonce(1))
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
        phone_cast(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "election_not_open"


@pytest.mark.django_db
def test_party_congress_refuses_electronic_casting_unless_the_organizer_turned_it_on():
    election = open_election(electronic_enabled=False)
    with pytest.raises(ActionError) as refused:
        phone_cast(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "electronic_casting_not_allowed"
    Election.objects.filter(pk=election.pk).update(allows_electronic=False)
    Congress.objects.filter(pk=election.congress_id).update(is_electronic_voting_enabled=True)
    with pytest.raises(ActionError) as refused:
        phone_cast(election, delegate(election, 1), ["c01"], nonce=nonce(1))
    assert refused.value.code == "electronic_casting_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "short", "x" * 65, "has spaces in it 12345", "ümlauts-ümlauts-ü"])
def test_a_malformed_nonce_is_refused(bad):
    election = open_election()
    with pytest.raises(ActionError) as refused:
        phone_cast(election, delegate(election, 1), ["c01"], nonce=bad)
    assert refused.value.code == "bad_nonce"


@pytest.mark.django_db
def test_the_audit_log_says_who_voted_but_never_the_ballot():
    election = open_election()
    result = phone_cast(election, delegate(election, 5), ["c02", "c04"], nonce=nonce(5))
    entry = AuditEntry.objects.get(action="election.ballot_cast")
    assert entry.actor == "delegate:5"
    assert entry.object_type == "Election" and entry.object_id == str(election.pk)
    ballot = ElectronicBallot.objects.get()
    text = f"{entry.before} {entry.after} {entry.object_id} {entry.actor}"
    for secret in (str(ballot.id), result.tracker, ballot.credential, "c02", "marks", "ciphertext"):
        assert secret not in text


@pytest.mark.django_db
def test_trackers_are_published_in_tracker_order_only_after_certification():
    election = open_election()
    got = {
        phone_cast(election, delegate(election, n), [f"c0{n}"], nonce=nonce(n)).tracker for n in range(1, 6)
    }
    with pytest.raises(ActionError) as refused:
        ballots.published_trackers(election)
    assert refused.value.code == "trackers_not_published"
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CERTIFIED)
    election.refresh_from_db()
    rows = ballots.published_trackers(election)
    assert [r.tracker for r in rows] == sorted(got)


@pytest.mark.django_db
def test_not_voted_lists_present_voters_without_a_ballot_only():
    election = open_election(delegates=6)
    phone_cast(election, delegate(election, 2), ["c01"], nonce=nonce(2))
    Delegate.objects.filter(congress=election.congress, number=6).update(
        attendance=Delegate.Attendance.EXCUSED
    )
    assert [d.number for d in ballots.not_voted(election)] == [1, 3, 4, 5]
    assert ballots.participation_count(election) == 1


def test_the_nonce_digest_depends_on_the_election():
    assert ballots.nonce_digest(1, nonce(1)) == ballots.nonce_digest(1, nonce(1))
    assert ballots.nonce_digest(1, nonce(1)) != ballots.nonce_digest(2, nonce(1))
