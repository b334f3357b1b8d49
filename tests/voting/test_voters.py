"""P1 has one home: `Delegate.may_vote` asks the rules core, and casting a ballot, answering a motion,
counting those present and listing who has not voted all use it, with one error code."""

from __future__ import annotations

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Actor, Role
from daihoi.congress.attendance import attendance
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import ballots
from daihoi.voting.actions import motions as mo
from daihoi.voting.actions.voters import replace_absent_official
from daihoi.voting.models import Candidate, Election, Motion
from tests.factories import make_congress
from tests.voting.evote_helpers import close_motion, phone_cast, run_key_ceremony, run_motion_key, vote

pytestmark = pytest.mark.django_db

A = Delegate.Attendance
S = Delegate.Standing
C = Delegate.Credential


def open_election(congress: Congress) -> Election:
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    n = congress.delegates.count()
    e = Election.objects.create(
        congress=congress, title="Bầu Bí thư", seats=1, status=Election.Status.OPEN,
        allows_electronic=True, base=n, present_at_vote=n,
    )  # fmt: skip
    for i, name in enumerate(["Lê Văn An", "Trần Thị Bình"], start=1):
        Candidate.objects.create(
            election=e, code=f"c{i:02d}", full_name=name, status=Candidate.Status.ON_LIST, ballot_position=i
        )
    run_key_ceremony(e)
    return e


def set_row(congress: Congress, number: int, **fields) -> Delegate:
    Delegate.objects.filter(congress=congress, number=number).update(**fields)
    return Delegate.objects.get(congress=congress, number=number)


def as_delegate(d: Delegate) -> Actor:
    return Actor(roles=frozenset({Role.DELEGATE}), delegate=d)


def test_an_alternate_replacing_an_absent_official_votes_in_elections_and_motions():
    congress = make_congress(delegates=6)
    congress.delegates.update(attendance=A.PRESENT)
    official = set_row(congress, 5, attendance=A.EXCUSED)
    alternate = set_row(congress, 6, standing=S.ALTERNATE)
    e = open_election(congress)
    run_motion_key(congress)
    motion = mo.open_motion(
        mo.create_motion(congress, actor=SYSTEM, title="Quy chế", method=Motion.Method.ELECTRONIC),
        actor=SYSTEM,
    )

    with pytest.raises(ActionError) as refused:
        phone_cast(e, alternate, ["c01"], nonce="alternate-before-0001")
    assert refused.value.code == "may_not_vote"
    assert alternate.pk not in {d.pk for d in ballots.not_voted(e)}
    assert mo.present_voters(congress) == attendance(congress).present == 4
    assert attendance(congress).base.value == 4  # 5 officials convened, one absent and not replaced

    replace_absent_official(alternate, official, actor=SYSTEM)
    assert AuditEntry.objects.filter(action="delegate.replaces").count() == 1
    alternate.refresh_from_db()
    assert alternate.may_vote and alternate.pk in {d.pk for d in ballots.not_voted(e)}
    # P2: the replaced official's seat stays in N; the alternate holding it is present.
    assert mo.present_voters(congress) == attendance(congress).present == 5
    assert attendance(congress).base.value == 5

    assert not phone_cast(e, alternate, ["c01"], nonce="alternate-after-00001").is_repeat
    assert alternate.pk not in {d.pk for d in ballots.not_voted(e)}
    assert vote(motion, alternate, "yes", nonce="alt-motion") is True
    for d in congress.delegates.filter(standing=S.OFFICIAL, attendance=A.PRESENT):
        vote(motion, d, "yes", nonce=f"official-{d.number}")
    closed = close_motion(motion, actor=SYSTEM)  # 5 answers against N = 5: never more votes than N
    assert (closed.yes, closed.present, closed.base, closed.is_passed) == (5, 5, 5, True)


