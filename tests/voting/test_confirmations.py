"""Irreversible steps ask for a ticked confirmation box (no JavaScript needed) that says what cannot be
undone; without it the step is refused and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.models import Congress
from daihoi.voting.actions import counting
from daihoi.voting.actions import elections as el
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Election, Motion
from tests.factories import check_in, login_as, make_congress, make_election
from tests.voting.evote_helpers import phone_cast, run_key_ceremony, run_motion_key, vote


@pytest.mark.django_db
def test_opening_the_congress_needs_the_confirmation_box(client):
    congress = make_congress(delegates=6, state=Congress.State.PREPARATION)
    organizer = login_as(client, congress, Role.ORGANIZER)
    url = reverse("setup", args=[congress.slug])
    page = organizer.get(url).content.decode()
    assert 'id="confirm-open"' in page and "Khai mạc không thể hoàn tác" in page
    r = organizer.post(url, {"state": Congress.State.IN_SESSION})
    assert 'data-code="confirmation_required"' in r.content.decode()
    congress.refresh_from_db()
    assert congress.state == Congress.State.PREPARATION
    organizer.post(url, {"state": Congress.State.IN_SESSION, "confirm": "1"})
    congress.refresh_from_db()
    assert congress.state == Congress.State.IN_SESSION


@pytest.mark.django_db
def test_closing_an_electronic_motion_says_how_many_have_not_voted_and_needs_the_box(client):
    congress = make_congress(delegates=30)
    present = check_in(congress)
    motion = mo.create_motion(
        congress, actor=SYSTEM, title="Quy chế làm việc", method=Motion.Method.ELECTRONIC
    )
    run_motion_key(congress)
    mo.open_motion(motion, actor=SYSTEM)
    for i, d in enumerate(present[:6]):
        vote(motion, d, "yes", nonce=f"nonce-{i:02d}-abcdefghij")
    chair = login_as(client, congress, Role.PRESIDIUM)
    page = chair.get(reverse("motion_detail", args=[congress.slug, motion.pk])).content.decode()
    assert "6/30 đã biểu quyết, còn 24 chưa biểu quyết." in page
    assert 'id="confirm-close"' in page and "không thể hoàn tác" in page
    close = reverse("motion_close", args=[congress.slug, motion.pk])
    chair.post(close)
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
    chair.post(close, {"confirm": "1"})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.COUNTING  # anonymous: the key holders decrypt next


@pytest.mark.django_db
def test_closing_an_electronic_ballot_says_how_many_have_not_voted_and_needs_the_box(client):
    congress = make_congress(delegates=30)
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    present = check_in(congress)
    e = make_election(congress, status=Election.Status.LIST_APPROVED, allows_electronic=True)
    run_key_ceremony(e)  # the counting committee's key comes before the ballot opens (issue 10)
    el.open_election(e, actor=SYSTEM)
    codes = [c.code for c in counting.ballot_list(e)]
    for i, d in enumerate(present[:6]):
        phone_cast(e, d, codes[:3], nonce=f"ballot-{i:02d}-abcdefghij")
    chair = login_as(client, congress, Role.PRESIDIUM)
    page = chair.get(reverse("election_detail", args=[congress.slug, e.pk])).content.decode()
    assert "6/30 đã bỏ phiếu điện tử, còn 24 chưa bỏ phiếu điện tử." in page
    close = reverse("election_close", args=[congress.slug, e.pk])
    r = chair.post(close, follow=True)
    assert "Bước này không thể hoàn tác" in r.content.decode()
    e.refresh_from_db()
    assert e.status == Election.Status.OPEN
    chair.post(close, {"confirm": "1"})
    e.refresh_from_db()
    assert e.status == Election.Status.CLOSED


@pytest.mark.django_db
def test_certifying_and_releasing_need_the_box_but_hiding_does_not(client):
    congress = make_congress(delegates=10)
    check_in(congress)
    e = make_election(congress, status=Election.Status.CLOSED)
    clerk = login_as(client, congress, Role.COUNTING)
    certify = reverse("count_certify", args=[congress.slug, e.pk])
    page = clerk.get(reverse("count_page", args=[congress.slug, e.pk])).content.decode()
    assert 'id="confirm-certify"' in page
    clerk.post(certify)
    e.refresh_from_db()
    assert e.status == Election.Status.CLOSED
    clerk.post(certify, {"confirm": "1"})
    e.refresh_from_db()
    assert e.status == Election.Status.CERTIFIED
    release = reverse("count_release", args=[congress.slug, e.pk])
    clerk.post(release)
    e.refresh_from_db()
    assert not e.is_released
    clerk.post(release, {"confirm": "1"})
    e.refresh_from_db()
    assert e.is_released
    clerk.post(release, {"hide": "1"})
    e.refresh_from_db()
    assert not e.is_released


def _delegate(d):
    from daihoi.congress.access import Actor

    return Actor(roles=frozenset({Role.DELEGATE}), delegate=d)
