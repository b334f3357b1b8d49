"""Builders shared by the counting tests: an election with its list, ORM-made (not through the election workflow),
a few shorthands for entering paper ballots and e-ballots, and party.md's worked example."""

from __future__ import annotations

from daihoi.congress.access import Actor, Role
from daihoi.voting.actions import counting
from daihoi.voting.models import Election, PaperBallot, PaperBatch
from tests.factories import ELECTION_NAMES, make_congress, make_election
from tests.rules.ballot_factory import valid_rows

__all__ = [
    "CLERK",
    "HEAD",
    "NAMES",
    "WORKED_VOTES",
    "cast_electronic",
    "keys_for",
    "listed_codes",
    "make_election",
    "tied_at_the_cut_off",
    "worked_example",
]

NAMES = ELECTION_NAMES

CLERK = Actor(roles=frozenset({Role.COUNTING}))
HEAD = Actor(roles=frozenset({Role.COUNTING}))


def listed_codes(election: Election) -> list[str]:
    """Candidate codes in ballot order (position 1 first)."""
    return list(election.candidates.order_by("ballot_position").values_list("code", flat=True))


def keys_for(election: Election, struck_codes: list[str]) -> str:
    """The keys a clerk types to strike these candidates."""
    codes = listed_codes(election)
    width = len(str(len(codes)))
    return "".join(f"{codes.index(c) + 1:0{width}d}" for c in struck_codes)


def cast_electronic(election: Election, marks: list[dict[str, int]]) -> None:
    """E-ballots as casting stores them (encrypted on the 'phones', issue 10): one participation per
    ballot, nothing linking the two. The committee's key is made first if missing; when the election is
    already closed, two members decrypt the totals again, as the count needs."""
    import secrets

    from daihoi.crypto.ballot import EncryptedBallot
    from daihoi.voting.actions import ballots as ballot_actions
    from daihoi.voting.actions import evote
    from daihoi.voting.models import ElectionParticipation, ElectronicBallot, KeyCeremony, KeyHolder
    from tests.voting import evote_helpers as ev

    if evote.election_key(election) is None:
        ev.run_key_ceremony(election)
    poll = evote.election_poll(election)
    voters = list(election.congress.delegates.order_by("number"))
    start = ElectionParticipation.objects.filter(election=election).count()
    for i, m in enumerate(marks):
        kept = [code for code, mark in m.items() if mark]
        data, credential = ev.encrypt_on_phone(election, kept, invalid=not kept and poll.spec().min_marks > 0)
        ElectionParticipation.objects.create(
            election=election, delegate=voters[start + i], nonce_digest=secrets.token_hex(32)
        )
        tracker = ballot_actions.ballot_tracker(
            poll.id, credential, EncryptedBallot.from_json(data, poll.spec())
        )
        ElectronicBallot.objects.create(
            election=election, credential=credential, ciphertext=data, tracker=tracker
        )
    if election.status == Election.Status.CLOSED:
        KeyCeremony.objects.filter(election=election).update(
            totals=None, counts=None, accepted=None, rejected=None
        )
        KeyHolder.objects.filter(ceremony__election=election).update(partial=None)
        ev.decrypt_totals(election)


WORKED_VOTES = [24, 22, 20, 16, 16, 15, 9]  # party.md's worked example, candidates A..G in list order


def worked_example(seats: int = 5, issued: int = 28):
    """party.md: N = 30, 28 present, 7 candidates, 28 ballots of which 3 invalid (one per reason)."""
    congress = make_congress(delegates=30)
    election = make_election(congress, candidates=7, seats=seats, base=30, present=28)
    election.ballots_issued = issued
    election.save()
    codes = listed_codes(election)
    batch = PaperBatch.objects.create(election=election, number=1, is_reconciled=True)
    rows = valid_rows(WORKED_VOTES, 25, 5)
    rows += [(1,) * 6 + (0,), (0,) * 7, (1,) + (0,) * 6]
    for n, row in enumerate(rows, start=1):
        PaperBallot.objects.create(
            election=election,
            batch=batch,
            ballot_number=str(n),
            invalid_reason="not_issued" if n == 28 else "",
            marks=dict(zip(codes, row, strict=True)),
        )
    return election


def tied_at_the_cut_off() -> Election:
    """The worked example with 4 seats where D and E tie for the last one: certified and released."""
    election = worked_example(seats=4)
    # 4 seats: D and E tie for the last seat (the ballots keep at most 5 names, so lower F and G).
    PaperBallot.objects.filter(election=election).delete()
    codes = listed_codes(election)
    batch = election.paper_batches.get()
    rows = [*valid_rows([24, 22, 20, 16, 16, 1, 1], 25, 4), (1,) * 5 + (0,) * 2, (0,) * 7, (1,) + (0,) * 6]
    for n, row in enumerate(rows, start=1):
        PaperBallot.objects.create(
            election=election,
            batch=batch,
            ballot_number=str(n),
            invalid_reason="not_issued" if n == 28 else "",
            marks=dict(zip(codes, row, strict=True)),
        )
    counting.certify(election, HEAD)
    counting.release_result(election, HEAD)
    return election