def test_a_replacement_needs_an_alternate_and_an_official_excused_for_the_congress():
    congress = make_congress(delegates=6)
    present_official = set_row(congress, 4, attendance=A.PRESENT)
    excused = set_row(congress, 5, attendance=A.EXCUSED)
    alternate = set_row(congress, 6, standing=S.ALTERNATE, attendance=A.PRESENT)
    other_alternate = set_row(congress, 3, standing=S.ALTERNATE, attendance=A.PRESENT)
    convening = set_row(congress, 2, attendance=A.EXCUSED, is_convening_committee=True)
    for alt, off, code in [
        (alternate, present_official, "official_not_absent"),
        (alternate, convening, "not_replaceable"),
        (present_official, excused, "not_a_replacement"),
        (alternate, other_alternate, "not_a_replacement"),
    ]:
        with pytest.raises(ActionError) as refused:
            replace_absent_official(alt, off, actor=SYSTEM)
        assert refused.value.code == code
    replace_absent_official(alternate, excused, actor=SYSTEM)
    with pytest.raises(ActionError) as twice:
        replace_absent_official(other_alternate, excused, actor=SYSTEM)
    assert twice.value.code == "already_replaced"


def test_the_not_voted_list_and_the_predicate_agree_on_a_roll_with_every_kind_of_delegate():
    congress = make_congress(delegates=12)
    rows = {
        1: {"attendance": A.PRESENT},  # official, accepted: votes
        2: {"attendance": A.PRESENT, "credential": C.PENDING},  # not yet verified: votes
        3: {"attendance": A.PRESENT, "credential": C.REJECTED},
        4: {"attendance": A.NOT_ARRIVED},
        5: {"attendance": A.LEFT},
        6: {"attendance": A.EXCUSED},  # replaced by 8
        7: {"attendance": A.PRESENT, "standing": S.ALTERNATE},  # replaces no one
        8: {"attendance": A.PRESENT, "standing": S.ALTERNATE},  # replaces 6: votes
        9: {"attendance": A.PRESENT, "standing": S.ALTERNATE},  # "replaces" 1, who is present
        10: {"attendance": A.NOT_ARRIVED, "standing": S.ALTERNATE},  # replaces 11 but is not here
        11: {"attendance": A.EXCUSED},
        12: {"attendance": A.PRESENT, "standing": S.ALTERNATE, "credential": C.REJECTED},  # replaces 4? no
    }
    for number, fields in rows.items():
        set_row(congress, number, **fields)
    by_number = {d.number: d for d in congress.delegates.all()}
    Delegate.objects.filter(pk=by_number[8].pk).update(replaces=by_number[6])
    Delegate.objects.filter(pk=by_number[9].pk).update(replaces=by_number[1])
    Delegate.objects.filter(pk=by_number[10].pk).update(replaces=by_number[11])
    e = open_election(congress)

    roll = list(Delegate.objects.filter(congress=congress).select_related("congress", "replaces"))
    by_predicate = {d.number for d in roll if d.may_vote}
    assert by_predicate == {1, 2, 8}
    assert {d.number for d in ballots.not_voted(e)} == by_predicate
    assert mo.present_voters(congress) == len(by_predicate)
    # Attendance counts the seats: official 1 and 2 present, 8 holding 6's seat; 3 is rejected.
    assert attendance(congress).present == len(by_predicate)
    for d in roll:  # casting refuses exactly those the predicate refuses, with one code
        if d.may_vote:
            ballots.check_may_cast(e, d)
        else:
            with pytest.raises(ActionError) as refused:
                ballots.check_may_cast(e, d)
            assert refused.value.code == "may_not_vote"


def test_at_a_congress_of_all_members_only_full_members_vote():
    congress = make_congress(delegates=3)
    Congress.objects.filter(pk=congress.pk).update(kind=Congress.Kind.GENERAL)
    congress.delegates.update(attendance=A.PRESENT)
    probationary = set_row(congress, 3, standing=S.ALTERNATE)
    e = open_election(Congress.objects.get(pk=congress.pk))
    assert {d.number for d in ballots.not_voted(e)} == {1, 2}
    with pytest.raises(ActionError) as refused:
        phone_cast(e, probationary, ["c01"], nonce="probationary-00000001")
    assert refused.value.code == "may_not_vote" and "dự bị" in refused.value.message
