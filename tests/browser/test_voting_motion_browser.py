"""A motion in the hall: the chair opens an electronic vote, delegates answer on their phones, the
projector shows how many have answered (never what), then the result once the chair closes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import Role
from daihoi.congress.models import Delegate
from daihoi.voting.models import Motion
from tests.factories import PASSWORD, make_congress, make_staff
from tests.support.browser import box_of
from tests.voting.evote_helpers import MOTION_DEVICES, motion_partial, run_motion_key

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
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


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def holder_decrypts(browser: Browser, server_url: str, motion: Motion, index: int) -> None:
    """Holder `index`'s phone sends its partial decryption of the totals to the server, signed in with
    its card, as committee_page.js does (the share is played in Python: see `run_motion_key`)."""
    holder = MOTION_DEVICES[motion.congress_id].delegates[index]
    page = browser.new_context(**PHONE).new_page()
    page.goto(server_url + reverse("delegate_card", args=[holder.code]))
    page.goto(server_url + reverse("motion_key_member", args=[motion.congress.slug]))
    status = page.evaluate(
        """async ([url, body]) => {
             const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
             const r = await fetch(url, {method: "POST", credentials: "same-origin",
               headers: {"Content-Type": "application/json", "X-CSRFToken": token}, body: JSON.stringify(body)});
             return r.status;
           }""",
        [
            server_url + reverse("motion_key_step", args=[motion.congress.slug]),
            {"step": "partial", "motion": motion.pk, "partial": motion_partial(motion, index)},
        ],
    )
    assert status == 200
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_delegates_answer_on_phones_and_the_screen_shows_the_count_then_the_result(
    server_url: str, browser: Browser
):
    congress = make_congress(delegates=3, guests=1)
    congress.delegates.update(attendance=Delegate.Attendance.PRESENT)
    chair_user = make_staff(congress, Role.PRESIDIUM)
    slug = congress.slug
    # The congress's motion key (issue 10), made on its three holders' devices (played in Python here;
    # the same ceremony page is driven in the browser by the election's end-to-end test).
    run_motion_key(congress)

    chair = browser.new_context().new_page()
    sign_in(chair, server_url, chair_user.username)
    chair.goto(server_url + reverse("motion_list", args=[slug]))
    chair.fill("#motion-title", "Thông qua Quy chế làm việc của Đại hội")
    chair.select_option("#motion-method", "electronic")
    chair.click("text=Tạo nội dung biểu quyết")
    chair.click("text=Bắt đầu biểu quyết")
    expect(chair.locator("[data-field=status]")).to_have_text("Đang biểu quyết")

    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    screen.goto(server_url + reverse("screen", args=[slug, congress.screen_token]))
    motion_on_screen = screen.locator('#voting-screen [data-voting-section="motion"]')
    expect(motion_on_screen.locator(".voting-progress")).to_have_text("0/3 đã biểu quyết")

    phones = []
    for number, answer in ((1, "Tán thành"), (2, "Tán thành")):
        delegate = congress.delegates.get(number=number)
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(server_url + reverse("delegate_card", args=[delegate.code]))
        phone.goto(server_url + reverse("delegate_motions", args=[slug]))
        expect(phone.locator("#motion-title")).to_have_text("Thông qua Quy chế làm việc của Đại hội")
        if number == 1:
            assert axe_violations(phone) == []
            box = box_of(phone.get_by_role("button", name="Tán thành", exact=True))
            assert box is not None and box["height"] >= 44  # large enough for elderly delegates
        if number == 1:  # with the keyboard alone: choose, then confirm
            phone.get_by_role("button", name=answer, exact=True).focus()
            phone.keyboard.press("Enter")
            expect(phone.locator("#secret-confirm-title")).to_be_focused()
            expect(phone.locator("#secret-chosen")).to_have_text(answer)
            assert axe_violations(phone) == []
            phone.keyboard.press("Tab")
            expect(phone.get_by_role("button", name="Gửi biểu quyết")).to_be_focused()
            phone.keyboard.press("Enter")
        else:
            phone.get_by_role("button", name=answer, exact=True).click()
            phone.get_by_role("button", name="Gửi biểu quyết").click()
        # Encrypted on the phone: the acknowledgement shows the ballot's tracker, never the answer.
        expect(phone.locator("#secret-ack-title")).to_be_focused()
        expect(phone.locator("#secret-tracker")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        if number == 1:  # the 64-digit tracker wraps inside the phone's width (it once ran off the page)
            tracker = phone.locator("#secret-tracker")
            assert tracker.evaluate("el => el.scrollWidth <= el.clientWidth")
        phones.append(phone)
        expect(motion_on_screen.locator(".voting-progress")).to_have_text(f"{number}/3 đã biểu quyết")

    # The screen never shows what anyone answered while the vote is open.
    assert "Tán thành" not in motion_on_screen.inner_text()
    expect(chair.locator("[data-field=voted]")).to_have_text("2/3")

    chair.check("#confirm-close")
    chair.click("button:has-text('Kết thúc biểu quyết')")
    expect(chair.locator("[data-field=status]")).to_have_text("Đã đóng, đang giải mã kết quả")
    # Two of the three holders decrypt the totals from their devices; then the verdict is decided.
    motion = Motion.objects.get(congress=congress)
    for index in (1, 2):
        holder_decrypts(browser, server_url, motion, index)
    expect(chair.locator("[data-field=outcome]")).to_contain_text("Thông qua")
    expect(motion_on_screen.locator("[data-field=verdict]")).to_have_text("Thông qua")
    expect(motion_on_screen.locator("[data-field=yes]")).to_have_text("2")
    expect(motion_on_screen).to_contain_text("66,67% của N")

    # The delegate's page now lists the motion as answered, secretly: that they voted, not what.
    # A fresh tab of the same phone: the open page refreshes itself on live updates, and a reload
    # from the test racing that refresh detaches the page.
    history_page = phones[0].context.new_page()
    history_page.goto(server_url + reverse("delegate_motions", args=[slug]))
    expect(history_page.locator("#motion-history")).to_contain_text("đã biểu quyết (kín)")
    expect(history_page.locator("#motion-history")).not_to_contain_text("Tán thành")
