"""The election workflow (P6–P9, P13–P15, P20) at the action layer, with every refusal by code."""

from __future__ import annotations

import pytest

from daihoi.audit import log as audit
from daihoi.congress.access import SYSTEM
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Candidate, CountingMember, Election, Motion
from tests.factories import make_congress


def check_in_all(congress) -> None:
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)


def decide(motion: Motion, *, passed: bool = True) -> Motion:
    """Put a motion to the vote by show of hands; everyone present agrees, or no one does."""
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(motion.congress)
    yes = present if passed else 0
    return mo.close_motion(motion, actor=SYSTEM, yes=yes, no=present - yes, abstain=0)


def pending(election: Election, kind: str) -> Motion:
    return election.motions.get(kind=kind, status=Motion.Status.DRAFT)


def committee_election(congress, *, seats: int = 5) -> Election:
    e = el.create_election(congress, actor=SYSTEM, title="Bầu Ban Chấp hành Đảng bộ khóa XVI", seats=seats)
    decide(pending(e, Motion.Kind.SEATS))
    e.refresh_from_db()
    return e


def delegates(congress, *numbers: int) -> list[Delegate]:
    return [congress.delegates.get(number=n) for n in numbers]


def committee_list(e: Election, numbers) -> list[Candidate]:
    return [
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, delegate=d)
        for d in delegates(e.congress, *numbers)
    ]


def ready_election(congress, *, seats=5, listed=range(1, 7), counting=(20, 21, 22)) -> Election:
    """Seats voted, the committee's list, the counting committee elected and the list approved."""
    e = committee_election(congress, seats=seats)
    committee_list(e, listed)
    members = delegates(congress, *counting)
    decide(el.propose_counting_committee(e, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(e, actor=SYSTEM))
    e.refresh_from_db()
    return e


@pytest.fixture
def congress(db) -> Congress:
    c = make_congress(delegates=30)
    check_in_all(c)
    return c


def test_P6_the_number_to_elect_is_set_only_by_a_passed_motion(congress):
    e = el.create_election(congress, actor=SYSTEM, title="Bầu Ban Chấp hành", seats=15)
    assert e.seats is None
    motion = pending(e, Motion.Kind.SEATS)
    assert motion.payload == {"seats": 15}
    decide(motion, passed=False)
    e.refresh_from_db()
    assert e.seats is None
    with pytest.raises(ActionError) as err:
        el.add_candidate(
            e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, delegate=delegates(congress, 1)[0]
        )
    assert err.value.code == "seats_not_set"
    decide(el.propose_seats(e, actor=SYSTEM, seats=13))
    e.refresh_from_db()
    assert e.seats == 13
    with pytest.raises(ActionError) as err:
        el.propose_seats(e, actor=SYSTEM, seats=15)
    assert err.value.code == "seats_already_set"


def test_A9_a_delegations_size_is_allocated_from_above_not_voted(congress):
    e = el.create_election(
        congress,
        actor=SYSTEM,
        title="Bầu đoàn đại biểu",
        kind=Election.Kind.DELEGATION,
        seats=28,
        alternates=2,
    )
    assert (e.seats, e.alternates, e.delegation_mode) == (28, 2, Election.DelegationMode.SEPARATE)
    assert not e.motions.exists()
    with pytest.raises(ActionError) as err:
        el.propose_seats(e, actor=SYSTEM, seats=30)
    assert err.value.code == "seats_allocated_from_above"
    assert "vote_seats" not in [s["code"] for s in el.workflow(e)]


def test_P7_a_floor_nominee_enters_only_with_more_than_30_percent_of_those_present(congress):
    e = committee_election(congress)
    a, b, nominator = delegates(congress, 10, 11, 12)
    first = el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.FLOOR, delegate=a, nominator=nominator)
    second = el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.SELF, delegate=b)
    assert first.status == second.status == Candidate.Status.NOMINATED
    # 30 present: 9 agree is exactly 30% (not admitted), 10 is more (admitted).
    for candidate, yes, status in ((first, 9, "not_admitted"), (second, 10, "on_list")):
        motion = candidate.motions.get(kind=Motion.Kind.FLOOR_NOMINEE)
        mo.open_motion(motion, actor=SYSTEM)
        closed = mo.close_motion(motion, actor=SYSTEM, yes=yes, no=30 - yes, abstain=0)
        candidate.refresh_from_db()
        assert candidate.status == status
        assert f"{yes}/30" in closed.outcome and "ít nhất 10" in closed.outcome


