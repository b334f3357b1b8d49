"""The issue's end-to-end election on the seed congress, in a real browser against a real server.

165 delegates checked in (through the check-in action, for speed); the number to elect (15) voted by
motion; the committee's list of 17; the counting committee elected; the list approved; the vote opened;
3 delegates vote on their phones and 152 through the ballot action; the vote closed; 10 paper ballots
double-entered by two clerks; issued entered; certified; released to the screen; the counting minutes
downloaded as PDF, rendered to PNG and checked for the elected names.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions.checkin import check_in_delegate
from daihoi.congress.demo import DEMO_PASSWORD, load_demo
from daihoi.congress.models import Congress, Delegate
from daihoi.voting.demo import load_demo_elections
from daihoi.voting.models import Candidate, Election
from tests.factories import PASSWORD, make_staff
from tests.voting.evote_helpers import phone_cast

T = TypeVar("T")
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
PAPER = ["1617"] * 8 + ["0117", ""]  # the last keeps all 17 names: invalid, too many kept (P12)


def staff_page(browser: Browser, server_url: str, username: str, password: str) -> Page:
    context: BrowserContext = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server_url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator(".topbar")).to_be_visible()
    return page


def decide_by_hands(chair: Page, election_url: str, kind: str, yes: int) -> None:
    """On the election page, put the motion of `kind` to the vote, close it with `yes` hands, come back."""
    chair.locator(f'#election-motions tr[data-kind="{kind}"]').get_by_role(
        "button", name="Biểu quyết"
    ).click()
    chair.fill("#count-yes", str(yes))
    chair.fill("#count-no", "0")
    chair.fill("#count-abstain", "0")
    chair.check("#confirm-close")
    chair.click("button:has-text('Kết thúc biểu quyết')")
    expect(chair.locator("[data-field=outcome]")).to_contain_text("Thông qua")
    chair.goto(election_url)


def enter_batch(clerk: Page, team: int) -> None:
    clerk.get_by_role("button", name=f"Tổ {team}").click()
    for i, keys in enumerate(PAPER, start=1):
        expect(clerk.locator("#ballot-number")).to_have_value(str(i))
        clerk.fill("#keys", keys)
        clerk.press("#keys", "Enter")
    expect(clerk.locator("#ballot-number")).to_have_value(str(len(PAPER) + 1))
    # P18: the team says it has finished; only when both have are the entries compared.
    clerk.locator("#finish").click()
    expect(clerk.locator("#team-finished")).to_be_visible()


def off_the_browser_thread(fn: Callable[[], T]) -> T:
    """Run action-layer set-up in a plain thread: Playwright's event loop owns the test thread, and the
    actions' after-commit publish needs a thread without one (the server's screens poll or get the
    server's own pushes)."""

    def run() -> T:
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def seed() -> tuple[Congress, Election]:
    congress = load_demo()
    committee, _delegation = load_demo_elections(congress)
    for d in congress.delegates.order_by("number"):
        check_in_delegate(d, nonce=f"e2e-checkin-{d.pk:08d}", actor=SYSTEM)
    make_staff(congress, Role.COUNTING, username="kiemphieu2")
    return congress, committee


def cast_by_action(committee: Election, codes: list[str]) -> None:
    """152 ballots encrypted as the phones do, through the ballot action: most strike c16 and c17; every
    fifth strikes one of the 15."""
    delegates = Delegate.objects.filter(congress_id=committee.congress_id, number__lte=152).order_by("number")
    for k, d in enumerate(delegates):
        struck = {"c16", "c17"} if k % 5 else {f"c{k // 5 % 15 + 1:02d}", "c17"}
        kept = [c for c in codes if c not in struck]
        phone_cast(committee, d, kept, nonce=f"e2e-ballot-{d.pk:010d}")


