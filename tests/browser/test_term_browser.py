"""The resolution in the hall and over the term: the presidium opens the adoption vote, delegates vote
from phones, the adopted resolution can no longer be edited; a year's values are entered and the
dashboard's chart and status change. Then the demo's review table, dashboard and news page, screenshotted."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import Role
from daihoi.congress.demo import DEMO_SLUG, load_demo
from daihoi.congress.models import Delegate
from daihoi.term import actions
from daihoi.term.models import TargetValue
from tests.factories import PASSWORD, make_staff
from tests.term.helpers import drafted
from tests.voting.evote_helpers import decrypt_motion, run_motion_key

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
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
def test_adoption_by_phones_freezes_the_resolution_and_a_year_moves_the_dashboard(
    server_url: str, browser: Browser
):
    congress = drafted(delegates=3)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    run_motion_key(congress)  # the congress's motion key (issue 10), before an anonymous motion opens
    slug = congress.slug
    chair = browser.new_context().new_page()
    sign_in(chair, server_url, make_staff(congress, Role.PRESIDIUM).username)
    chair.goto(server_url + reverse("term_home", args=[slug]))
    expect(chair.locator("#resolution-state")).to_have_attribute("data-state", "draft")
    chair.select_option("#adopt-form select[name=method]", "electronic")
    chair.click("#adopt-form button[type=submit]")
    chair.click("text=Bắt đầu biểu quyết")
    expect(chair.locator("[data-field=status]")).to_have_text("Đang biểu quyết")

    for number in (1, 2, 3):
        delegate = congress.delegates.get(number=number)
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(server_url + reverse("delegate_card", args=[delegate.code]))
        phone.goto(server_url + reverse("delegate_motions", args=[slug]))
        expect(phone.locator("#motion-title")).to_contain_text("Thông qua Nghị quyết")
        phone.get_by_role("button", name="Tán thành", exact=True).click()
        phone.get_by_role("button", name="Gửi biểu quyết").click()  # encrypted on the phone, then sent
        expect(phone.locator("#secret-ack-title")).to_be_visible()
        phone.context.close()
    expect(chair.locator("[data-field=voted]")).to_have_text("3/3")
    chair.check("#confirm-close")
    chair.click("button:has-text('Kết thúc biểu quyết')")
    expect(chair.locator("[data-field=status]")).to_have_text("Đã đóng, đang giải mã kết quả")
    decrypt_motion(congress.motions.get())  # two of the three key holders decrypt the totals
    chair.reload()  # played in this thread, outside the server's loop: its push does not reach the page
    expect(chair.locator("[data-field=outcome]")).to_contain_text("Thông qua")

    secretary = browser.new_context().new_page()
    sign_in(secretary, server_url, make_staff(congress, Role.SECRETARIAT).username)
    secretary.goto(server_url + reverse("term_home", args=[slug]))
    expect(secretary.locator("#resolution-state")).to_have_attribute("data-state", "adopted")
    expect(secretary.locator("#resolution-form")).to_have_count(0)
    expect(secretary.locator("#target-form")).to_have_count(0)
    # A hand-made POST is refused by the action, with its reason.
    secretary.evaluate(
        """() => { const f = document.createElement('form'); f.method = 'post';
        f.action = location.pathname + 'resolution/';
        for (const [k, v] of [['general_goal', 'Sửa sau khi thông qua'], ['other_articles', ''],
          ['csrfmiddlewaretoken', document.querySelector('[name=csrfmiddlewaretoken]').value]]) {
          const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i); }
        document.body.appendChild(f); f.submit(); }"""
    )
    expect(secretary.locator(".messages")).to_contain_text("đã được đại hội thông qua")
    assert actions.resolution_of(congress).general_goal == "Xây dựng phường văn minh."

    secretary.goto(server_url + reverse("term_dashboard", args=[slug]))
    cards = secretary.locator("#term-cards .card")
    expect(cards).to_have_count(4)
    expect(secretary.locator('.card[data-pace="no_data"]')).to_have_count(4)
    expect(secretary.locator('circle[data-year="2021"]')).to_have_count(0)
    secretary.click("text=2021")
    for i, value in enumerate(["110", "2.6", "16", "100"]):
        secretary.locator("#year-form input[name^=value-]").nth(i).fill(value)
    secretary.locator("#year-form input[name^=note-]").first.fill("Vượt dự toán")
    secretary.click("#year-form button[type=submit]")
    expect(secretary.locator("#pace-summary")).to_contain_text("Đến năm 2021: 3 đúng tiến độ, 1 có nguy cơ")
    expect(secretary.locator('circle[data-year="2021"]')).to_have_count(4)
    expect(secretary.locator('.card[data-target="2"]')).to_have_attribute("data-pace", "at_risk")
    expect(secretary.locator('.card[data-target="1"]')).to_have_attribute("data-pace", "on_track")
    assert TargetValue.objects.filter(target__congress=congress, year=2021).count() == 4


@pytest.mark.django_db(transaction=True)
def test_demo_review_dashboard_and_news_pages(server_url: str, browser: Browser):
    congress = load_demo()
    assert congress.slug == DEMO_SLUG
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, server_url, make_staff(congress, Role.ORGANIZER).username)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(server_url + reverse("term_review", args=[DEMO_SLUG]))
    expect(page.locator("#review-summary")).to_contain_text("14/18 chỉ tiêu đạt và vượt")
    expect(page.locator("#review-table tbody tr")).to_have_count(18)
    page.screenshot(path=str(SHOTS / "term-review.png"), full_page=True)

    page.goto(server_url + reverse("term_dashboard", args=[DEMO_SLUG]))
    expect(page.locator("#pace-summary")).to_contain_text("Đến năm 2022")
    expect(page.locator("#term-cards svg.term-chart")).to_have_count(8)
    expect(page.locator('.card[data-pace="at_risk"]')).not_to_have_count(0)
    page.screenshot(path=str(SHOTS / "term-dashboard.png"), full_page=True)

    page.goto(server_url + reverse("term_news", args=[DEMO_SLUG]))
    expect(page.locator("#news")).to_contain_text("Mục tiêu tổng quát")
    expect(page.locator("#news")).to_contain_text("phường Hòa Bình văn minh, hiện đại, nghĩa tình")
    page.click("text=Công bố trang tin")
    public_url = page.locator("#public-link").get_attribute("href")
    public = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    public.goto(public_url)
    expect(public.locator("#news h1")).to_contain_text("thành công tốt đẹp")
    public.screenshot(path=str(SHOTS / "term-news.png"), full_page=True)
