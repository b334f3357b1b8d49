"""The demo congress's two elections, ready for the presidium to walk through P6.

- the executive committee (Ban Chấp hành), 15 seats proposed: the draft motion on the number waits for
  the congress, and the outgoing committee's list of 17 is prepared (13 outgoing members standing again
  and 4 new names, a surplus of 2, 13%, inside P8's 10–15%);
- the delegation to the district congress, 28 official + 2 alternate places allocated from above (A9),
  one ballot, with the committee's list of 32.

Both stay in `preparing`. They are a registered part of `daihoi.congress.demo.load_demo` (the app's
`ready()` imports this module), so the demo and `seed_demo --reset` load and delete them with the congress.
`load_demo_elections` is idempotent: a congress that already has elections is left alone.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.demo import DemoPart, register_part
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions.elections import candidate_facts, create_election
from daihoi.voting.models import Candidate, Election, KeyCeremony

COMMITTEE_SEATS = 15
DELEGATION_SEATS = 28
DELEGATION_ALTERNATES = 2
# Outgoing committee members (delegate numbers 1–15 in the demo roll) who do not stand again.
RETIRING = frozenset({12, 15})
NEW_COMMITTEE_NAMES = 4
DELEGATION_LIST = 32


def _committee_list(e: Election, people: list[Delegate]) -> None:
    """The outgoing committee's list as prepared before the congress (P6.3), recorded in the audit chain."""
    listed = Candidate.objects.bulk_create(
        [
            Candidate(
                election=e,
                code=f"n{i:03d}",
                full_name=d.full_name,
                delegate=d,
                source=Candidate.Source.COMMITTEE,
                status=Candidate.Status.ON_LIST,
                note=d.position[:300],
            )
            for i, d in enumerate(people, start=1)
        ]
    )
    for c in listed:
        audit.record(
            actor=SYSTEM.label,
            action="candidate.added",
            congress_id=e.congress_id,
            obj=c,
            after=candidate_facts(c),
        )


def load_demo_elections(congress: Congress) -> list[Election]:
    """Create the demo's committee and delegation elections (both `preparing`); returns them."""
    with transaction.atomic():
        existing = list(Election.objects.filter(congress=congress).order_by("pk"))
        if existing:
            return existing
        roll = list(congress.delegates.filter(standing=Delegate.Standing.OFFICIAL).order_by("number"))
        outgoing = [d for d in roll if d.kind == Delegate.Kind.EX_OFFICIO and d.number not in RETIRING]
        others = [d for d in roll if d.kind != Delegate.Kind.EX_OFFICIO]
        # New names: cell secretaries first, as a committee's list usually has them.
        secretaries = [d for d in others if d.position.startswith("Bí thư")]
        new = (secretaries + [d for d in others if d not in secretaries])[:NEW_COMMITTEE_NAMES]
        committee = create_election(
            congress,
            actor=SYSTEM,
            title=f"Bầu Ban Chấp hành Đảng bộ khóa XV, nhiệm kỳ {congress.term}",
            kind=Election.Kind.COMMITTEE,
            seats=COMMITTEE_SEATS,
        )
        # The number is voted first (P6.2); the list is prepared, and presented after that vote.
        _committee_list(committee, outgoing + new)

        delegation = create_election(
            congress,
            actor=SYSTEM,
            title="Bầu đoàn đại biểu dự Đại hội Đảng bộ quận",
            kind=Election.Kind.DELEGATION,
            seats=DELEGATION_SEATS,
            alternates=DELEGATION_ALTERNATES,
            delegation_mode=Election.DelegationMode.ONE_BALLOT,
        )
        # Leaders first, then delegates spread over the cells, as a delegation's list usually is.
        leaders = [d for d in roll if d.kind == Delegate.Kind.EX_OFFICIO][:10]
        step = max(1, len(others) // (DELEGATION_LIST - len(leaders)))
        spread = others[::step][: DELEGATION_LIST - len(leaders)]
        _committee_list(delegation, leaders + spread)
    return [committee, delegation]


def clear_demo_elections(congress: Congress) -> None:
    """Delete the congress's elections with all they hold (motions, candidates, counting committee,
    participations, ballots, paper batches), so that the congress itself can be deleted: a candidate or a
    counting member protects its delegate, and a next round its previous round, so the latest rounds go
    first. The congress's motion key goes too: its holders protect their delegates. Run inside the
    caller's transaction."""
    KeyCeremony.objects.filter(motions_of=congress).delete()
    elections = Election.objects.filter(congress=congress)
    for n in sorted(set(elections.values_list("round", flat=True)), reverse=True):
        elections.filter(round=n).delete()


def describe_demo_elections(congress: Congress) -> str:
    """One line per election for `seed_demo`."""
    return "\n".join(
        _("Cuộc bầu cử “%(title)s”: %(status)s, %(candidates)s người trong danh sách")
        % {
            "title": e.title,
            "status": e.get_status_display(),
            "candidates": e.candidates.filter(status=Candidate.Status.ON_LIST).count(),
        }
        for e in Election.objects.filter(congress=congress).order_by("pk")
    )


register_part(
    "elections",
    DemoPart(load=load_demo_elections, clear=clear_demo_elections, describe=describe_demo_elections),
)
