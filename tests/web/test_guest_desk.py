"""Guests at the desk: found by name without diacritics, checked in by name or by their card's code,
printed on cards; a guest never votes and never counts toward quorum or N."""

from __future__ import annotations

import json
import subprocess

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import Role
from daihoi.congress.attendance import attendance
from daihoi.congress.models import Congress, Guest
from daihoi.voting.actions.vote_quorum import congress_base, present_voters
from tests.factories import login_as, make_congress

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress() -> Congress:
    c = make_congress(delegates=6, guests=0)
    Guest.objects.create(congress=c, full_name="Trần Thị Hằng", title="Phó Bí thư Quận ủy")
    Guest.objects.create(congress=c, full_name="Lê Văn Đức", organization_name="Hội Cựu chiến binh")
    return c


def clerk(congress: Congress) -> Client:
    return login_as(Client(), congress, Role.CREDENTIALS)


def post(client: Client, congress: Congress, body: dict) -> object:
    return client.post(
        reverse("desk_scan", args=[congress.slug]), data=json.dumps(body), content_type="application/json"
    )


def counted(congress: Congress) -> dict:
    """Every figure that a guest must never move."""
    figures = attendance(congress).as_dict()
    figures.pop("guests")
    return {**figures, "N": congress_base(congress).value, "voters": present_voters(congress)}


def test_the_desk_finds_a_guest_by_name_without_diacritics(congress):
    found = clerk(congress).get(reverse("desk_search", args=[congress.slug]), {"q": "tran thi hang"}).json()
    assert [g["full_name"] for g in found["guests"]] == ["Trần Thị Hằng"]
    assert found["guests"][0]["arrived"] is False and found["guests"][0]["title"] == "Phó Bí thư Quận ủy"
    assert found["results"] == []
    none = clerk(congress).get(reverse("desk_search", args=[congress.slug]), {"q": "khong co ai"}).json()
    assert none["guests"] == []


def test_a_guest_found_by_name_is_checked_in_and_no_count_moves(congress):
    before = counted(congress)
    guest = Guest.objects.get(full_name="Lê Văn Đức")
    answer = post(clerk(congress), congress, {"guest": guest.pk, "nonce": "guest-nonce-0001"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] and body["guest"]["arrived"] and body["guest"]["time"]
    assert body["attendance"]["guests"]["present"] == 1
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert counted(congress) == before
    assert AuditEntry.objects.filter(action="guest.arrive").count() == 1
    # A second click keeps the first arrival.
    first = guest.checked_in_at
    post(clerk(congress), congress, {"guest": guest.pk, "nonce": "guest-nonce-0002"})
    guest.refresh_from_db()
    assert guest.checked_in_at == first and AuditEntry.objects.filter(action="guest.arrive").count() == 1


def test_a_scanned_guest_card_records_the_arrival_but_says_a_guest_is_not_counted(congress):
    before = counted(congress)
    guest = Guest.objects.get(full_name="Trần Thị Hằng")
    answer = post(clerk(congress), congress, {"code": guest.code.lower(), "nonce": "guest-nonce-0003"})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_a_delegate"
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert counted(congress) == before


def test_an_unknown_guest_is_refused_with_its_code(congress):
    answer = post(clerk(congress), congress, {"guest": "999999", "nonce": "guest-nonce-0004"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_guest"


def test_a_guest_card_code_never_signs_in_to_vote(congress):
    guest = Guest.objects.get(full_name="Trần Thị Hằng")
    phone = Client()
    phone.post(reverse("delegate_login"), {"code": guest.code})
    assert phone.get(reverse("delegate_home", args=[congress.slug])).status_code != 200


def test_guests_get_cards_whose_qr_code_is_their_code(congress, tmp_path):
    pdf = login_as(Client(), congress, Role.ORGANIZER).get(
        reverse("cards_pdf", args=[congress.slug]), {"guests": 1}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    (tmp_path / "g.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", tmp_path / "g.pdf", "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "KHÁCH MỜI" in text and "Trần Thị Hằng" in text and "Đại biểu số" not in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", tmp_path / "g.pdf", tmp_path / "p"], check=True)
    (png,) = tmp_path.glob("p*.png")
    found = {b.text for b in zxingcpp.read_barcodes(Image.open(png))}
    assert found == set(congress.guests.values_list("code", flat=True))


def test_no_guests_no_guest_cards():
    congress = make_congress(delegates=1)
    response = login_as(Client(), congress, Role.ORGANIZER).get(
        reverse("cards_pdf", args=[congress.slug]), {"guests": 1}
    )
    assert response.status_code == 400 and 'data-code="no_guests"' in response.content.decode()
