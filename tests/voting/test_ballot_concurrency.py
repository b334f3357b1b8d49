"""Concurrent submits on real database connections (threads; SQLite and PostgreSQL): a double tap, a
retry racing the original, and ballots racing the close all count once or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from daihoi.congress.access import Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.voting.actions import ballots
from daihoi.voting.actions.elections import close_election
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import nonce, open_election
from tests.support.concurrency import at_once
from tests.voting.evote_helpers import encrypt_on_phone

ROUNDS = 8
CHAIR = Actor(roles=frozenset({Role.PRESIDIUM}))


_SEALED: dict[tuple[int, str], tuple[dict, str]] = {}


def cast(election: Election, number: int, kept: list[str], key: str) -> Callable[[], Any]:
    """A phone's cast: encrypted before the race; a double tap resends the same ciphertext."""
    if (election.pk, key) not in _SEALED:
        _SEALED[(election.pk, key)] = encrypt_on_phone(election, kept)
    data, credential = _SEALED[(election.pk, key)]

    def call() -> Any:
        voter = Delegate.objects.get(congress_id=election.congress_id, number=number)
        return ballots.cast_electronic_ballot(election, voter, data, credential=credential, nonce=key)

    return call


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_with_the_same_nonce_counts_once():
    election = open_election(delegates=ROUNDS)
    for n in range(1, ROUNDS + 1):
        results = at_once([cast(election, n, ["c01"], nonce(n)), cast(election, n, ["c01"], nonce(n))])
        assert all(isinstance(r, ballots.CastResult) for r in results), results
        assert sorted(r.is_repeat for r in results) == [False, True]
        assert results[0].tracker == results[1].tracker
    assert ElectionParticipation.objects.filter(election=election).count() == ROUNDS
    assert ElectronicBallot.objects.filter(election=election).count() == ROUNDS


@pytest.mark.django_db(transaction=True)
def test_two_submits_with_different_nonces_at_once_leave_one_ballot():
    election = open_election(delegates=ROUNDS)
    for n in range(1, ROUNDS + 1):
        results = at_once(
            [cast(election, n, ["c01"], nonce(n, "a")), cast(election, n, ["c02"], nonce(n, "b"))]
        )
        accepted = [r for r in results if isinstance(r, ballots.CastResult)]
        refused = [r for r in results if isinstance(r, ActionError)]
        assert len(accepted) == 1 and len(refused) == 1, results
        assert refused[0].code == "already_voted"
    assert ElectionParticipation.objects.filter(election=election).count() == ROUNDS
    assert ElectronicBallot.objects.filter(election=election).count() == ROUNDS
    assert ElectionParticipation.objects.values("delegate").distinct().count() == ROUNDS


@pytest.mark.django_db(transaction=True)
def test_ballots_racing_the_close_are_either_acknowledged_and_counted_or_refused():
    voters = 12
    election = open_election(delegates=voters)
    calls = [cast(election, n, ["c03"], nonce(n)) for n in range(1, voters + 1)]
    calls.insert(voters // 2, lambda: close_election(election, actor=CHAIR))
    results = at_once(calls)
    acknowledged = [r for r in results if isinstance(r, ballots.CastResult)]
    refused = [r for r in results if isinstance(r, ActionError)]
    assert all(r.code == "election_not_open" for r in refused), refused
    assert len(acknowledged) + len(refused) == voters
    assert Election.objects.get(pk=election.pk).status == Election.Status.CLOSED
    assert ElectronicBallot.objects.filter(election=election).count() == len(acknowledged)
    assert ElectionParticipation.objects.filter(election=election).count() == len(acknowledged)
