"""The counting committee's paper entry over HTTP, as clerks of team 1 and team 2 and as outsiders."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.voting.models import PaperBallot, PaperBatch
from tests.factories import delegate_client, login_as, make_congress
from tests.support.counting import make_election

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def election():
    return make_election(make_congress(delegates=12), candidates=7, seats=5)


def url(name: str, election, **extra) -> str:
    return reverse(name, kwargs={"slug": election.congress.slug, "election_id": election.pk, **extra})


def clerk(election, team: int | None = None, batch: PaperBatch | None = None) -> Client:
    c = login_as(Client(), election.congress, Role.COUNTING)
    if team is not None and batch is not None:
        c.post(url("paper_entry", election, batch_id=batch.pk), {"team": team})
    return c


def test_a_clerk_opens_a_batch_and_lands_on_its_entry_page(election):
    c = clerk(election)
    response = c.post(url("paper_batches", election), {"label": "Hòm phiếu 1"})
    batch = PaperBatch.objects.get()
    assert response.status_code == 302 and response.url == url("paper_entry", election, batch_id=batch.pk)
    page = c.get(response.url)
    assert "Chọn tổ nhập của bạn" in page.content.decode()


def test_two_clerks_enter_a_ballot_and_see_the_struck_names(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    one, two = clerk(election, 1, batch), clerk(election, 2, batch)
    page = one.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert 'id="keys"' in page and "Tổ 1 nhập phiếu" in page
    r = one.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "37"}, **FETCH
    )
    body = r.json()
    assert body["saved"]["struck"] == ["3. Lê Hữu Cường", "7. Đặng Ngọc Lan"]
    assert body["next_ballot_number"] == "2"
    assert body["state"]["mismatches"][0]["ballot_number"] == "1"  # team 2 has not entered it yet
    r = two.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "37"}, **FETCH
    )
    assert r.json()["state"]["agree"]


def test_bad_keys_get_a_clear_message_and_save_nothing(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    one = clerk(election, 1, batch)
    r = one.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "9"}, **FETCH
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "keys_out_of_range"
    assert "9" in r.json()["error"]["message"]
    assert not batch.entries.exists()


def test_a_clerk_without_a_team_is_asked_to_pick_one(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    r = clerk(election).post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1"}, **FETCH
    )
    assert r.json()["error"]["code"] == "no_team"


def test_the_head_resolves_a_mismatch_and_finalizes_the_batch(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    one, two = clerk(election, 1, batch), clerk(election, 2, batch)
    one.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "1"}, **FETCH
    )
    two.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "2"}, **FETCH
    )
    page = one.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert "Gạch: 1. Nguyễn Văn An" in page and "Gạch: 2. Trần Thị Bình" in page
    r = one.post(url("paper_finalize", election, batch_id=batch.pk), follow=True)
    assert "chưa khớp" in r.content.decode() and not PaperBallot.objects.exists()
    one.post(url("paper_resolve", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "2"})
    one.post(url("paper_finalize", election, batch_id=batch.pk))
    assert PaperBallot.objects.get().marks["c02"] == 0


def test_undo_over_http_removes_the_last_ballot(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    one = clerk(election, 1, batch)
    one.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "4", "keys": ""}, **FETCH
    )
    r = one.post(url("paper_entry_undo", election, batch_id=batch.pk), **FETCH)
    assert r.json()["undone"] == "4" and r.json()["next_ballot_number"] == "4"
    assert not batch.entries.exists()


@pytest.mark.parametrize("persona", ["delegate", "presidium", "guest"])
def test_people_outside_the_counting_committee_cannot_enter_ballots(election, persona):
    batch = PaperBatch.objects.create(election=election, number=1)
    if persona == "delegate":
        c = delegate_client(Client(), election.congress.delegates.first())
    elif persona == "presidium":
        c = login_as(Client(), election.congress, Role.PRESIDIUM)
    else:
        c = Client()
    r = c.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": ""}, **FETCH
    )
    assert r.status_code in (401, 403)
    assert not batch.entries.exists()


def test_the_printable_ballot_is_a_pdf_for_the_counting_committee(election):
    r = clerk(election).get(url("paper_ballot_pdf", election))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_a_delegate_cannot_download_the_printable_ballot(election):
    c = delegate_client(Client(), election.congress.delegates.first())
    assert c.get(url("paper_ballot_pdf", election)).status_code == 403