@pytest.mark.django_db(transaction=True)
def test_the_seeds_election_end_to_end(server_url: str, browser: Browser, tmp_path: Path):
    congress, committee = off_the_browser_thread(seed)
    slug = congress.slug
    assert congress.delegates.filter(attendance=Delegate.Attendance.PRESENT).count() == 165
    election_url = server_url + reverse("election_detail", args=[slug, committee.pk])

    # The organizer allows electronic casting (P20); the minutes will say so.
    organizer = staff_page(browser, server_url, "btc", DEMO_PASSWORD)
    organizer.goto(server_url + reverse("electronic_voting", args=[slug]))
    organizer.click("text=Bật bỏ phiếu điện tử cho đại hội")
    expect(organizer.locator("[data-field=setting]")).to_contain_text("đang cho phép")

    # The chair walks P6 on the election page.
    chair = staff_page(browser, server_url, "chutich", DEMO_PASSWORD)
    chair.goto(election_url)
    decide_by_hands(chair, election_url, "seats", 165)
    expect(chair.locator("[data-field=seats]")).to_have_text("15")
    expect(chair.locator("#surplus")).to_contain_text("17 người cho 15 chỗ: dư 2")
    on_list = set(committee.candidates.values_list("delegate_id", flat=True))
    counting = list(congress.delegates.exclude(pk__in=on_list).order_by("-number")[:3])
    chair.fill("#cc-members", ", ".join(str(d.number) for d in counting))
    chair.fill("#cc-head", str(counting[0].number))
    chair.click("#counting-committee button[type=submit]")
    decide_by_hands(chair, election_url, "counting_committee", 165)
    expect(chair.locator("#counting-committee")).to_contain_text("Trưởng ban")
    chair.check("#casting input[name=allows_electronic]")
    chair.click("#casting button[type=submit]")
    chair.click("text=Đưa danh sách ra biểu quyết")
    decide_by_hands(chair, election_url, "candidate_list", 165)
    expect(chair.locator("[data-field=status]")).to_have_text("Đã thông qua danh sách")
    # The key ceremony (issue 10): the chair starts it; each of the three members' phones makes its share.
    key_url = server_url + reverse("election_key", args=[slug, committee.pk])
    chair.goto(key_url)
    chair.click("text=Bắt đầu tạo khóa")
    members = []
    for d in counting:
        member = browser.new_context(**PHONE).new_page()
        member.goto(server_url + reverse("delegate_card", args=[d.code]))
        member.goto(server_url + reverse("member_key", args=[slug, committee.pk]))
        members.append(member)
    for member in members:
        expect(member.locator("#backup-text")).to_contain_text("daihoi-share-v1:", timeout=60_000)
        expect(member.locator("#backup-qr svg")).to_have_count(1)
    chair.goto(key_url)
    expect(chair.locator("[data-code=key_ready]")).to_be_visible()
    chair.goto(election_url)
    chair.click("text=Bắt đầu bỏ phiếu")
    expect(chair.locator("[data-field=status]")).to_have_text("Đang bỏ phiếu")

    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    screen.goto(server_url + reverse("screen", args=[slug, congress.screen_token]))
    on_screen = screen.locator("#voting-screen")
    expect(on_screen.locator('[data-voting-section="election"] .voting-progress')).to_have_text(
        "0/165 đã bỏ phiếu điện tử"
    )

    committee.refresh_from_db()
    codes = list(committee.candidates.filter(status=Candidate.Status.ON_LIST).values_list("code", flat=True))
    assert codes == [f"c{i:02d}" for i in range(1, 18)]
    off_the_browser_thread(lambda: cast_by_action(committee, codes))
    # Three delegates on their phones: strike c16 and c17, review, confirm, cast. Their casts go through
    # the server, whose pushes bring the screen the count of all 155.
    for number in (161, 162, 163):
        phone = browser.new_context(**PHONE).new_page()
        phone.goto(server_url + reverse("delegate_card", args=[congress.delegates.get(number=number).code]))
        phone.goto(server_url + reverse("delegate_ballot", args=[slug, committee.pk]))
        phone.locator('label[for="keep-c16"]').click()
        phone.locator('label[for="keep-c17"]').click()
        expect(phone.locator("#ballot-counter")).to_have_text("Giữ 15/15")
        phone.click("#ballot-review")
        phone.click("#ballot-cast")
        expect(phone.locator("#ballot-ack")).to_be_visible(
            timeout=30_000
        )  # after the encryption and the cast
        expect(phone.locator("#tracker-code")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        phone.context.close()
    voted = off_the_browser_thread(lambda: committee.participations.count())
    assert voted == 155, voted
    # Generous: on a loaded 2-core machine the last merged push can take a few seconds to be built.
    expect(on_screen.locator('[data-voting-section="election"] .voting-progress')).to_have_text(
        "155/165 đã bỏ phiếu điện tử", timeout=20_000
    )
    chair.reload()
    chair.check("#confirm-close")
    chair.click("button:has-text('Kết thúc bỏ phiếu')")
    expect(chair.locator("[data-field=status]")).to_have_text("Đã đóng, đang kiểm phiếu")

    # The totals are added up; two of the three members decrypt them, each on their own phone.
    head = staff_page(browser, server_url, "kiemphieu", DEMO_PASSWORD)
    head.goto(server_url + reverse("election_key", args=[slug, committee.pk]))
    head.click("text=Kiểm tra chứng minh và cộng các phiếu mã hóa")
    for member in members[:2]:
        member.reload()
        expect(member.locator("#decrypt-button")).to_be_visible(timeout=30_000)
        member.focus("#decrypt-button")  # the keyboard alone
        member.keyboard.press("Enter")
        expect(member.locator("#key-status")).to_contain_text("Cảm ơn", timeout=30_000)
    head.goto(server_url + reverse("election_key", args=[slug, committee.pk]))
    expect(head.locator("[data-code=decrypted]")).to_be_visible()

    # Two clerks enter the 10 paper ballots of one batch independently (P18).
    head.goto(server_url + reverse("paper_batches", args=[slug, committee.pk]))
    head.click("text=Mở lô phiếu mới")
    batch_url = head.url
    clerk = staff_page(browser, server_url, "kiemphieu2", PASSWORD)
    clerk.goto(batch_url)
    enter_batch(head, 1)
    enter_batch(clerk, 2)
    head.reload()
    expect(head.locator("#agree")).to_be_visible()
    head.click("#finalize")
    head.goto(server_url + reverse("count_page", args=[slug, committee.pk]))
    head.fill("#issued-input", str(len(PAPER)))
    head.click("form[action$='issued/'] button[type=submit]")
    expect(head.locator("#issued")).to_have_text("165")
    expect(head.locator("#received")).to_have_text("165")
    head.check("#confirm-certify")
    head.click("#certify")
    head.check("#confirm-release")
    head.click("#release")

    committee.refresh_from_db()
    assert committee.status == Election.Status.CERTIFIED
    result = committee.result
    assert result["ballots"] == {
        "issued": 165, "received": 165, "valid": 164, "invalid": 1,
        "invalid_by_reason": {"too_many_kept": 1},
    }  # fmt: skip
    names = dict(committee.candidates.values_list("code", "full_name"))
    elected = [names[c] for c in result["elected"]]
    assert sorted(result["elected"]) == codes[:15] and result["next_round"] is None
    # The projector shows the bar chart and the elected, once released.
    result_on_screen = on_screen.locator('[data-voting-section="result"]')
    expect(result_on_screen.locator(".voting-bar")).to_have_count(17)
    for name in elected:
        expect(result_on_screen.locator("[data-field=elected]")).to_contain_text(name)

    # The counting minutes, downloaded as the head of the committee would, rendered to PNG.
    with head.expect_download() as download:
        head.click("text=Biên bản kiểm phiếu (PDF)")
    pdf = tmp_path / "minutes.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 1 and pages[0].stat().st_size > 5_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    for name in elected:
        assert name in flat, name
    assert "điện tử" in flat  # P20: the minutes say electronic casting was used

    # The published record: `daihoi verify` accepts it, and rejects it after one byte of one ballot changes.
    with head.expect_download() as download:
        head.goto(server_url + reverse("election_receipts", args=[slug, committee.pk]))
        head.click("text=Tải hồ sơ cuộc bầu cử")
    record_path = tmp_path / "record.json"
    download.value.save_as(record_path)
    verify = [sys.executable, "-m", "daihoi.cli", "verify", str(record_path)]
    ok = subprocess.run(verify, capture_output=True, text=True)
    assert ok.returncode == 0 and "OK" in ok.stdout, ok.stdout + ok.stderr
    record = json.loads(record_path.read_text(encoding="utf-8"))
    b = record["ballots"][0]["ballot"]["marks"][0]["b"]
    record["ballots"][0]["ballot"]["marks"][0]["b"] = b[:-1] + ("0" if b[-1] != "0" else "1")
    record_path.write_text(json.dumps(record), encoding="utf-8")
    bad = subprocess.run(verify, capture_output=True, text=True)
    assert bad.returncode == 2 and "FAILED" in bad.stdout + bad.stderr