def test_P7_convening_committee_members_may_not_nominate_outside_its_list(congress):
    e = committee_election(congress)
    member, nominee = delegates(congress, 3, 4)
    Delegate.objects.filter(pk=member.pk).update(is_convening_committee=True)
    member.refresh_from_db()
    with pytest.raises(ActionError) as err:
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.FLOOR, delegate=nominee, nominator=member)
    assert err.value.code == "convening_member_nominates_outside_list"
    with pytest.raises(ActionError) as err:
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.SELF, delegate=member)
    assert err.value.code == "convening_member_nominates_outside_list"
    assert not e.candidates.exists()


def test_a_withdrawal_is_decided_by_motion(congress):
    e = committee_election(congress)
    people = committee_list(e, range(1, 8))
    decide(el.request_withdrawal(people[0], actor=SYSTEM, reason="lý do sức khỏe"))
    decide(el.request_withdrawal(people[1], actor=SYSTEM), passed=False)
    statuses = dict(e.candidates.values_list("pk", "status"))
    assert statuses[people[0].pk] == Candidate.Status.WITHDRAWN
    assert statuses[people[1].pk] == Candidate.Status.ON_LIST


@pytest.mark.parametrize(
    ("listed", "code"),
    [
        (6, "no_surplus"),
        (5, "fewer_candidates_than_seats"),
        (8, "surplus_over_cap"),
        (3, "small_body_surplus"),
    ],
)
def test_P8_the_list_is_refused_with_numbers_when_its_surplus_is_wrong(congress, listed, code):
    seats = 3 if code == "small_body_surplus" else 6
    e = committee_election(congress, seats=seats)
    committee_list(e, range(1, listed + 3 * (code == "small_body_surplus") + 1))
    with pytest.raises(ActionError) as err:
        el.propose_list(e, actor=SYSTEM)
    assert err.value.code == code
    assert str(seats) in err.value.message


def test_P8_the_committee_list_outside_10_to_15_percent_warns_but_does_not_block(congress):
    e = committee_election(congress, seats=10)
    committee_list(e, range(1, 14))  # 3 extra for 10 seats: 30%
    assert any("10–15%" in w for w in el.list_warnings(e))
    el.propose_list(e, actor=SYSTEM)


def test_the_list_waits_for_every_nomination_and_withdrawal(congress):
    e = committee_election(congress)
    people = committee_list(e, range(1, 7))
    el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.SELF, delegate=delegates(congress, 15)[0])
    with pytest.raises(ActionError) as err:
        el.propose_list(e, actor=SYSTEM)
    assert err.value.code == "pending_nominations"
    decide(e.motions.get(kind=Motion.Kind.FLOOR_NOMINEE), passed=False)
    el.request_withdrawal(people[0], actor=SYSTEM)
    with pytest.raises(ActionError) as err:
        el.propose_list(e, actor=SYSTEM)
    assert err.value.code == "pending_withdrawals"


def test_P9_a_candidate_cannot_sit_on_the_counting_committee(congress):
    e = committee_election(congress)
    people = committee_list(e, range(1, 7))
    members = [people[0].delegate, *delegates(congress, 20)]
    with pytest.raises(ActionError) as err:
        el.propose_counting_committee(e, actor=SYSTEM, members=members, head=members[1])
    assert err.value.code == "candidate_on_counting_committee"
    assert people[0].full_name in err.value.message
    ok = delegates(congress, 20, 21)
    decide(el.propose_counting_committee(e, actor=SYSTEM, members=ok, head=ok[0]))
    assert list(CountingMember.objects.filter(election=e).values_list("delegate__number", "is_head")) == [
        (20, True),
        (21, False),
    ]
    with pytest.raises(ActionError) as err:
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.SELF, delegate=ok[1])
    assert err.value.code == "candidate_on_counting_committee"


