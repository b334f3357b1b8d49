"""Builders shared by the counting tests: an election with its list, ORM-made (not through the election workflow)
is used, and a few shorthands for entering paper ballots."""

from __future__ import annotations

from daihoi.congress.access import Actor, Role
from daihoi.voting.models import Election
from tests.factories import ELECTION_NAMES, make_election

__all__ = ["CLERK", "HEAD", "NAMES", "keys_for", "listed_codes", "make_election"]

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


def test_make_election_orders_the_list_by_given_name(db):
    from tests.factories import make_congress

    election = make_election(make_congress(delegates=12), candidates=4)
    names = list(election.candidates.order_by("ballot_position").values_list("full_name", flat=True))
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Phạm Minh Dũng"]


def cast_electronic(election: Election, marks: list[dict[str, int]]) -> None:
    """E-ballots as casting stores them: one participation per ballot, nothing linking the two."""
    import secrets

    from daihoi.voting.models import ElectionParticipation, ElectronicBallot

    voters = list(election.congress.delegates.order_by("number"))
    start = ElectionParticipation.objects.filter(election=election).count()
    for i, m in enumerate(marks):
        ElectionParticipation.objects.create(
            election=election, delegate=voters[start + i], nonce_digest=secrets.token_hex(32)
        )
        ElectronicBallot.objects.create(election=election, marks=m)
