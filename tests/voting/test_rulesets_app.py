"""The same election under each rule set, through the actions: 5 seats, 6 on the committee's list, one
floor nominee (so 7 names), an electronic ballot. Only the congress's rule set's rules may be applied:
P7 (30% of those present), P8 (3–5 seats: one extra at most) and P20 (electronic only when the organizer
turns it on, the Party's words in the minutes) under `party`; none of them under `approval`."""

from __future__ import annotations

import pytest

from daihoi.congress.access import SYSTEM
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import check_in, make_congress
from tests.voting.evote_helpers import decrypt_totals, phone_cast, run_key_ceremony

PARTY_P20 = "theo quyết định của cấp ủy triệu tập đại hội"


def decide(motion: Motion, *, yes: int | None = None, no: int = 0, abstain: int = 0) -> Motion:
    mo.open_motion(motion, actor=SYSTEM)
    present = mo.present_voters(motion.congress)
    return mo.close_motion(motion, actor=SYSTEM, yes=present if yes is None else yes, no=no, abstain=abstain)


def congress_under(rules: str) -> Congress:
    c = make_congress(delegates=30)
    Congress.objects.filter(pk=c.pk).update(rules=rules)
    c.refresh_from_db()
    check_in(c)
    return c


def numbered(c: Congress, *numbers: int) -> list[Delegate]:
    return [c.delegates.get(number=n) for n in numbers]


def five_of_seven(c: Congress) -> tuple[Election, Motion]:
    """Seats voted, the committee's 6, and a floor nominee decided by 10 yes, 5 no, 15 abstaining."""
    e = el.create_election(
        c, actor=SYSTEM, title="Bầu Ban Chấp hành khóa mới", seats=5, allows_electronic=True
    )
    decide(e.motions.get(kind=Motion.Kind.SEATS))
    e.refresh_from_db()
    for d in numbered(c, 1, 2, 3, 4, 5, 6):
        el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.COMMITTEE, delegate=d)
    nominee, nominator = numbered(c, 10, 12)
    floor = el.add_candidate(
        e, actor=SYSTEM, source=Candidate.Source.FLOOR, delegate=nominee, nominator=nominator
    )
    closed = decide(floor.motions.get(kind=Motion.Kind.FLOOR_NOMINEE), yes=10, no=5, abstain=15)
    return e, closed


@pytest.mark.django_db
def test_under_party_only_the_party_rules_apply():
    c = congress_under("party")
    # P20: electronic casting is off until the organizer turns it on.
    with pytest.raises(ActionError) as err:
        el.create_election(c, actor=SYSTEM, title="Bầu thử", seats=5, allows_electronic=True)
    assert err.value.code == "electronic_not_allowed"
    el.set_electronic_voting(c, actor=SYSTEM, enabled=True)
    e, floor = five_of_seven(c)
    # P7: 10 of 30 present is more than 30% (10 × 10 > 3 × 30): admitted, and said so against those present.
    assert floor.is_passed is True and "cần hơn 30% số đại biểu có mặt" in floor.outcome
    assert (floor.base, floor.base_explanation) == (30, "N = 30 đại biểu chính thức được triệu tập = 30")
    # P8: a body of 5 seats may have one extra name, not two.
    with pytest.raises(ActionError) as err:
        el.propose_list(e, actor=SYSTEM)
    assert err.value.code == "small_body_surplus"
    # With the nominee withdrawn (6 for 5), the election runs; the minutes state P20 in the Party's words.
    decide(el.request_withdrawal(e.candidates.get(delegate__number=10), actor=SYSTEM))
    certified = run_to_certified(e)
    assert PARTY_P20 in minutes_text(certified)


@pytest.mark.django_db
def test_under_approval_no_party_rule_applies():
    c = congress_under("approval")
    # P20 is the Party's: approval allows electronic ballots by itself, with no organizer's switch.
    assert el.electronic_allowed(c)
    e, floor = five_of_seven(c)
    # Not P7: the nominee's motion is decided like any approval motion, on the votes cast (2 × 10 ≤ 30).
    assert floor.is_passed is False
    assert "30%" not in floor.outcome and "số phiếu biểu quyết" in floor.outcome
    assert (floor.base, floor.base_explanation) == (30, "N = số phiếu biểu quyết = 10 + 5 + 15 = 30")
    nominee = e.candidates.get(delegate__number=10)
    assert nominee.status == Candidate.Status.NOT_ADMITTED
    again = el.add_candidate(e, actor=SYSTEM, source=Candidate.Source.SELF, delegate=nominee.delegate)
    decide(again.motions.get(kind=Motion.Kind.FLOOR_NOMINEE), yes=16, no=14)
    # Not P8: 7 names for 5 seats is a valid list (no 30% cap, no small-body rule).
    assert el.check_list(e).surplus == 2
    certified = run_to_certified(e)
    assert certified.result["seats"] == 5 and len(certified.result["candidates"]) == 7
    text = minutes_text(certified)
    assert PARTY_P20 not in text and "bỏ phiếu điện tử" in text
    # N is approval's base, the valid ballots (one), stated once and never as the Party's N of P2.
    assert "Cơ sở tính tỷ lệ: N = số phiếu hợp lệ = 1." in text
    assert "đại biểu chính thức được triệu tập" not in text


def run_to_certified(e: Election) -> Election:
    c = e.congress
    members = numbered(c, 20, 21, 22)
    decide(el.propose_counting_committee(e, actor=SYSTEM, members=members, head=members[0]))
    decide(el.propose_list(e, actor=SYSTEM))
    e.refresh_from_db()
    run_key_ceremony(e)  # the counting committee's key (issue 10)
    e = el.open_election(e, actor=SYSTEM)
    codes = [cand.code for cand in counting.ballot_list(e)]
    phone_cast(e, c.delegates.get(number=15), codes[:5], nonce="n" * 24)
    el.close_election(e, actor=SYSTEM)
    decrypt_totals(e)
    counting.certify(e, SYSTEM)
    e.refresh_from_db()
    return e


def minutes_text(e: Election) -> str:
    return "\n".join(getattr(b, "text", "") for b in documents.produce("minutes", e).blocks)
