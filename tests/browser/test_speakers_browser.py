"""Asking for the floor, end to end: a delegate on a phone asks, the chair sees it appear, approves and
starts it, and the projector shows the speaker with a running timer, all without reloading a page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions import agenda
from daihoi.congress.models import AgendaItem, Delegate, SpeakerRequest
from tests.factories import PASSWORD, make_congress, make_staff
from tests.support.browser import box_of

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "locale": "vi-VN"}


def serious_axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def screenshot(page: Page, name: str) -> None:
    if os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name))


def has_no_scrollbars(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollHeight <= window.innerHeight"
        " && document.documentElement.scrollWidth <= window.innerWidth"
    )


@pytest.mark.django_db(transaction=True)
def test_delegate_asks_on_the_phone_chair_approves_and_starts_the_screen_runs_the_timer(
    server_url: str, browser: Browser
):
    congress = make_congress(delegates=6)
    for title, presenter in [
        ("Khai mạc Đại hội", "Đoàn Chủ tịch"),
        ("Thảo luận dự thảo Báo cáo chính trị", "Đồng chí Bí thư Đảng ủy"),
        ("Bầu Ban Chấp hành khóa mới", ""),
    ]:
        agenda.add_item(congress, SYSTEM, title=title, presenter=presenter)
    agenda.set_current_item(congress, AgendaItem.objects.get(congress=congress, order=2), SYSTEM)
    Delegate.objects.filter(congress=congress, number__lte=5).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    me = congress.delegates.get(number=1)
    chair_user = make_staff(congress, Role.PRESIDIUM)
    slug = congress.slug

    # The chair's speaker list, open before anyone asks.
    chair = browser.new_context(locale="vi-VN").new_page()
    chair.goto(server_url + reverse("speakers_manage", args=[slug]))  # the gate sends the chair to sign in
    chair.fill("#id_username", chair_user.username)
    chair.fill("#id_password", PASSWORD)
    chair.click("button[type=submit]")
    expect(chair.locator("h1")).to_have_text("Đăng ký phát biểu")
    expect(chair.locator("[data-field=speaking-none]")).to_be_visible()
    expect(chair.locator("#live-mode")).to_have_attribute("data-mode", "socket")

    # The projector, full HD.
    screen = browser.new_context(**FULL_HD).new_page()
    screen.goto(server_url + reverse("screen", args=[slug, congress.screen_token]))
    expect(screen.locator("[data-field=item-title]")).to_have_text("Thảo luận dự thảo Báo cáo chính trị")
    expect(screen.locator("[data-field=item-next]")).to_have_text("Bầu Ban Chấp hành khóa mới")
    expect(screen.locator("[data-field=present]")).to_have_text("5")
    expect(screen.locator("[data-field=mode]")).to_have_attribute("data-mode", "socket")
    expect(screen.locator("[data-field=speaker-none]")).to_be_visible()

    # The delegate signs in with the code on the card and asks for the floor.
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(server_url + reverse("delegate_card", args=[me.code]))
    expect(phone).to_have_url(re.compile(re.escape(reverse("delegate_home", args=[slug])) + "$"))
    expect(phone.locator("[data-field=name]")).to_have_text(me.full_name)
    expect(phone.locator("[data-field=current-item]")).to_have_text("Thảo luận dự thảo Báo cáo chính trị")
    expect(phone.locator("[data-field=attendance]")).to_have_text("Có mặt")
    button = phone.get_by_role("button", name="Đăng ký phát biểu")
    box = box_of(button)
    assert box is not None and box["height"] >= 48 and box["width"] >= 48
    phone.get_by_label("Nội dung phát biểu (không bắt buộc)").fill("Về công tác chuyển đổi số của phường")
    button.tap()
    mine = phone.locator(".me-requests li").first
    expect(mine.locator("[data-field=status]")).to_have_text("Đăng ký")
    assert serious_axe_violations(phone) == []
    screenshot(phone, "phone.png")

    # The chair sees it appear without reloading, approves it, then gives the floor.
    row = chair.locator(f"tr[data-request][data-status=requested]:has-text('{me.full_name}')")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Về công tác chuyển đổi số của phường")
    row.get_by_role("button", name=f"Chấp thuận: {me.full_name}").click()
    started_row = chair.locator(f"tr[data-status=approved]:has-text('{me.full_name}')")
    started_row.get_by_role("button", name=f"Mời phát biểu: {me.full_name}").click()
    expect(chair.locator("[data-field=speaking-name]")).to_have_text(me.full_name)

    # The projector shows the speaker and a timer that runs, without a reload.
    expect(screen.locator("[data-field=speaker-name]")).to_have_text(me.full_name)
    expect(screen.locator("[data-field=speaker-unit]")).to_have_text(me.unit.name)
    expect(screen.locator("[data-field=speaker-topic]")).to_have_text("Về công tác chuyển đổi số của phường")
    timer = screen.locator("[data-field=timer]")
    expect(timer).to_have_text(re.compile(r"^[67]:\d\d$"))
    first = timer.inner_text()
    expect(timer).not_to_have_text(first)  # it ticks
    expect(screen.locator("[data-field=speaker-panel]")).to_have_attribute("data-timer", "running")
    assert has_no_scrollbars(screen)
    assert serious_axe_violations(screen) == []
    screenshot(screen, "screen.png")

    # The phone learns it is their turn.
    expect(phone.locator("[data-field=speaking]")).to_have_text("Mời đồng chí phát biểu.")

    # The chair stops the speech; the screen clears.
    chair.get_by_role("button", name="Kết thúc phát biểu").click()
    expect(screen.locator("[data-field=speaker-none]")).to_be_visible()
    assert SpeakerRequest.objects.get(delegate=me).status == SpeakerRequest.Status.DONE