def test_P10_list_approval_fixes_ballot_order_by_given_name_and_codes(congress):
    e = committee_election(congress, seats=3)
    names = ["Trần Văn Bình", "Phạm Văn Cường", "Nguyễn Thị An", "Lê Văn Ân"]
    for name in names:
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, full_name=name)
    decide(el.propose_list(e, actor=SYSTEM))
    e.refresh_from_db()
    assert e.status == Election.Status.LIST_APPROVED
    listed = list(e.candidates.order_by("ballot_position").values_list("code", "full_name"))
    assert listed == [
        ("c01", "Nguyễn Thị An"),
        ("c02", "Lê Văn Ân"),
        ("c03", "Trần Văn Bình"),
        ("c04", "Phạm Văn Cường"),
    ]
    with pytest.raises(ActionError) as err:
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, full_name="Đỗ Văn Dũng")
    assert err.value.code == "list_locked"


def test_a_list_changed_after_it_was_put_to_the_vote_is_not_approved(congress):
    e = committee_election(congress, seats=10)
    committee_list(e, range(1, 12))
    motion = el.propose_list(e, actor=SYSTEM)
    committee_list(e, [12])
    with pytest.raises(ActionError) as err:
        mo.open_motion(motion, actor=SYSTEM)
    assert err.value.code == "list_changed"


def test_opening_the_vote_needs_the_list_and_the_counting_committee(congress):
    e = committee_election(congress)
    committee_list(e, range(1, 7))
    with pytest.raises(ActionError) as err:
        el.open_election(e, actor=SYSTEM)
    assert err.value.code == "list_not_approved"
    decide(el.propose_list(e, actor=SYSTEM))
    with pytest.raises(ActionError) as err:
        el.open_election(e, actor=SYSTEM)
    assert err.value.code == "counting_committee_missing"


def test_opening_fixes_N_and_those_present_and_closing_stops_the_vote(congress):
    Delegate.objects.filter(congress=congress, number=30).update(attendance=Delegate.Attendance.EXCUSED)
    Delegate.objects.filter(congress=congress, number=29).update(attendance=Delegate.Attendance.NOT_ARRIVED)
    e = ready_election(congress)
    e = el.open_election(e, actor=SYSTEM)
    assert (e.status, e.base, e.present_at_vote) == (Election.Status.OPEN, 29, 28)
    assert e.base_explanation.endswith("= 29")
    e = el.close_election(e, actor=SYSTEM)
    assert e.status == Election.Status.CLOSED and e.closed_at is not None
    with pytest.raises(ActionError) as err:
        el.close_election(e, actor=SYSTEM)
    assert err.value.code == "election_not_open"
    assert audit.verify() == []


def test_P20_electronic_casting_needs_the_organizers_switch(congress):
    with pytest.raises(ActionError) as err:
        el.create_election(congress, actor=SYSTEM, title="Bầu", seats=5, allows_electronic=True)
    assert err.value.code == "electronic_not_allowed"
    el.set_electronic_voting(congress, actor=SYSTEM, enabled=True)
    e = el.create_election(
        congress, actor=SYSTEM, title="Bầu", seats=5, allows_electronic=True, is_verifiable=True
    )
    assert e.allows_electronic and e.is_verifiable
    el.set_electronic_voting(congress, actor=SYSTEM, enabled=False)
    e.refresh_from_db()
    assert not e.allows_electronic and e.allows_paper


def certify_with(e: Election, result: dict) -> Election:
    """What certification leaves behind, for the next-round step."""
    Election.objects.filter(pk=e.pk).update(status=Election.Status.CERTIFIED, result=result)
    e.refresh_from_db()
    return e


