"""The organizer's pages fit: the menu is grouped on one or two lines at 1366×768, 1024×768 (a tablet) and
1920×1080, its groups do not overlap, a group opens to its links; the new-election form's fields do not
overlap one another or leave the card. Screenshots go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from daihoi.congress.models import StaffRole
from tests.factories import PASSWORD, make_congress, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = [(1366, 768), (1024, 768), (1920, 1080)]


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_menu_and_the_new_election_form_fit(browser: Browser, server_url: str, width: int, height: int):
    congress = make_congress(delegates=6)
    congress.name = "Đại hội đại biểu Đoàn TNCS Hồ Chí Minh phường Bến Nghé lần thứ VIII, nhiệm kỳ 2025–2030"
    congress.save()
    user = make_staff(congress, StaffRole.Role.ORGANIZER, username=f"layout-{width}")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server_url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{server_url}/c/{congress.slug}/")

    summaries = page.locator(".topbar .menu-group > summary")
    assert summaries.count() >= 3
    boxes = [summaries.nth(i).bounding_box() for i in range(summaries.count())]
    line = boxes[0]["height"]
    assert all(b is not None and b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes)
    assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    rows = {round(b["y"]) for b in boxes}
    assert len(rows) <= 2, rows  # the groups sit on one line, two at most
    bar = page.locator(".topbar").bounding_box()
    assert bar["height"] <= 3 * line + 40, bar  # the whole bar: two lines of menu at most (plus padding)
    assert page.locator("main .feature-links").count() == 0  # the list is not repeated below
    if (width, height) == (1366, 768):
        page.screenshot(path=str(SHOTS / "menu-1366.png"))
    summaries.nth(2).click()  # voting and elections
    items = page.locator(".menu-group[open] .menu-items a")
    assert items.count() >= 2 and items.first.is_visible()
    menu = page.locator(".menu-group[open] .menu-items").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= width

    page.goto(f"{server_url}/c/{congress.slug}/elections/")
    form = page.locator("form[action$='/elections/new/']")
    card = form.locator("xpath=..").bounding_box()
    fields = form.locator("input:not([type=hidden]), select, label, legend, button")
    field_boxes = [fields.nth(i).bounding_box() for i in range(fields.count())]
    field_boxes = [b for b in field_boxes if b and b["width"] > 0]
    for b in field_boxes:
        assert card["x"] - 0.5 <= b["x"] and b["x"] + b["width"] <= card["x"] + card["width"] + 0.5, b
    controls = form.locator(".grid input, .grid select")
    control_boxes = [controls.nth(i).bounding_box() for i in range(controls.count())]
    assert not any(overlap(a, b) for i, a in enumerate(control_boxes) for b in control_boxes[i + 1 :])
    if (width, height) == (1366, 768):
        form.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "new-election-1366.png"))
    context.close()
