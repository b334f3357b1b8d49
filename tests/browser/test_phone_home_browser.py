"""The delegate's phone home in a phone viewport: signed in by the card's link, the delegate waits on
`/me/`; the chair opens the election and the ballot's button appears there live; the delegate reaches the
ballot from it (never typing an address), casts, comes back and sees "recorded". Keyboard usable."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import Role
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.voting.models import Election, ElectionParticipation
from tests.factories import PASSWORD, make_congress, make_election, make_staff
from tests.voting.evote_helpers import run_key_ceremony

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def sign_in(page: Page, server_url: str, username: str) -> None:
    page.goto(server_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".topbar")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_delegate_reaches_the_ballot_from_the_phone_home_and_sees_it_recorded(
    server_url: str, browser: Browser
):
    congress = make_congress(delegates=6)
    Congress.objects.filter(pk=congress.pk).update(is_electronic_voting_enabled=True)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    election = make_election(congress, status=Election.Status.LIST_APPROVED, allows_electronic=True)
    run_key_ceremony(election)  # the counting committee's key, before the ballot can open (issue 10)
    chair_user = make_staff(congress, Role.PRESIDIUM)
    delegate = congress.delegates.get(number=2)
    slug = congress.slug

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(server_url + reverse("delegate_card", args=[delegate.code]))  # what the card's QR opens
    phone.goto(server_url + reverse("delegate_home", args=[slug]))
    expect(phone.locator("[data-field=nothing-open]")).to_be_visible()
    expect(phone.locator("#live-mode")).to_have_attribute("data-mode", "socket")

    chair = browser.new_context().new_page()
    sign_in(chair, server_url, chair_user.username)
    chair.goto(server_url + reverse("election_detail", args=[slug, election.pk]))
    chair.click("text=Bắt đầu bỏ phiếu")
    expect(chair.locator(".messages")).to_contain_text("Đã bắt đầu bỏ phiếu.")

    # The phone, untouched, shows the ballot's button (the live `open` section changed).
    tile = phone.locator(f'[data-open="election-{election.pk}"]')
    expect(tile).to_have_attribute("data-state", "to-vote", timeout=10_000)
    go = tile.locator("[data-action=open-election]")
    box = go.bounding_box()
    assert (
        box is not None and box["height"] >= 48 and box["width"] >= 280
    )  # a big target: most of a 360 px phone
    if os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "phone-home.png"), full_page=True)

    # Keyboard: Tab to the button, Enter opens the ballot.
    for _ in range(40):
        if (
            phone.evaluate("() => document.activeElement && document.activeElement.dataset.action")
            == "open-election"
        ):
            break
        phone.keyboard.press("Tab")
    else:
        raise AssertionError("the ballot's button never got the focus with Tab")
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(server_url + reverse("delegate_ballot", args=[slug, election.pk]))

    phone.click("label[for=keep-c01]")  # 7 names for 5 seats: strike two
    phone.click("label[for=keep-c02]")
    phone.click("#ballot-review")
    phone.click("#ballot-cast")
    expect(phone.locator("#ballot-ack")).to_be_visible()
    assert ElectionParticipation.objects.filter(election=election, delegate=delegate).exists()
    home = phone.locator("#ballot-ack [data-action=home]")
    assert home.get_attribute("href") == reverse("delegate_home", args=[slug])
    phone.goto(server_url + reverse("delegate_home", args=[slug]))
    expect(tile).to_have_attribute("data-state", "recorded")
    expect(tile).to_contain_text("Phiếu bầu của đồng chí đã được ghi nhận.")
    expect(tile.locator("[data-action=open-election]")).to_have_count(0)

    # Sign-out: the phone forgets the card.
    phone.click("[data-action=sign-out]")
    expect(phone).to_have_url(server_url + reverse("delegate_login") + "?signed_out=1")


@pytest.mark.django_db(transaction=True)
def test_the_organizer_sets_the_hall_address_and_prints_the_hall_sheet(server_url: str, browser: Browser):
    congress = make_congress(delegates=2)
    Congress.objects.filter(pk=congress.pk).update(hall_address="http://127.0.0.1:8000")
    organizer = make_staff(congress, Role.ORGANIZER)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, server_url, organizer.username)
    # Cards are refused while the address is loopback; the refusal links to the setting.
    page.goto(server_url + reverse("cards_pdf", args=[congress.slug]))
    expect(page.locator('[data-code="hall_address_loopback"]')).to_be_visible()
    page.click("[data-action=set-hall-address]")
    expect(page.locator("[data-field=loopback]")).to_be_visible()
    page.fill("#id_hall_address", "192.168.1.10:8000")
    page.fill("#id_wifi_name", "DaiHoi-HoiTruong")
    page.click("form.card button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã lưu địa chỉ hội trường.")
    expect(page.locator("#id_hall_address")).to_have_value("http://192.168.1.10:8000")
    page.goto(server_url + reverse("hall_sheet", args=[congress.slug]))
    expect(page.locator("[data-field=wifi]")).to_have_text("DaiHoi-HoiTruong")
    expect(page.locator("[data-field=address]")).to_have_text("http://192.168.1.10:8000/d/")
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    assert [b.text for b in zxingcpp.read_barcodes(shot)] == ["http://192.168.1.10:8000/d/"]
    if os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(SCREENSHOTS / "hall-sheet.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_desk_finds_a_guest_by_name_without_diacritics_and_welcomes_them(
    server_url: str, browser: Browser
):
    congress = make_congress(delegates=3)
    guest = Guest.objects.create(congress=congress, full_name="Trần Thị Hằng", title="Phó Bí thư Quận ủy")
    clerk = make_staff(congress, Role.CREDENTIALS)
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page, server_url, clerk.username)
    page.goto(server_url + reverse("desk", args=[congress.slug]))
    page.fill("#search", "tran thi hang")
    row = page.locator(f'tr[data-guest="{guest.pk}"]')
    expect(row).to_contain_text("Trần Thị Hằng")
    present_before = page.locator("[data-stat=present]").first.inner_text()
    row.locator("[data-action=welcome_guest]").click()
    expect(page.locator("#scan-result")).to_contain_text("Khách mời – không tính vào số lượng")
    expect(page.locator("[data-stat=guests_present]").first).to_have_text("1")
    expect(row.locator("[data-arrived]")).to_have_attribute("data-arrived", "1")
    assert page.locator("[data-stat=present]").first.inner_text() == present_before
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
