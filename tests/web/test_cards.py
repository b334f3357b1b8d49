"""Printable cards: A6 cards four to an A4 page, fonts embedded, Vietnamese text exact, and a QR code that
decodes to the delegate's sign-in link."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from daihoi.congress.access import Role
from daihoi.congress.cards import group_code, qr_data_uri
from daihoi.congress.models import Congress, Delegate
from daihoi.congress.names import search_key
from tests.factories import login_as, make_congress

pytestmark = pytest.mark.django_db

A4_POINTS = ("595.276", "841.89")
HALL_HOST = "192.168.1.10"  # the organizer's laptop on the hall's own network


@pytest.fixture(autouse=True)
def hall_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HALL_HOST]


def cards(client: Client, congress: Congress, **params) -> bytes:
    response = client.get(reverse("cards_pdf", args=[congress.slug]), params, HTTP_HOST=f"{HALL_HOST}:8000")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def pdf_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "cards.pdf"
    path.write_bytes(data)
    return path


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in run("pdfinfo", path).splitlines())
    )


def rename(delegate: Delegate, name: str) -> None:
    delegate.full_name, delegate.search_name = name, search_key(name)
    delegate.save()


@pytest.mark.parametrize(("delegates", "pages"), [(1, 1), (4, 1), (5, 2), (9, 3)])
def test_four_cards_to_an_a4_page(tmp_path, delegates, pages):
    congress = make_congress(delegates=delegates)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    info = pdfinfo(pdf_file(tmp_path, cards(organizer, congress)))
    assert int(info["Pages"]) == pages
    assert info["Page size"].split()[:3] == [A4_POINTS[0], "x", A4_POINTS[1]]


def test_fonts_are_embedded_and_the_vietnamese_name_reads_back_exactly(tmp_path):
    congress = make_congress(delegates=2)
    rename(congress.delegates.get(number=1), "Nguyễn Thị Ngọc Ánh Đặng")
    path = pdf_file(tmp_path, cards(login_as(Client(), congress, Role.ORGANIZER), congress))
    fonts = run("pdffonts", path).splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    for line in fonts:
        emb = line.split()[-5]  # columns: name type encoding emb sub uni object ID
        assert emb == "yes", line
    text = run("pdftotext", "-layout", path, "-")
    assert "Nguyễn Thị Ngọc Ánh Đặng" in text
    assert congress.name.split(" lần")[0] in text.replace("\n", " ")
    assert "THẺ ĐẠI BIỂU" in text
    delegate = congress.delegates.get(number=1)
    assert group_code(delegate.code) in text
    assert delegate.seat_number in text
    assert delegate.unit.name in text


def test_the_qr_code_on_the_printed_page_decodes_to_the_sign_in_link(tmp_path):
    congress = make_congress(delegates=4)
    path = pdf_file(tmp_path, cards(login_as(Client(), congress, Role.ORGANIZER), congress))
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", path, tmp_path / "page")
    (png,) = tmp_path.glob("page*.png")
    found = {b.text for b in zxingcpp.read_barcodes(Image.open(png))}
    expected = {f"http://{HALL_HOST}:8000/d/{d.code}/" for d in congress.delegates.all()}
    assert found == expected


def test_the_qr_image_itself_decodes_to_the_url():
    url = "https://daihoi.example/d/ABCDEFGHJK/"
    uri = qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml")
    import segno

    png = io.BytesIO()
    segno.make_qr(url, error="m").save(png, kind="png", scale=6)
    assert [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))] == [url]


def test_codes_are_printed_in_groups():
    assert group_code("ABCDEFGHJK") == "ABCDE FGHJK"
    assert group_code("ABCDEFGH") == "ABCD EFGH"


def test_unit_filter_prints_only_that_units_cards(tmp_path):
    congress = make_congress(delegates=9, units=3)
    unit = congress.organization.children.order_by("order").first()
    path = pdf_file(tmp_path, cards(login_as(Client(), congress, Role.ORGANIZER), congress, unit=unit.pk))
    assert int(pdfinfo(path)["Pages"]) == 1
    text = run("pdftotext", path, "-")
    printed = sorted(int(n) for n in re.findall(r"Đại biểu số\s+(\d+)", text))
    assert printed == [1, 4, 7]


def test_an_unknown_unit_or_an_empty_roll_is_refused_with_a_message():
    congress = make_congress(delegates=0)
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    url = reverse("cards_pdf", args=[congress.slug])
    response = organizer.get(url)
    assert response.status_code == 400
    assert "Chưa có đại biểu nào để in thẻ." in response.content.decode()
    other = make_congress(delegates=1)
    response = organizer.get(url, {"unit": other.organization.children.first().pk})
    assert response.status_code == 400
    assert 'data-code="unknown_unit"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRESIDIUM, Role.SECRETARIAT, Role.CREDENTIALS, Role.COUNTING])
def test_only_the_organizer_prints_cards_because_they_hold_the_sign_in_codes(role):
    congress = make_congress(delegates=1)
    assert (
        login_as(Client(), congress, role).get(reverse("cards_pdf", args=[congress.slug])).status_code == 403
    )
