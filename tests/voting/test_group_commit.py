"""Ballots that arrive together are written together: one transaction for the group, each ballot judged
on its own, nothing lost or counted twice when one of them is refused or the group's write fails."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.voting.actions import ballots
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import nonce, open_election
from tests.voting.evote_helpers import encrypt_on_phone, phone_cast

_SEALED: dict[tuple[int, str], tuple[dict, str]] = {}


def pending(election: Election, number: int, kept: list[str] | None, key: str) -> ballots._Cast:
    """A cast as the phone sends it (encrypted); the same nonce resends the same ciphertext. `kept=None`
    is a ballot that does not even parse."""
    voter = Delegate.objects.get(congress_id=election.congress_id, number=number)
    if kept is None:
        data, credential = {"marks": []}, f"broken-credential-{number:04d}"
    else:
        if (election.pk, key) not in _SEALED:
            _SEALED[(election.pk, key)] = encrypt_on_phone(election, kept, invalid=not kept)
        data, credential = _SEALED[(election.pk, key)]
    return ballots._Cast(election.pk, voter, data, credential, key, ballots.nonce_digest(election.pk, key))


def outcome(cast: ballots._Cast) -> Any:
    assert cast.done
    return cast.result if cast.error is None else cast.error


@pytest.mark.django_db(transaction=True)
def test_casts_queued_behind_a_group_are_written_by_one_leader_in_one_group(monkeypatch):
    election = open_election(delegates=12)
    groups: list[int] = []
    write = ballots._write_group

    def counting_write(group: list[ballots._Cast]) -> Any:
        groups.append(len(group))
        return write(group)

    monkeypatch.setattr(ballots, "_write_group", counting_write)
    committer = ballots._group_commit
    results: list[Any] = [None] * 12

    def vote(i: int) -> None:
        try:
            voter = Delegate.objects.get(congress_id=election.congress_id, number=i + 1)
            results[i] = phone_cast(election, voter, ["c01", "c02"], nonce=nonce(i + 1))
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    committer._leader.acquire()  # a group is being written: the next twelve casts queue behind it
    threads = [threading.Thread(target=vote, args=(i,)) for i in range(12)]
    try:
        for t in threads:
            t.start()
        for _ in range(3000):  # until all twelve are queued (bounded; no timing is asserted)
            with committer._queue_lock:
                if len(committer._queue) == 12:
                    break
            time.sleep(0.01)
    finally:
        committer._leader.release()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert all(isinstance(r, ballots.CastResult) and not r.is_repeat for r in results), results
    assert groups == [12]
    assert ElectionParticipation.objects.filter(election=election).count() == 12
    assert ElectronicBallot.objects.filter(election=election).count() == 12
    entries = list(AuditEntry.objects.filter(action="election.ballot_cast").order_by("seq"))
    assert len(entries) == 12 and entries[-1].seq - entries[0].seq == 11
    assert verify() == []


@pytest.mark.django_db
def test_each_cast_in_a_group_is_judged_alone():
    election = open_election(delegates=8, seats=3)
    Delegate.objects.filter(congress_id=election.congress_id, number=5).update(
        attendance=Delegate.Attendance.NOT_ARRIVED
    )
    earlier_cast = pending(election, 4, ["c01"], nonce(4))
    ballots._commit_group([earlier_cast])
    earlier = outcome(earlier_cast)
    group = [
        pending(election, 1, ["c01", "c02"], nonce(1)),
        pending(election, 2, None, nonce(2)),  # not a ballot
        pending(election, 1, ["c01", "c02"], nonce(1)),  # a double tap in the same group
        pending(election, 4, ["c02"], nonce(4, "again")),  # voted before the group
        pending(election, 5, ["c01"], nonce(5)),  # not checked in
        pending(election, 3, [], nonce(3)),  # every name struck: cast (and spoilt), as on paper
        pending(election, 4, ["c01"], nonce(4)),  # a retry of the earlier cast
    ]
    ballots._commit_group(group)
    first, over, tap, again, absent, struck, retry = (outcome(c) for c in group)
    assert isinstance(first, ballots.CastResult) and not first.is_repeat and first.tracker
    assert isinstance(over, ActionError) and over.code == "bad_ballot"
    assert isinstance(tap, ballots.CastResult) and tap.is_repeat and tap.tracker == first.tracker
    assert isinstance(again, ActionError) and again.code == "already_voted"
    assert isinstance(absent, ActionError) and absent.code == "may_not_vote"
    assert isinstance(struck, ballots.CastResult) and not struck.is_repeat
    assert isinstance(retry, ballots.CastResult) and retry.is_repeat and retry.tracker == earlier.tracker
    voted = set(
        ElectionParticipation.objects.filter(election=election).values_list("delegate__number", flat=True)
    )
    assert voted == {1, 3, 4}
    trackers = set(ElectronicBallot.objects.filter(election=election).values_list("tracker", flat=True))
    assert trackers == {first.tracker, struck.tracker, earlier.tracker}


@pytest.mark.django_db
def test_a_group_for_a_closed_election_refuses_every_new_cast_but_answers_retries():
    election = open_election(delegates=4)
    ballots._commit_group([pending(election, 1, ["c01"], nonce(1))])
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    group = [pending(election, 1, ["c01"], nonce(1)), pending(election, 2, ["c01"], nonce(2))]
    ballots._commit_group(group)
    retry, late = (outcome(c) for c in group)
    assert isinstance(retry, ballots.CastResult) and retry.is_repeat
    assert isinstance(late, ActionError) and late.code == "election_not_open"
    assert ElectronicBallot.objects.filter(election=election).count() == 1


@pytest.mark.django_db
def test_a_group_whose_write_fails_is_written_cast_by_cast(monkeypatch, caplog):
    election = open_election(delegates=6)
    real_insert = ballots._insert
    failures: list[int] = []

    def flaky_insert(model: type, names: Any, rows: list[Any]) -> None:
        if model is ElectronicBallot and len(rows) > 1:  # the group's write fails; single ballots go in
            failures.append(len(rows))
            raise RuntimeError("disk hiccup")
        real_insert(model, names, rows)

    monkeypatch.setattr(ballots, "_insert", flaky_insert)
    group = [pending(election, n, ["c01"], nonce(n)) for n in range(1, 6)]
    ballots._commit_group(group)
    assert failures == [5]
    assert all(isinstance(outcome(c), ballots.CastResult) for c in group)
    assert ElectionParticipation.objects.filter(election=election).count() == 5
    assert ElectronicBallot.objects.filter(election=election).count() == 5
    assert AuditEntry.objects.filter(action="election.ballot_cast").count() == 5
    assert "writing them one by one" in caplog.text
    assert verify() == []


@pytest.mark.django_db
def test_a_cast_whose_own_write_fails_gets_the_error_and_leaves_nothing(monkeypatch):
    election = open_election(delegates=3)

    real_insert = ballots._insert

    def broken(model: type, names: Any, rows: list[Any]) -> None:
        if model is ElectronicBallot:  # after the participation went in: the rollback must take it back
            raise RuntimeError("disk full")
        real_insert(model, names, rows)

    monkeypatch.setattr(ballots, "_insert", broken)
    voter = Delegate.objects.get(congress_id=election.congress_id, number=1)
    with pytest.raises(RuntimeError, match="disk full"):
        phone_cast(election, voter, ["c01"], nonce=nonce(1))
    assert not ElectionParticipation.objects.filter(election=election).exists()
    assert not AuditEntry.objects.filter(action="election.ballot_cast").exists()


@pytest.mark.django_db
def test_casts_for_two_elections_in_one_group_each_go_to_their_own():
    first = open_election(delegates=4)
    second = open_election(congress=first.congress)
    group = [
        pending(second, 1, ["c02"], nonce(1, "b")),
        pending(first, 1, ["c01"], nonce(1, "a")),
        pending(first, 2, ["c01"], nonce(2, "a")),
        pending(second, 3, ["c03"], nonce(3, "b")),
    ]
    ballots._commit_group(group)
    assert all(isinstance(outcome(c), ballots.CastResult) for c in group)
    assert {o.election_id for o in map(outcome, group)} == {first.pk, second.pk}
    assert ElectronicBallot.objects.filter(election=first).count() == 2
    assert ElectronicBallot.objects.filter(election=second).count() == 2


@pytest.mark.django_db
def test_a_cast_for_an_election_that_does_not_exist_is_refused_alone():
    election = open_election(delegates=2)
    voter = Delegate.objects.get(congress_id=election.congress_id, number=1)
    data, credential = encrypt_on_phone(election, ["c01"])
    ghost = ballots._Cast(10**9, voter, data, credential, nonce(9), ballots.nonce_digest(10**9, nonce(9)))
    real = pending(election, 2, ["c01"], nonce(2))
    ballots._commit_group([ghost, real])
    assert isinstance(outcome(ghost), Election.DoesNotExist)
    assert isinstance(outcome(real), ballots.CastResult)
