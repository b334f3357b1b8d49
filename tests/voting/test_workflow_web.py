"""Motions and the election workflow through the web, as named people: the chair (presidium), the
organizer, a clerk (secretariat), delegates on their phones, a guest, a screen and an outsider."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.congress.live import congress_state
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.models import Candidate, CountingMember, Election, Motion, MotionEncryptedBallot
from tests.factories import delegate_client, login_as, make_congress
from tests.voting.evote_helpers import decrypt_motion, encrypt_answer, run_motion_key


@pytest.fixture
def congress(db) -> Congress:
    c = make_congress(delegates=30, guests=1)
    c.delegates.update(attendance=Delegate.Attendance.PRESENT)
    return c


@pytest.fixture
def chair(congress) -> Client:
    return login_as(Client(), congress, Role.PRESIDIUM)


def url(name: str, congress: Congress, *args: object) -> str:
    return reverse(name, args=[congress.slug, *args])


def errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if "error" in m.tags] if response.context else []


def answer(phone: Client, congress: Congress, motion: Motion, choice: str, nonce: str, sealed=None):
    """What motion_vote.js posts: the answer encrypted on the phone, with its nonce (resent as it is)."""
    data, credential = sealed or encrypt_answer(motion, choice)
    body = {"ballot": data, "credential": credential, "nonce": nonce}
    return phone.post(
        url("motion_vote", congress, motion.pk), json.dumps(body), content_type="application/json"
    )


def put_to_vote(
    client: Client, congress: Congress, motion: Motion, *, yes: int, no: int = 0, abstain: int = 0
):
    client.post(url("motion_open", congress, motion.pk))
    return client.post(
        url("motion_close", congress, motion.pk),
        {"yes": yes, "no": no, "abstain": abstain, "confirm": "1"},
        follow=True,
    )


def test_chair_creates_opens_and_closes_a_show_of_hands_motion_against_N(congress, chair):
    Delegate.objects.filter(congress=congress, number__gt=20).update(
        attendance=Delegate.Attendance.NOT_ARRIVED
    )
    r = chair.post(url("motion_create", congress), {"title": "Thông qua chương trình", "kind": "agenda"})
    motion = Motion.objects.get(congress=congress)
    assert r.status_code == 302 and r["Location"] == url("motion_detail", congress, motion.pk)
    r = put_to_vote(chair, congress, motion, yes=15, no=5)
    motion.refresh_from_db()
    # 20 present but N = 30: 15 yes is not more than half of N.
    assert (motion.base, motion.present, motion.is_passed) == (30, 20, False)
    assert "Không thông qua" in r.content.decode()


def test_show_of_hands_counts_above_those_present_are_refused_with_the_numbers(congress, chair):
    chair.post(url("motion_create", congress), {"title": "Quy chế làm việc"})
    motion = Motion.objects.get(congress=congress)
    r = put_to_vote(chair, congress, motion, yes=25, no=10)
    assert errors(r) == ["Tổng số biểu quyết (35) lớn hơn số đại biểu có mặt (30)."]
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN


def test_a_delegate_answers_on_the_phone_and_a_retry_counts_once(congress, chair):
    run_motion_key(congress)
    chair.post(url("motion_create", congress), {"title": "Nghị quyết đại hội", "method": "electronic"})
    motion = Motion.objects.get(congress=congress)
    chair.post(url("motion_open", congress, motion.pk))
    phone = delegate_client(Client(), congress.delegates.get(number=1))
    page = phone.get(url("delegate_motions", congress))
    assert page.status_code == 200 and "Nghị quyết đại hội" in page.content.decode()
    # A plain answer is refused: an anonymous motion takes only an answer encrypted on the phone.
    plain = phone.post(
        url("motion_vote", congress, motion.pk), {"choice": "yes", "nonce": page.context["nonce"]}
    )
    assert plain.status_code == 409 and plain.context["error"].code == "encrypted_answer_required"
    sealed = encrypt_answer(motion, "yes")
    trackers = set()
    for _ in range(2):
        r = answer(phone, congress, motion, "yes", "phone-nonce-0001-abcdefgh", sealed)
        assert r.status_code == 200
        trackers.add(r.json()["tracker"])
    assert len(trackers) == 1 and MotionEncryptedBallot.objects.filter(motion=motion).count() == 1
    again = answer(phone, congress, motion, "no", "phone-nonce-0002-abcdefgh")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_voted"
    page = phone.get(url("delegate_motions", congress))
    assert "Đồng chí đã biểu quyết nội dung này." in page.content.decode()


def test_the_screen_shows_how_many_have_voted_never_what(congress, chair):
    run_motion_key(congress)
    chair.post(url("motion_create", congress), {"title": "Quy chế", "method": "electronic"})
    motion = Motion.objects.get(congress=congress)
    chair.post(url("motion_open", congress, motion.pk))
    for n, choice in ((1, "yes"), (2, "no")):
        phone = delegate_client(Client(), congress.delegates.get(number=n))
        assert answer(phone, congress, motion, choice, f"phone-nonce-{n:04d}-abcdefgh").status_code == 200
    state = congress_state(congress)
    assert state["motion"]["voted"] == 2 and state["motion"]["eligible"] == 30
    assert not {"yes", "no", "abstain", "outcome"} & set(state["motion"])
    chair.post(url("motion_close", congress, motion.pk), {"confirm": "1"})
    state = congress_state(congress)["motion"]
    assert state["status"] == "counting" and not {"yes", "no", "abstain", "outcome"} & set(state)
    decrypt_motion(motion)
    state = congress_state(congress)["motion"]
    assert (state["yes"], state["no"], state["is_passed"], state["yes_percent"]) == (1, 1, False, "3.33")


def test_guests_absent_delegates_and_outsiders_cannot_answer(congress, chair):
    run_motion_key(congress)
    chair.post(url("motion_create", congress), {"title": "Quy chế", "method": "electronic"})
    motion = Motion.objects.get(congress=congress)
    chair.post(url("motion_open", congress, motion.pk))
    guest = Client()
    assert guest.post(reverse("delegate_login"), {"code": congress.guests.get().code}).status_code == 400
    r = guest.post(url("motion_vote", congress, motion.pk), {"choice": "yes", "nonce": "g"})
    assert r.status_code == 302 and r["Location"] == reverse("delegate_login")
    absent = congress.delegates.get(number=30)
    Delegate.objects.filter(pk=absent.pk).update(attendance=Delegate.Attendance.NOT_ARRIVED)
    r = answer(delegate_client(Client(), absent), congress, motion, "yes", "absent-nonce-0001-abcdef")
    assert r.status_code == 409 and r.json()["error"]["code"] == "may_not_vote"
    outsider = make_congress(delegates=1)
    r = delegate_client(Client(), outsider.delegates.get()).post(
        url("motion_vote", congress, motion.pk), {"choice": "yes", "nonce": "o"}
    )
    assert r.status_code == 302  # not a delegate of this congress: sent to sign in
    assert MotionEncryptedBallot.objects.filter(motion=motion).count() == 0


@pytest.mark.parametrize("persona", ["delegate", "screen", "secretariat", "counting"])
def test_only_the_presidium_and_organizer_run_motions_and_elections(congress, persona):
    motion = Motion.objects.create(congress=congress, title="Quy chế")
    client = Client()
    screen = ""
    if persona == "delegate":
        delegate_client(client, congress.delegates.get(number=1))
    elif persona == "screen":
        screen = f"?screen={congress.screen_token}"
    else:
        login_as(client, congress, persona)
    for target in (
        url("motion_create", congress),
        url("motion_open", congress, motion.pk),
        url("motion_close", congress, motion.pk),
        url("election_create", congress),
        url("electronic_voting", congress),
    ):
        r = client.post(target + screen, {"title": "x", "seats": 5, "enabled": "1"})
        assert r.status_code == 403, target
    motion.refresh_from_db()
    congress.refresh_from_db()
    assert motion.status == Motion.Status.DRAFT and not congress.is_electronic_voting_enabled
    assert not Election.objects.exists()


def test_only_the_organizer_turns_electronic_voting_on_and_the_page_states_P20(congress, chair):
    assert chair.post(url("electronic_voting", congress), {"enabled": "1"}).status_code == 403
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    page = organizer.get(url("electronic_voting", congress)).content.decode()
    # P20 stated in words (the rule's number is not shown to people: issue 9).
    assert "không quy định việc bỏ phiếu kín bằng điện tử" in page and "biên bản kiểm phiếu" in page
    assert "P20" not in page
    organizer.post(url("electronic_voting", congress), {"enabled": "1"})
    congress.refresh_from_db()
    assert congress.is_electronic_voting_enabled


def _motion(election: Election, kind: str) -> Motion:
    return election.motions.filter(kind=kind).order_by("-pk").first()


def test_the_chair_walks_an_election_through_P6_on_its_page(congress, chair):
    r = chair.post(
        url("election_create", congress), {"title": "Bầu BCH khóa XVI", "seats": 5, "allows_paper": "1"}
    )
    e = Election.objects.get(congress=congress)
    detail = url("election_detail", congress, e.pk)
    assert r["Location"] == detail
    put_to_vote(chair, congress, _motion(e, "seats"), yes=30)
    e.refresh_from_db()
    assert e.seats == 5
    for n in range(1, 7):
        chair.post(url("election_add_candidate", congress, e.pk), {"source": "committee", "delegate": n})
    # P7 through the web: a floor nominee, nominated by delegate 12, admitted by 10 of 30.
    chair.post(
        url("election_add_candidate", congress, e.pk), {"source": "floor", "delegate": 11, "nominator": 12}
    )
    put_to_vote(chair, congress, _motion(e, "floor_nominee"), yes=10, no=20)
    assert e.candidates.get(delegate__number=11).status == Candidate.Status.ON_LIST
    # P8 through the web: 7 for 5 seats is a surplus of 2, over 30% of 5 (small body: at most 1).
    page = chair.get(detail)
    assert page.context["surplus_error"].code == "small_body_surplus"
    r = chair.post(url("election_propose_list", congress, e.pk), follow=True)
    assert errors(r) and "5 chỗ" in errors(r)[0]
    # A withdrawal decided by motion brings the list back to 6.
    withdrawing = e.candidates.get(delegate__number=2)
    chair.post(url("candidate_withdraw", congress, e.pk, withdrawing.pk), {"reason": "sức khỏe"})
    put_to_vote(chair, congress, _motion(e, "withdrawal"), yes=28)
    withdrawing.refresh_from_db()
    assert withdrawing.status == Candidate.Status.WITHDRAWN
    # P9 through the web: a candidate is refused on the counting committee.
    r = chair.post(
        url("election_counting_committee", congress, e.pk), {"members": "1, 20", "head": "20"}, follow=True
    )
    assert errors(r) and "Ban Kiểm phiếu" in errors(r)[0]
    chair.post(url("election_counting_committee", congress, e.pk), {"members": "20, 21 22", "head": "20"})
    put_to_vote(chair, congress, _motion(e, "counting_committee"), yes=30)
    assert CountingMember.objects.filter(election=e, is_head=True).get().delegate.number == 20
    chair.post(url("election_propose_list", congress, e.pk))
    put_to_vote(chair, congress, _motion(e, "candidate_list"), yes=30)
    e.refresh_from_db()
    assert e.status == Election.Status.LIST_APPROVED
    assert list(
        e.candidates.filter(status="on_list").order_by("ballot_position").values_list("code", flat=True)
    ) == [f"c{i:02d}" for i in range(1, 7)]
    chair.post(url("election_open", congress, e.pk))
    e.refresh_from_db()
    assert (e.status, e.base, e.present_at_vote) == (Election.Status.OPEN, 30, 30)
    state = congress_state(congress)["election"]
    assert state["id"] == e.pk and state["status"] == "open"
    chair.post(url("election_close", congress, e.pk), {"confirm": "1"})
    e.refresh_from_db()
    assert e.status == Election.Status.CLOSED
    page = chair.get(detail).content.decode()
    assert page.count('data-done="1"') == 7  # every step but the count (vote_and_count)
    json.dumps(congress_state(congress))  # the whole state stays JSON


def test_the_watchers_see_the_election_page_but_not_its_controls(congress, chair):
    chair.post(url("election_create", congress), {"title": "Bầu BCH", "seats": 5, "allows_paper": "1"})
    e = Election.objects.get(congress=congress)
    clerk = login_as(Client(), congress, Role.SECRETARIAT)
    page = clerk.get(url("election_detail", congress, e.pk))
    assert page.status_code == 200 and page.context["may_manage"] is False
    assert url("election_open", congress, e.pk) not in page.content.decode()


def test_P3_the_chair_is_warned_before_a_vote_no_motion_can_pass(congress, chair):
    Delegate.objects.filter(congress=congress, number__gt=15).update(
        attendance=Delegate.Attendance.NOT_ARRIVED
    )
    chair.post(url("motion_create", congress), {"title": "Quy chế"})
    motion = Motion.objects.get(congress=congress)
    page = chair.get(url("motion_detail", congress, motion.pk)).content.decode()
    assert 'data-code="majority_impossible"' in page and "(15)" in page and "(30)" in page
