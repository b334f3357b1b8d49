"""The delegate's phone home (`/me/`): what is open for them now, "recorded" after a vote, the documents,
a sign-out, and the `open` live section that tells phones to refetch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from daihoi.congress import live
from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Election, Motion
from tests.factories import delegate_client, make_congress, make_election
from tests.voting.evote_helpers import phone_cast, run_key_ceremony, run_motion_key, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=6)
    Congress.objects.filter(pk=c.pk).update(is_electronic_voting_enabled=True)
    c.refresh_from_db()
    Delegate.objects.filter(congress=c, number__lte=5).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    return c


def home(congress: Congress) -> str:
    return reverse("delegate_home", args=[congress.slug])


def phone(congress: Congress, number: int) -> Client:
    return delegate_client(Client(), congress.delegates.get(number=number))


def test_with_nothing_open_the_home_says_so_and_links_the_documents_and_a_sign_out(congress):
    html = phone(congress, 1).get(home(congress)).content.decode()
    assert 'data-field="nothing-open"' in html
    assert 'data-open="' not in html
    assert f'href="{reverse("my_drafts", args=[congress.slug])}"' in html
    assert f'action="{reverse("delegate_sign_out", args=[congress.slug])}"' in html


def test_an_open_electronic_election_shows_a_link_to_its_ballot_then_recorded_after_the_vote(congress):
    election = make_election(congress, status=Election.Status.OPEN, allows_electronic=True)
    client = phone(congress, 1)
    ballot_url = reverse("delegate_ballot", args=[congress.slug, election.pk])
    html = client.get(home(congress)).content.decode()
    assert f'data-open="election-{election.pk}" data-state="to-vote"' in html
    assert f'href="{ballot_url}"' in html
    run_key_ceremony(election)
    phone_cast(election, congress.delegates.get(number=1), ["c01"], nonce="n" * 24)
    html = client.get(home(congress)).content.decode()
    assert f'data-open="election-{election.pk}" data-state="recorded"' in html
    assert f'href="{ballot_url}"' not in html
    assert "Phiếu bầu của đồng chí đã được ghi nhận." in html
    # Another delegate has not voted yet: still the link.
    assert f'href="{ballot_url}"' in phone(congress, 2).get(home(congress)).content.decode()


def test_a_paper_only_election_says_where_to_vote_instead_of_a_link(congress):
    election = make_election(congress, status=Election.Status.OPEN, allows_electronic=False)
    html = phone(congress, 1).get(home(congress)).content.decode()
    assert f'data-open="election-{election.pk}" data-state="elsewhere"' in html
    assert "xin bỏ phiếu giấy tại hội trường" in html
    assert reverse("delegate_ballot", args=[congress.slug, election.pk]) not in html


def test_a_delegate_not_checked_in_gets_no_ballot_link_but_the_reason(congress):
    election = make_election(congress, status=Election.Status.OPEN, allows_electronic=True)
    html = phone(congress, 6).get(home(congress)).content.decode()
    assert f'data-open="election-{election.pk}" data-state="elsewhere"' in html
    assert reverse("delegate_ballot", args=[congress.slug, election.pk]) not in html


def test_an_open_electronic_motion_links_to_the_vote_then_shows_recorded(congress):
    run_motion_key(congress)
    m = mo.open_motion(
        mo.create_motion(congress, actor=SYSTEM, title="Quy chế làm việc", method=Motion.Method.ELECTRONIC),
        actor=SYSTEM,
    )
    client = phone(congress, 2)
    html = client.get(home(congress)).content.decode()
    assert f'data-open="motion-{m.pk}" data-state="to-vote"' in html
    assert f'href="{reverse("delegate_motions", args=[congress.slug])}"' in html
    d = congress.delegates.get(number=2)
    vote(m, d, "yes", nonce="m" * 24)
    html = client.get(home(congress)).content.decode()
    assert f'data-open="motion-{m.pk}" data-state="recorded"' in html
    assert "Đã ghi nhận biểu quyết của đồng chí." in html


def test_a_show_of_hands_motion_is_shown_without_a_button(congress):
    m = mo.open_motion(
        mo.create_motion(congress, actor=SYSTEM, title="Chương trình đại hội", kind=Motion.Kind.AGENDA),
        actor=SYSTEM,
    )
    html = phone(congress, 1).get(home(congress)).content.decode()
    assert f'data-open="motion-{m.pk}" data-state="elsewhere"' in html
    assert "Biểu quyết bằng giơ thẻ tại hội trường." in html


def test_the_open_section_changes_when_a_vote_opens_or_closes_but_not_when_someone_votes(congress):
    assert live.congress_state(congress)["open"] == {"elections": [], "motions": []}
    election = make_election(congress, status=Election.Status.OPEN, allows_electronic=True)
    before = live.congress_state(congress)["open"]
    assert before == {"elections": [election.pk], "motions": []}
    run_key_ceremony(election)
    phone_cast(election, congress.delegates.get(number=1), ["c01"], nonce="x" * 24)
    assert live.congress_state(congress)["open"] == before
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    assert live.congress_state(congress)["open"] == {"elections": [], "motions": []}


def test_sign_out_forgets_the_card_on_this_phone(congress):
    client = phone(congress, 1)
    response = client.post(reverse("delegate_sign_out", args=[congress.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("delegate_login") + "?signed_out=1"
    again = client.get(home(congress))
    assert again.status_code != 200


def test_the_ballot_acknowledgement_links_back_to_the_home(congress):
    election = make_election(congress, status=Election.Status.OPEN, allows_electronic=True)
    run_key_ceremony(election)
    # The phone encrypts and casts from the ballot page itself (issue 10), whose acknowledgement links home.
    page = phone(congress, 1).get(reverse("delegate_ballot", args=[congress.slug, election.pk]))
    assert page.status_code == 200
    assert f'href="{home(congress)}" data-action="home"' in page.content.decode()
