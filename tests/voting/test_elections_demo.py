"""The demo's elections: realistic lists, ready for the presidium to walk through P6."""

from __future__ import annotations

import pytest

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.demo import load_demo
from daihoi.congress.models import Delegate
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.demo import load_demo_elections
from daihoi.voting.models import Candidate, Election, Motion


def decide(motion: Motion) -> Motion:
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(motion.congress)
    return mo.close_motion(motion, actor=SYSTEM, yes=present, no=0, abstain=0)


@pytest.mark.django_db
def test_the_demo_has_a_committee_election_of_17_for_15_and_a_delegation_of_28_plus_2():
    congress = load_demo()
    committee, delegation = load_demo_elections(congress)
    assert load_demo_elections(congress) == [committee, delegation]  # idempotent
    assert (committee.status, committee.seats) == (Election.Status.PREPARING, None)
    assert committee.motions.get(kind=Motion.Kind.SEATS).payload == {"seats": 15}
    listed = committee.candidates.filter(status=Candidate.Status.ON_LIST).select_related("delegate")
    assert listed.count() == 17
    assert sum(c.delegate.kind == Delegate.Kind.EX_OFFICIO for c in listed) == 13
    assert (delegation.seats, delegation.alternates, delegation.delegation_mode) == (28, 2, "one_ballot")
    assert delegation.candidates.count() == 32
    assert audit.verify() == []


@pytest.mark.django_db
def test_the_demo_committee_election_runs_through_P6_to_an_open_vote():
    congress = load_demo()
    committee, _ = load_demo_elections(congress)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    decide(committee.motions.get(kind=Motion.Kind.SEATS))
    committee.refresh_from_db()
    assert committee.seats == 15
    assert el.check_list(committee).surplus == 2 and el.list_warnings(committee) == []
    candidates = set(committee.candidates.values_list("delegate_id", flat=True))
    members = list(congress.delegates.exclude(pk__in=candidates).order_by("-number")[:5])
    decide(el.propose_counting_committee(committee, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(committee, actor=SYSTEM))
    committee = el.open_election(committee, actor=SYSTEM)
    assert (committee.base, committee.present_at_vote) == (165, 165)
    codes = list(committee.candidates.order_by("ballot_position").values_list("code", flat=True))
    assert codes == [f"c{i:02d}" for i in range(1, 18)]
