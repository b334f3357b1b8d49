"""The hall's address: a setting with the server's LAN addresses offered, cards refused while it is a
loopback address (saying why, with a link to set it), the cards' QR codes holding it, and the hall sheet."""

from __future__ import annotations

import subprocess

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions.hall_address import normalize_address, set_hall_address
from daihoi.congress.cards import is_loopback, lan_addresses
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from tests.factories import login_as, make_congress

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.168.1.10:8000", "http://192.168.1.10:8000"),
        ("https://192.168.1.10:8000/", "https://192.168.1.10:8000"),
        ("HTTPS://HoiTruong.local", "https://hoitruong.local"),
        ("", ""),
    ],
)
def test_addresses_are_normalised(raw, expected):
    assert normalize_address(raw) == expected


@pytest.mark.parametrize(
    "raw", ["ftp://192.168.1.10", "http://192.168.1.10:8000/c/x", "http://a b", "http://:80"]
)
def test_a_malformed_address_is_refused_with_its_code(raw):
    with pytest.raises(ActionError) as refused:
        normalize_address(raw)
    assert refused.value.code == "bad_hall_address"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("", True),
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("http://192.168.1.10:8000", False),
        ("https://hoitruong.local", False),
    ],
)
def test_loopback_addresses_are_recognised(address, loopback):
    assert is_loopback(address) is loopback


def test_lan_addresses_are_never_loopback():
    for ip in lan_addresses():
        assert not is_loopback(f"http://{ip}")


def test_cards_are_refused_while_the_hall_address_is_loopback_and_the_refusal_links_to_the_setting():
    congress = make_congress(delegates=2)
    Congress.objects.filter(pk=congress.pk).update(hall_address="http://127.0.0.1:8000")
    response = login_as(Client(), congress, Role.ORGANIZER).get(reverse("cards_pdf", args=[congress.slug]))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="hall_address_loopback"' in html
    assert "http://127.0.0.1:8000" in html
    assert f'href="{reverse("hall_address", args=[congress.slug])}"' in html


def test_the_site_wide_address_is_used_when_the_congress_has_none(settings, tmp_path):
    settings.DAIHOI_HALL_ADDRESS = "http://10.0.0.5:8000"
    congress = make_congress(delegates=1)
    Congress.objects.filter(pk=congress.pk).update(hall_address="")
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    pdf = organizer.get(reverse("cards_pdf", args=[congress.slug]))
    assert pdf.status_code == 200
    (tmp_path / "c.pdf").write_bytes(pdf.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", tmp_path / "c.pdf", tmp_path / "p"],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    found = {b.text for b in zxingcpp.read_barcodes(Image.open(png))}
    assert found == {f"http://10.0.0.5:8000/d/{congress.delegates.get().code}/"}


def test_the_organizer_sets_the_address_and_the_cards_qr_codes_use_it_whatever_host_printed_them(tmp_path):
    congress = make_congress(delegates=2)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    page = organizer.get(reverse("hall_address", args=[congress.slug]))
    assert page.status_code == 200
    assert 'list="lan-addresses"' in page.content.decode()
    saved = organizer.post(
        reverse("hall_address", args=[congress.slug]),
        {"hall_address": "https://172.16.0.7:8443/", "wifi_name": "DaiHoi-5G"},
    )
    assert saved.status_code == 302
    congress.refresh_from_db()
    assert (congress.hall_address, congress.wifi_name) == ("https://172.16.0.7:8443", "DaiHoi-5G")
    assert AuditEntry.objects.filter(action="congress.hall_address").count() == 1
    pdf = organizer.get(reverse("cards_pdf", args=[congress.slug]))  # printed from "testserver"
    (tmp_path / "c.pdf").write_bytes(pdf.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", tmp_path / "c.pdf", tmp_path / "p"],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    found = {b.text for b in zxingcpp.read_barcodes(Image.open(png))}
    assert found == {f"https://172.16.0.7:8443/d/{d.code}/" for d in congress.delegates.all()}


def test_a_bad_address_is_refused_on_the_page_and_nothing_is_saved():
    congress = make_congress(delegates=1)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = organizer.post(
        reverse("hall_address", args=[congress.slug]), {"hall_address": "ftp://x", "wifi_name": ""}
    )
    assert response.status_code == 400
    assert 'data-code="bad_hall_address"' in response.content.decode()
    congress.refresh_from_db()
    assert congress.hall_address == "http://192.168.1.10:8000"


def test_the_hall_sheet_shows_the_wifi_name_and_the_address_with_its_qr_code():
    congress = make_congress(delegates=1)
    set_hall_address(congress, address="192.168.1.20:8000", wifi_name="HoiTruong-Wifi", actor=SYSTEM)
    html = (
        login_as(Client(), congress, Role.SECRETARIAT)
        .get(reverse("hall_sheet", args=[congress.slug]))
        .content.decode()
    )
    assert "HoiTruong-Wifi" in html
    assert ">http://192.168.1.20:8000/d/<" in html
    assert 'src="data:image/svg+xml' in html


def test_only_the_organizer_sets_the_address():
    congress = make_congress(delegates=1)
    for role in (Role.PRESIDIUM, Role.SECRETARIAT, Role.CREDENTIALS):
        assert (
            login_as(Client(), congress, role).get(reverse("hall_address", args=[congress.slug])).status_code
            == 403
        )
