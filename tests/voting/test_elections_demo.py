"""The demo's elections: realistic lists, ready for the presidium to walk through P6."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry
from daihoi.congress import demo
from daihoi.congress.access import SYSTEM
from daihoi.congress.actions.checkin import check_in_delegate
from daihoi.congress.demo import DEMO_SLUG, DemoPart, load_demo
from daihoi.congress.models import CheckIn, Congress, Delegate
from daihoi.drafts.demo import DISTRICT_SLUG
from daihoi.voting.actions import counting, paper
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.demo import load_demo_elections
from daihoi.voting.models import (
    Candidate,
    CountingMember,
    Election,
    ElectionParticipation,
    ElectronicBallot,
    KeyCeremony,
    Motion,
    MotionEncryptedBallot,
    MotionParticipation,
    PaperBallot,
    PaperBatch,
    PaperEntry,
)
from tests.support.counting import CLERK, HEAD
from tests.voting.evote_helpers import (
    close_motion,
    decrypt_totals,
    phone_cast,
    run_key_ceremony,
    run_motion_key,
    vote,
)


def decide(motion: Motion) -> Motion:
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(motion.congress)
    return mo.close_motion(motion, actor=SYSTEM, yes=present, no=0, abstain=0)


@pytest.mark.django_db
def test_the_demo_has_a_committee_election_of_17_for_15_and_a_delegation_of_28_plus_2():
    congress = load_demo()
    committee, delegation = congress.elections.order_by("pk")  # loaded with the demo congress
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


def vote_and_certify_the_committee(congress: Congress) -> Election:
    """Run the demo's committee election to a certified result with a next round: the congress votes on
    an electronic motion, 90 delegates vote on their phones, 2 paper ballots are entered by both teams.
    Ballots keep c01–c14 and one of c15/c16, so only 14 names pass half of 165 and one place stays open."""
    committee = congress.elections.get(kind=Election.Kind.COMMITTEE)
    check_in_delegate(congress.delegates.get(number=1), nonce="demo-reset-checkin-1", actor=SYSTEM)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    el.set_electronic_voting(congress, actor=SYSTEM, enabled=True)
    rules = mo.create_motion(
        congress, actor=SYSTEM, title="Quy chế làm việc", method=Motion.Method.ELECTRONIC
    )
    run_motion_key(congress)  # the congress's motion key (issue 10), before an anonymous motion opens
    mo.open_motion(rules, actor=SYSTEM)
    voter = congress.delegates.get(number=2)
    vote(rules, voter, "yes", nonce="demo-reset-motion-2")
    close_motion(rules, actor=SYSTEM)
    decide(committee.motions.get(kind=Motion.Kind.SEATS))
    candidates = set(committee.candidates.values_list("delegate_id", flat=True))
    members = list(congress.delegates.exclude(pk__in=candidates).order_by("-number")[:5])
    decide(el.propose_counting_committee(committee, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(committee, actor=SYSTEM))
    el.update_casting(committee, actor=SYSTEM, allows_paper=True, allows_electronic=True, is_verifiable=False)
    run_key_ceremony(committee)  # the counting committee's key (issue 10): 3 of its 5 members
    committee = el.open_election(committee, actor=SYSTEM)
    codes = list(committee.candidates.order_by("ballot_position").values_list("code", flat=True))
    for k, d in enumerate(congress.delegates.order_by("number")[:90]):
        kept = [*codes[:14], codes[14 + k % 2]]
        phone_cast(committee, d, kept, nonce=f"demo-reset-ballot-{d.number:04d}")
    committee = el.close_election(committee, actor=SYSTEM)
    decrypt_totals(committee, (1, 3, 5))
    batch = paper.create_batch(committee, CLERK)
    for team in (1, 2):
        paper.record_entry(batch, CLERK, team=team, ballot_number="1", keys="1617")
        paper.record_entry(batch, CLERK, team=team, ballot_number="2", keys="1517")
    paper.finalize_batch(batch, CLERK)
    counting.record_ballots_issued(committee, CLERK, issued=2)
    result = counting.certify(committee, HEAD)
    assert len(result.elected) == 14 and result.next_round is not None
    decide(el.propose_next_round(committee, actor=SYSTEM))
    assert committee.next_rounds.get().round == 2
    return committee


def assert_nothing_but_a_fresh_demo(congress: Congress) -> None:
    elections = list(Election.objects.order_by("pk"))
    assert [e.congress_id for e in elections] == [congress.pk, congress.pk]
    assert [(e.kind, e.status, e.round) for e in elections] == [
        (Election.Kind.COMMITTEE, Election.Status.PREPARING, 1),
        (Election.Kind.DELEGATION, Election.Status.PREPARING, 1),
    ]
    assert elections[0].seats is None and elections[0].result is None
    assert Candidate.objects.count() == 17 + 32
    # The elections' motions (the term's demo adds the adopted resolution, which is not the elections').
    election_motions = Motion.objects.filter(election__isnull=False).values_list("kind", "status")
    assert list(election_motions) == [(Motion.Kind.SEATS, Motion.Status.DRAFT)]
    for model in (
        CountingMember,
        ElectionParticipation,
        ElectronicBallot,
        PaperBatch,
        PaperEntry,
        PaperBallot,
        MotionParticipation,
        MotionEncryptedBallot,
        KeyCeremony,
        CheckIn,
    ):
        assert not model.objects.exists(), model.__name__
    # The demo is the ward's congress, and the district congress that the drafts' demo sends its synthesis to.
    assert Congress.objects.get(slug=DEMO_SLUG) == congress
    assert set(Congress.objects.values_list("slug", flat=True)) == {DEMO_SLUG, DISTRICT_SLUG}
    assert Delegate.objects.count() == 165
    assert set(congress.delegates.values_list("attendance", flat=True)) == {Delegate.Attendance.NOT_ARRIVED}


@pytest.mark.django_db
def test_seed_demo_reset_after_a_certified_election_loads_a_fresh_demo():
    old = load_demo()
    vote_and_certify_the_committee(old)
    call_command("seed_demo", "--reset", stdout=StringIO())
    fresh = Congress.objects.get(slug=DEMO_SLUG)
    assert fresh.pk != old.pk
    assert_nothing_but_a_fresh_demo(fresh)
    assert audit.verify() == []
    deleted = AuditEntry.objects.filter(action="demo.delete").get()
    assert (deleted.congress_id, deleted.before["delegates"]) == (old.pk, 165)


@pytest.mark.django_db
def test_a_reset_that_fails_half_way_leaves_the_voted_demo_as_it_was(monkeypatch):
    old = load_demo()
    committee = vote_and_certify_the_committee(old)
    entries = AuditEntry.objects.count()
    part = demo._parts["elections"]

    def load_then_fail(congress: Congress) -> None:
        part.load(congress)  # the fresh elections are written, then something breaks
        raise RuntimeError("disk full")

    monkeypatch.setitem(demo._parts, "elections", DemoPart(load_then_fail, part.clear, part.describe))
    with pytest.raises(RuntimeError):
        load_demo(reset=True)
    assert Congress.objects.get(slug=DEMO_SLUG).pk == old.pk
    committee.refresh_from_db()
    assert committee.status == Election.Status.CERTIFIED and committee.next_rounds.count() == 1
    assert Election.objects.count() == 3
    assert ElectronicBallot.objects.filter(election=committee).count() == 90
    assert PaperBallot.objects.filter(election=committee).count() == 2
    assert AuditEntry.objects.count() == entries and audit.verify() == []
