"""Two counting clerks double-enter a batch of paper ballots with the keyboard; a deliberate mismatch is
listed ballot by ballot and resolved by the head; the count is certified and released to the screen."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from daihoi.congress.models import Congress, StaffRole
from daihoi.voting.models import Election, PaperBallot
from tests.factories import PASSWORD, make_congress, make_staff
from tests.support.counting import make_election

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = os.environ.get("DAIHOI_SCREENSHOTS") == "1"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Ten ballots as the clerks read them: the positions struck (12 names, so two digits each).
# 12 names for 9 seats: a valid ballot strikes at least 3; the last strikes all (invalid by its marks).
BALLOTS = [
    "101112", "101112", "091112", "101112", "*k", "081112", "101112", "071012",
    "0102030405060708091011", "010203040506070809101112",
]  # fmt: skip
TEAM_2_TYPO = {4: "091112"}  # team 2 misreads ballot 4


def sign_in(browser: Browser, server_url: str, username: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return context, page


def type_ballots(page: Page, ballots: list[str], typos: dict[int, str]) -> None:
    keys = page.locator("#keys")
    for n, struck in enumerate(ballots, start=1):
        expect(page.locator("#ballot-number")).to_have_value(str(n))
        keys.focus()
        page.keyboard.type(typos.get(n, struck))
        page.keyboard.press("Enter")
        expect(page.locator("#last")).to_contain_text(f"{n}: ")


def test_two_clerks_double_enter_a_batch_and_the_result_reaches_the_screen(browser: Browser, server_url: str):
    congress = make_congress(delegates=12)
    election = make_election(congress, candidates=12, seats=9, base=12, present=12)
    make_staff(congress, StaffRole.Role.COUNTING, username="clerk-one")
    make_staff(congress, StaffRole.Role.COUNTING, username="clerk-two")
    base = f"{server_url}/c/{congress.slug}/elections/{election.pk}"

    one_ctx, one = sign_in(browser, server_url, "clerk-one")
    two_ctx, two = sign_in(browser, server_url, "clerk-two")

    one.goto(base + "/paper/")
    one.fill("#batch-label", "Hòm phiếu số 1")
    one.get_by_role("button", name="Mở lô phiếu mới").click()
    expect(one.get_by_role("heading", name="Chọn tổ nhập của bạn")).to_be_visible()
    batch_url = one.url
    one.get_by_role("button", name="Tổ 1").click()
    two.goto(batch_url)
    two.get_by_role("button", name="Tổ 2").click()

    type_ballots(one, BALLOTS, {})
    expect(one.locator("#last")).to_contain_text("Gạch: 1. ")
    type_ballots(two, BALLOTS, TEAM_2_TYPO)

    # P18: neither team sees the other's entries until both have finished the batch.
    expect(one.locator("#mismatch-list tr[data-ballot]")).to_have_count(0)
    expect(one.locator("#entered")).not_to_contain_text("Tổ 2")
    one.locator("#finish").click()
    expect(one.locator("#team-finished")).to_be_visible()
    two.locator("#finish").click()
    one.reload()

    # The mismatch appears on team 1's page ballot by ballot, as names.
    row = one.locator("#mismatch-list tr[data-ballot='4']")
    expect(row).to_be_visible(timeout=10_000)
    expect(row).to_contain_text("Gạch: 10.")
    expect(row).to_contain_text("Gạch: 9.")
    expect(one.locator("#mismatch-list tr[data-ballot]")).to_have_count(1)
    if SCREENSHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        one.screenshot(path=str(SHOTS / "paper-entry.png"), full_page=True)

    # The head looks at ballot 4 and records what the paper says.
    one.fill("#resolve-4", "101112")
    row.get_by_role("button", name="Ghi theo phiếu gốc").click()
    expect(one.locator("#agree")).to_be_visible()
    one.get_by_role("button", name=re.compile("Chốt lô")).click()
    expect(one.get_by_text("Đã khớp và chốt")).to_be_visible()
    assert PaperBallot.objects.filter(election=election).count() == 10

    # Reconciliation, certification and release.
    one.goto(base + "/count/")
    one.fill("#issued-input", "10")
    one.get_by_role("button", name="Lưu").click()
    expect(one.locator("#issued")).to_have_text("10")
    one.check("#confirm-certify")
    one.get_by_role("button", name="Xác nhận kết quả kiểm phiếu").click()
    expect(one.get_by_role("heading", name="Kết quả đã xác nhận")).to_be_visible()
    one.check("#confirm-release")
    one.get_by_role("button", name="Công bố kết quả lên màn hình").click()
    expect(one.get_by_role("button", name="Ẩn kết quả khỏi màn hình")).to_be_visible()
    election.refresh_from_db()
    assert election.status == Election.Status.CERTIFIED and election.is_released
    assert election.result["ballots"] == {
        "issued": 10, "received": 10, "valid": 8, "invalid": 2,
        "invalid_by_reason": {"all_struck": 1, "not_issued": 1},
    }  # fmt: skip

    with one.expect_download() as download:
        one.get_by_role("link", name="Biên bản kiểm phiếu (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The projector: the released result as a bar chart.
    token = Congress.objects.get(pk=congress.pk).screen_token
    screen_ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    screen = screen_ctx.new_page()
    screen.goto(f"{server_url}/c/{congress.slug}/screen/{token}/")
    bars = screen.locator("[data-voting-section='result'] .voting-bar")
    expect(bars).to_have_count(12, timeout=10_000)
    expect(bars.first).to_contain_text("%")
    if SCREENSHOTS:
        screen.screenshot(path=str(SHOTS / "result-screen.png"))
    for ctx in (one_ctx, two_ctx, screen_ctx):
        ctx.close()
