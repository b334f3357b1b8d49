"""Motions (P4, P5) at the action layer: the base N, show of hands, electronic and named votes, secrecy."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Actor, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Delegate
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Motion, MotionEncryptedBallot, MotionParticipation, NamedVote
from tests.factories import make_congress
from tests.voting.evote_helpers import close_motion, run_motion_key, vote


def check_in(congress, count: int) -> list[Delegate]:
    ids = list(congress.delegates.order_by("number").values_list("pk", flat=True)[:count])
    Delegate.objects.filter(pk__in=ids).update(attendance=Delegate.Attendance.PRESENT)
    return list(Delegate.objects.filter(pk__in=ids).order_by("number"))


def as_delegate(d: Delegate) -> Actor:
    return Actor(roles=frozenset({Role.DELEGATE}), delegate=d)


# These tests seat only a few delegates to see who may answer; below P3's quorum the party rule set lets
# the presidium proceed by a recorded override (tests/voting/test_quorum.py tests the refusal itself).
def hands(congress, *, title="Thông qua chương trình đại hội") -> Motion:
    m = mo.create_motion(congress, actor=SYSTEM, title=title, kind=Motion.Kind.AGENDA)
    return mo.open_motion(m, actor=SYSTEM, quorum_override=True)


def electronic(congress, *, method=Motion.Method.ELECTRONIC) -> Motion:
    if method == Motion.Method.ELECTRONIC and not hasattr(congress, "motion_key"):
        run_motion_key(congress)  # the congress's motion key (issue 10), before an anonymous motion opens
    m = mo.create_motion(congress, actor=SYSTEM, title="Thông qua quy chế làm việc", method=method)
    return mo.open_motion(m, actor=SYSTEM, quorum_override=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("yes", "passed"), [(83, True), (82, False)])
def test_P4_motion_is_decided_against_N_not_against_those_present(yes, passed):
    congress = make_congress(delegates=165)
    check_in(congress, 110)  # P3: exactly the quorum, ⌈⅔ × 165⌉
    m = mo.close_motion(hands(congress), actor=SYSTEM, yes=yes, no=110 - yes, abstain=0)
    assert (m.base, m.present, m.yes) == (165, 110, yes)
    assert m.is_passed is passed
    assert "165" in m.outcome and "83" in m.outcome
    assert m.base_explanation == "N = 165 đại biểu chính thức được triệu tập = 165"


@pytest.mark.django_db
def test_P2_delegates_excused_for_the_whole_congress_leave_N():
    congress = make_congress(delegates=10)
    check_in(congress, 6)
    Delegate.objects.filter(congress=congress, number__in=[9, 10]).update(
        attendance=Delegate.Attendance.EXCUSED
    )
    Delegate.objects.filter(congress=congress, number=10).update(is_convening_committee=True)
    Delegate.objects.filter(congress=congress, number=8).update(standing=Delegate.Standing.ALTERNATE)
    m = mo.close_motion(hands(congress), actor=SYSTEM, yes=4, no=2, abstain=0)
    # 9 officials convened, less one absent official and one absent convening-committee member.
    assert m.base == 7
    assert "N = 9" in m.base_explanation and m.base_explanation.endswith("= 7")
    assert m.is_passed is True  # 2 × 4 > 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts", "code"),
    [
        ((50, 30, 21), "counts_exceed_present"),
        ((-1, 0, 0), "negative_count"),
        ((None, 0, 0), "count_required"),
        (("nhiều", 0, 0), "count_not_number"),
    ],
)
def test_show_of_hands_counts_are_validated_before_anything_is_written(counts, code):
    congress = make_congress(delegates=120)
    check_in(congress, 100)
    m = hands(congress)
    yes, no, abstain = counts
    with pytest.raises(ActionError) as e:
        mo.close_motion(m, actor=SYSTEM, yes=yes, no=no, abstain=abstain)
    assert e.value.code == code
    m.refresh_from_db()
    assert m.status == Motion.Status.OPEN and m.yes is None


@pytest.mark.django_db
def test_a_second_motion_cannot_open_while_one_is_open():
    congress = make_congress(delegates=5)
    hands(congress)
    other = mo.create_motion(congress, actor=SYSTEM, title="Quy chế làm việc")
    with pytest.raises(ActionError) as e:
        mo.open_motion(other, actor=SYSTEM, quorum_override=True)
    assert e.value.code == "another_motion_open"


@pytest.mark.django_db
def test_electronic_motion_counts_answers_and_keeps_who_apart_from_what():
    congress = make_congress(delegates=9)
    present = check_in(congress, 7)
    m = electronic(congress)
    for d, choice in zip(present, ["yes", "yes", "yes", "yes", "yes", "no", "abstain"], strict=True):
        assert vote(m, d, choice, nonce=f"n-{d.pk}") is True
    m = close_motion(m, actor=SYSTEM)
    assert (m.yes, m.no, m.abstain, m.base, m.present, m.is_passed) == (5, 1, 1, 9, 7, True)
    # "Who" holds no choice and "what" holds no voter: the two tables share only the motion.
    assert {f.name for f in MotionParticipation._meta.concrete_fields} == {
        "id",
        "motion",
        "delegate",
        "nonce_digest",
    }
    assert {f.name for f in MotionEncryptedBallot._meta.concrete_fields} == {
        "id",
        "motion",
        "credential",
        "ciphertext",
        "tracker",
        "verdict",
    }
    assert (
        MotionParticipation.objects.filter(motion=m).count()
        == MotionEncryptedBallot.objects.filter(motion=m).count()
        == 7
    )
    # The audit chain says that each delegate voted, never what.
    entries = AuditEntry.objects.filter(action="motion.voted")
    assert entries.count() == 7
    assert all(set(e.after) == {"delegate", "motion"} for e in entries)
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_retried_answer_with_the_same_nonce_counts_once():
    congress = make_congress(delegates=5)
    (d,) = check_in(congress, 1)
    m = electronic(congress)
    assert vote(m, d, "yes", nonce="tap-1") is True
    assert vote(m, d, "yes", nonce="tap-1") is False
    assert MotionEncryptedBallot.objects.filter(motion=m).count() == 1
    with pytest.raises(ActionError) as e:
        vote(m, d, "no", nonce="tap-2")
    assert e.value.code == "already_voted"
    assert MotionEncryptedBallot.objects.filter(motion=m).count() == 1


@pytest.mark.django_db
def test_only_present_official_delegates_answer_and_guests_never():
    congress = make_congress(delegates=6, guests=1)
    present = check_in(congress, 3)
    m = electronic(congress)
    absent = congress.delegates.get(number=6)
    alternate = present[1]
    Delegate.objects.filter(pk=alternate.pk).update(standing=Delegate.Standing.ALTERNATE)
    rejected = present[2]
    Delegate.objects.filter(pk=rejected.pk).update(credential=Delegate.Credential.REJECTED)
    # One code for P1 (as when casting a ballot); the message says why.
    cases = [
        (as_delegate(absent), "điểm danh có mặt"),
        (as_delegate(alternate), "dự khuyết chưa thay"),
        (as_delegate(rejected), "Tư cách đại biểu không được công nhận"),
        (Actor(roles=frozenset({Role.SCREEN})), "khách mời"),  # a guest has no delegate card
    ]
    from daihoi.voting.actions import motion_ballots
    from tests.voting.evote_helpers import encrypt_answer

    for i, (actor, why) in enumerate(cases):
        data, credential = encrypt_answer(m, "yes")
        with pytest.raises(ActionError) as e:
            motion_ballots.cast_encrypted(
                m, actor=actor, ballot=data, credential=credential, nonce=f"x{i}-nonce-abcdefghijk"
            )
        assert e.value.code == "may_not_vote" and why in e.value.message
    assert MotionEncryptedBallot.objects.filter(motion=m).count() == 0


@pytest.mark.django_db
def test_no_answer_is_taken_before_opening_or_after_closing():
    congress = make_congress(delegates=4)
    (d,) = check_in(congress, 1)
    run_motion_key(congress)
    draft = mo.create_motion(congress, actor=SYSTEM, title="Nghị quyết", method=Motion.Method.ELECTRONIC)
    with pytest.raises(ActionError) as e:
        vote(draft, d, "yes", nonce="a")
    assert e.value.code == "motion_not_open"
    mo.open_motion(draft, actor=SYSTEM, quorum_override=True)
    counting = mo.close_motion(draft, actor=SYSTEM)
    assert counting.status == Motion.Status.COUNTING
    with pytest.raises(ActionError) as e:
        vote(counting, d, "yes", nonce="b")
    assert e.value.code == "motion_not_open"


@pytest.mark.django_db
def test_show_of_hands_motion_takes_no_answer_from_phones():
    congress = make_congress(delegates=4)
    (d,) = check_in(congress, 1)
    with pytest.raises(ActionError) as e:
        mo.cast_motion_vote(hands(congress), actor=as_delegate(d), choice="yes", nonce="a")
    assert e.value.code == "not_electronic"


@pytest.mark.django_db
def test_named_vote_is_public_and_the_delegate_sees_their_answer():
    congress = make_congress(delegates=4)
    a, b, c = check_in(congress, 3)
    m = electronic(congress, method=Motion.Method.NAMED)
    mo.cast_motion_vote(m, actor=as_delegate(a), choice="yes", nonce="a")
    mo.cast_motion_vote(m, actor=as_delegate(b), choice="no", nonce="b")
    m = mo.close_motion(m, actor=SYSTEM)
    assert (m.yes, m.no, m.abstain, m.is_passed) == (1, 1, 0, False)
    assert dict(NamedVote.objects.values_list("delegate__number", "choice")) == {
        a.number: "yes",
        b.number: "no",
    }
    minutes = mo.motion_minutes(m)
    assert [(r["number"], r["choice"]) for r in minutes["roll"]] == [(a.number, "yes"), (b.number, "no")]
    mine = mo.delegate_motions(congress, a)
    assert mine["history"][0]["is_named"] and mine["history"][0]["choice"] == "Tán thành"
    assert mo.delegate_motions(congress, c)["history"] == []


@pytest.mark.django_db
def test_the_delegate_sees_that_they_voted_on_an_anonymous_motion_but_not_what():
    congress = make_congress(delegates=4)
    (a,) = check_in(congress, 1)
    m = electronic(congress)
    before = mo.delegate_motions(congress, a)
    assert before["open"] == m and before["has_voted_open"] is False
    vote(m, a, "no", nonce="a")
    after = mo.delegate_motions(congress, a)
    assert after["has_voted_open"] is True
    assert after["history"] == [{"motion": m, "choice": None, "is_named": False}]


@pytest.mark.django_db
def test_motion_minutes_carry_every_figure_with_percents_of_N():
    congress = make_congress(delegates=165)
    check_in(congress, 150)
    m = mo.close_motion(hands(congress), actor=SYSTEM, yes=140, no=6, abstain=4)
    minutes = mo.motion_minutes(m)
    f = minutes["figures"]
    assert (f["yes"], f["no"], f["abstain"], f["voted"], f["not_voted"]) == (140, 6, 4, 150, 0)
    assert (f["base"], f["present"], f["absent"]) == (165, 150, 15)
    assert (f["yes_percent"], f["no_percent"], f["abstain_percent"]) == ("84.85", "3.64", "2.42")
    assert f["is_passed"] is True and f["outcome"].startswith("Thông qua")
    assert minutes["motion"]["method"] == "show_of_hands"
    assert minutes["congress"]["ordinal"] == 15


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_counts_once():
    congress = make_congress(delegates=3)
    (d,) = check_in(congress, 1)
    m = electronic(congress)
    results: list[object] = []
    barrier = threading.Barrier(6)

    def submit() -> None:
        try:
            barrier.wait()
            results.append(vote(m, d, "yes", nonce="same"))
        except ActionError as e:
            results.append(e.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["False"] * 5 + ["True"]
    assert MotionEncryptedBallot.objects.filter(motion=m).count() == 1
    assert MotionParticipation.objects.filter(motion=m).count() == 1


@pytest.mark.django_db
def test_outside_the_session_motions_and_elections_refuse_with_the_one_not_in_session_code():
    from daihoi.congress.models import Congress
    from daihoi.voting.actions import elections
    from daihoi.voting.models import Election

    congress = make_congress(delegates=4, state=Congress.State.PREPARATION)
    m = mo.create_motion(congress, actor=SYSTEM, title="Chương trình đại hội", kind=Motion.Kind.AGENDA)
    with pytest.raises(ActionError) as motion_refused:
        mo.open_motion(m, actor=SYSTEM)
    e = Election.objects.create(
        congress=congress, title="Bầu Bí thư", seats=1, status=Election.Status.LIST_APPROVED
    )
    with pytest.raises(ActionError) as election_refused:
        elections.open_election(e, actor=SYSTEM)
    assert motion_refused.value.code == election_refused.value.code == "not_in_session"