def test_P13_a_tie_at_the_cut_off_leads_to_a_next_round_among_the_tied(congress):
    e = el.open_election(ready_election(congress, seats=5, listed=range(1, 7)), actor=SYSTEM)
    el.close_election(e, actor=SYSTEM)
    codes = list(e.candidates.order_by("ballot_position").values_list("code", flat=True))
    tied = codes[4:6]
    e = certify_with(
        e,
        {"seats": 5, "alternates": 0, "elected": codes[:4], "elected_alternates": [], "unfilled_seats": 1,
         "next_round": {"reason": "tie", "seats": 1, "candidates": tied}},
    )  # fmt: skip
    motion = el.propose_next_round(e, actor=SYSTEM)
    decide(motion)
    new = e.next_rounds.get()
    assert (new.round, new.seats, new.alternates, new.is_tie_round) == (2, 1, 0, True)
    assert new.status == Election.Status.LIST_APPROVED and new.tie_round_needs_majority is None
    names = dict(e.candidates.values_list("code", "full_name"))
    assert sorted(new.candidates.values_list("full_name", flat=True)) == sorted(names[c] for c in tied)
    assert set(new.candidates.values_list("source", flat=True)) == {Candidate.Source.CARRIED}
    assert list(new.candidates.order_by("ballot_position").values_list("code", flat=True)) == ["c01", "c02"]
    assert set(CountingMember.objects.filter(election=new).values_list("delegate_id", "is_head")) == set(
        CountingMember.objects.filter(election=e).values_list("delegate_id", "is_head")
    )
    assert new.title.endswith("(lần 2)")
    with pytest.raises(ActionError) as err:
        el.propose_next_round(e, actor=SYSTEM)
    assert err.value.code == "next_round_exists"
    el.open_election(new, actor=SYSTEM)  # the next round is ready to vote


def test_P15_a_tie_at_the_alternates_cut_off_opens_an_alternate_round(congress):
    e = el.create_election(
        congress,
        actor=SYSTEM,
        title="Bầu đoàn đại biểu",
        kind=Election.Kind.DELEGATION,
        seats=3,
        alternates=1,
        delegation_mode=Election.DelegationMode.ONE_BALLOT,
    )
    committee_list(e, range(1, 6))
    members = delegates(congress, 20, 21)
    decide(el.propose_counting_committee(e, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(e, actor=SYSTEM))
    e.refresh_from_db()
    el.close_election(el.open_election(e, actor=SYSTEM), actor=SYSTEM)
    codes = list(e.candidates.order_by("ballot_position").values_list("code", flat=True))
    e = certify_with(
        e,
        {"seats": 3, "alternates": 1, "elected": codes[:3], "elected_alternates": [], "unfilled_seats": 1,
         "next_round": {"reason": "tie", "seats": 1, "candidates": codes[3:5]}},
    )  # fmt: skip
    decide(el.propose_next_round(e, actor=SYSTEM, tie_round_needs_majority=True))
    new = e.next_rounds.get()
    assert (new.seats, new.alternates, new.elects_alternates, new.tie_round_needs_majority) == (
        1,
        0,
        True,
        True,
    )


def test_no_next_round_without_open_seats(congress):
    e = el.close_election(el.open_election(ready_election(congress), actor=SYSTEM), actor=SYSTEM)
    with pytest.raises(ActionError) as err:
        el.propose_next_round(e, actor=SYSTEM)
    assert err.value.code == "no_next_round"


def test_the_workflow_reports_each_step_done_in_order(congress):
    e = committee_election(congress)
    steps = {s["code"]: s["done"] for s in el.workflow(e)}
    assert steps["vote_seats"] and not steps["committee_list"]
    e = ready_election(congress)
    steps = {s["code"]: s["done"] for s in el.workflow(e)}
    assert all(done for code, done in steps.items() if code != "vote_and_count")
