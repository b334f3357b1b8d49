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
    # P18: team 1 sees only its own entries until both teams have finished the batch.
    assert body["state"]["entered"] == {"1": 1} and body["state"]["mismatches"] == []
    assert body["state"]["compared"] is False
    r = two.post(
        url("paper_entry_save", election, batch_id=batch.pk), {"ballot_number": "1", "keys": "37"}, **FETCH
    )
    assert r.json()["state"]["entered"] == {"2": 1} and not r.json()["state"]["agree"]
    for c in (one, two):
        c.post(url("paper_entry", election, batch_id=batch.pk), {"finish": "1"})
    state = one.get(url("paper_batch_state", election, batch_id=batch.pk)).json()
    assert state["compared"] and state["agree"] and state["entered"] == {"1": 1, "2": 1}


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
    # Before both have finished, neither team sees the other's reading, and nothing is compared.
    page = one.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert "Trần Thị Bình" not in page.split('id="mismatches"')[1] and 'id="not-compared"' in page
    assert 'id="finalize"' not in page
    r = one.post(url("paper_finalize", election, batch_id=batch.pk), follow=True)
    assert (
        'data-code="teams_not_finished"' in r.content.decode()
        or "cả hai tổ phải nhập xong" in r.content.decode()
    )
    one.post(url("paper_entry", election, batch_id=batch.pk), {"finish": "1"})
    page = two.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert 'id="not-compared"' in page  # team 1 finished, team 2 not yet
    two.post(url("paper_entry", election, batch_id=batch.pk), {"finish": "1"})
    # Then the mismatches side by side, ballot by ballot.
    page = one.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    row = page.split('data-ballot="1"')[1].split("</tr>")[0]
    assert row.index("Gạch: 1. Nguyễn Văn An") < row.index("Gạch: 2. Trần Thị Bình")
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


def test_the_help_example_names_only_what_it_strikes(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    page = clerk(election, 1, batch).get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert "Ví dụ “37” + Enter: gạch tên số 3 và 7." in page
    short = make_election(make_congress(delegates=12), candidates=6, seats=5)
    b = PaperBatch.objects.create(election=short, number=1)
    page = clerk(short, 1, b).get(url("paper_entry", short, batch_id=b.pk)).content.decode()
    assert "Ví dụ “3” + Enter: gạch tên số 3." in page and "3 và 7" not in page


def test_a_locked_batch_offers_only_viewing(election):
    batch = PaperBatch.objects.create(election=election, number=1, is_reconciled=True)
    c = clerk(election)
    page = c.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert 'id="view-only"' in page
    for absent in ('name="team"', 'id="keys"', 'id="finish"', 'id="finalize"', "Tổ 3"):
        assert absent not in page, absent
    c.post(url("paper_entry", election, batch_id=batch.pk), {"team": "1"})
    assert 'id="keys"' not in c.get(url("paper_entry", election, batch_id=batch.pk)).content.decode()


def test_only_two_teams_are_offered(election):
    batch = PaperBatch.objects.create(election=election, number=1)
    page = clerk(election).get(url("paper_entry", election, batch_id=batch.pk)).content.decode()
    assert 'name="team" value="1"' in page and 'name="team" value="2"' in page
    assert 'name="team" value="3"' not in page
