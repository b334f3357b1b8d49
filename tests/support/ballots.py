"""Electronic ballots: an open election set up directly (not through the election workflow), and nonces."""

from __future__ import annotations

from django.utils import timezone

from daihoi.congress.models import Congress, Delegate
from daihoi.voting.models import Candidate, Election
from tests.factories import make_congress, person_name
from tests.voting.evote_helpers import run_key_ceremony


def nonce(n: int, salt: str = "n") -> str:
    return f"{salt}-nonce-{n:08d}-abcdefgh"


def open_election(
    *,
    delegates: int = 20,
    candidates: int = 7,
    seats: int = 5,
    alternates: int = 0,
    verifiable: bool = False,
    status: str = Election.Status.OPEN,
    congress: Congress | None = None,
    electronic_enabled: bool = True,
    slug: str | None = None,
) -> Election:
    """An open election with every delegate checked in, set up directly (not through the election workflow)."""
    if congress is None:
        congress = make_congress(delegates=delegates, slug=slug)
        Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=electronic_enabled)
        congress.refresh_from_db()
        Delegate.objects.filter(congress=congress).update(
            attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
        )
    election = Election.objects.create(
        congress=congress,
        title="Bầu Ban Chấp hành Đảng bộ khóa XVI",
        seats=seats,
        alternates=alternates,
        # P15: the alternates given here are elected on the same ballot as the officials.
        delegation_mode=Election.DelegationMode.ONE_BALLOT,
        status=status,
        allows_paper=True,
        allows_electronic=True,
        is_verifiable=verifiable,
        base=congress.delegates.count(),
        present_at_vote=congress.delegates.count(),
    )
    Candidate.objects.bulk_create(
        Candidate(
            election=election,
            code=f"c{i + 1:02d}",
            full_name=person_name(100 + i * 3),
            status=Candidate.Status.ON_LIST,
            ballot_position=i + 1,
        )
        for i in range(candidates)
    )
    run_key_ceremony(election)  # the counting committee's key (issue 10), before any ballot
    return election


def delegate(election: Election, number: int) -> Delegate:
    """The election's congress's delegate of that number."""
    return Delegate.objects.get(congress=election.congress, number=number)
