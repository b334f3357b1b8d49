"""The released result on the projector fits the screen: 32 names (a delegation) at 1280×720 and
1920×1080 without scrolling, every row inside the viewport and no name cut; a short list keeps its
one-column chart beside the attendance panel."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from daihoi.audit.models import Anchor
from daihoi.congress.access import Actor, Role
from daihoi.congress.models import Congress
from daihoi.rules.ordering import ballot_order
from daihoi.voting.actions import counting
from daihoi.voting.models import Candidate, Election, PaperBallot, PaperBatch
from tests.factories import make_congress
from tests.rules.ballot_factory import valid_rows

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HEAD = Actor(roles=frozenset({Role.COUNTING}))
CHAIR = Actor(roles=frozenset({Role.PRESIDIUM}))

# Long names on purpose: compound family names and four-word given names must stay whole on the screen.
LONG_NAMES = [
    "Nguyễn Thị Thanh Hương",
    "Tôn Nữ Thị Hoàng Anh",
    "Công Tằng Tôn Nữ Bảo Ngọc",
    "Nguyễn Phước Vĩnh Khánh Linh",
    "Trương Nguyễn Thành Trung",
    "Âu Dương Ngọc Phương Thảo",
    "Huỳnh Lê Hoàng Phúc",
    "Lê Trần Minh Khôi",
    "Phạm Thị Thu Trang",
    "Đặng Quang Vinh",
    "Võ Thị Kim Ngân",
    "Hoàng Đức Thắng",
    "Bùi Thị Ngọc Diệp",
    "Đỗ Mạnh Cường",
    "Ngô Thị Mỹ Duyên",
    "Dương Văn Khải",
    "Lý Thị Bích Vân",
    "Mai Xuân Trường",
    "Đinh Thị Hồng Nhung",
    "Tạ Quang Huy",
    "Cao Thị Lan Anh",
    "Kiều Minh Đức",
    "Hà Thị Thúy Hằng",
    "Lương Văn Toàn",
    "Châu Thị Mộng Tuyền",
    "Phan Thanh Bình",
    "Trịnh Thị Xuân Mai",
    "La Văn Sáng",
    "Vương Thị Hải Yến",
    "Quách Tuấn Kiệt",
    "Thái Thị Cẩm Tú",
    "Lâm Chí Nguyên",
    "Nguyễn Hoàng Bảo Châu",
    "Trần Lê Khánh Vy",
    "Đoàn Thị Phương Loan",
    "Văn Công Thành",
    "Hồ Nguyễn Thiên Kim",
    "Giáp Văn Hòa",
    "Ông Thị Tuyết Nhung",
    "Khổng Minh Tâm",
]
# In list order. 24 seats and 3 alternates: 24 elected, 2 alternates, then two tied for the last
# alternate place (a next round), then four not elected. N = 60, 58 ballots of which 57 valid.
VOTES = [*range(57, 33, -1), 33, 32, 31, 31, 29, 25, 18, 12]


def released_result(candidates: int, votes: list[int], *, seats: int, alternates: int = 0) -> Election:
    """A certified election of `candidates` long names (votes in list order), released to the screen."""
    congress = make_congress(delegates=60)
    election = Election.objects.create(
        congress=congress,
        title="Bầu đoàn đại biểu dự Đại hội đại biểu Đảng bộ quận lần thứ XII",
        kind=Election.Kind.DELEGATION,
        seats=seats,
        alternates=alternates,
        # P15: officials and alternates on one ballot, so one result lists both.
        delegation_mode=Election.DelegationMode.ONE_BALLOT,
        status=Election.Status.CLOSED,
        base=60,
        present_at_vote=58,
        ballots_issued=58,
    )
    names = LONG_NAMES[:candidates]
    order = ballot_order(names)
    for i, name in enumerate(names):
        Candidate.objects.create(
            election=election,
            code=f"c{i + 1:02d}",
            full_name=name,
            status=Candidate.Status.ON_LIST,
            ballot_position=order.index(name) + 1,
        )
    batch = PaperBatch.objects.create(election=election, number=1, is_reconciled=True)
    rows = valid_rows(votes, 57, seats + alternates)
    rows.append((0,) * candidates)  # all struck: invalid
    codes = [f"c{i + 1:02d}" for i in range(candidates)]
    for n, row in enumerate(rows, start=1):
        PaperBallot.objects.create(
            election=election, batch=batch, ballot_number=str(n), marks=dict(zip(codes, row, strict=True))
        )
    counting.certify(election, HEAD)
    counting.release_result(election, CHAIR)
    return election


def open_screen(browser: Browser, server_url: str, election: Election, width: int, height: int) -> Page:
    congress = Congress.objects.get(pk=election.congress_id)
    page = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN").new_page()
    page.goto(f"{server_url}/c/{congress.slug}/screen/{congress.screen_token}/")
    return page


# One look at the page, taken in a single evaluation so that every figure comes from the same layout.
MEASURE = """() => {
  const box = (n) => { const r = n.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  const result = document.querySelector("[data-voting-section='result']");
  return {
    viewport: {width: window.innerWidth, height: window.innerHeight},
    scroll: {height: document.scrollingElement.scrollHeight, width: document.scrollingElement.scrollWidth},
    panel: box(document.getElementById("voting-screen")),
    rows: Array.from(result.querySelectorAll(".voting-bar")).map(box),
    lines: Array.from(result.querySelectorAll("[data-field]")).map(n => ({field: n.dataset.field, ...box(n)})),
    clipped: Array.from(result.querySelectorAll(".voting-bar-name, .voting-bar-figure"))
      .filter(n => n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 1)
      .map(n => n.textContent),
  };
}"""


def inside(box: dict, outer: dict) -> bool:
    return (
        box["width"] > 0
        and box["height"] > 0
        and outer["x"] <= box["x"]
        and box["x"] + box["width"] <= outer["x"] + outer["width"]
        and outer["y"] <= box["y"]
        and box["y"] + box["height"] <= outer["y"] + outer["height"]
    )


def assert_fits(page: Page, rows: int) -> None:
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    result = page.locator("[data-voting-section='result']")
    # Fitted for this very viewport (the fit runs again when the window is resized).
    expect(result).to_have_attribute("data-fit-size", f"{width}x{height}")
    expect(result).to_have_attribute("data-fit", re.compile(r"^[01]\.\d{3}$"))
    look = page.evaluate(MEASURE)
    assert look["viewport"] == {"width": width, "height": height}
    assert len(look["rows"]) == rows
    screen = {"x": 0, "y": 0, "width": width, "height": height}
    for i, row in enumerate(look["rows"]):
        assert inside(row, screen), (i, row)
        assert inside(row, look["panel"]), (i, row)  # not hidden under the panel's edge either
    assert look["scroll"]["height"] <= height and look["scroll"]["width"] <= width
    # No name is cut: each shows all of its text (wrapped if need be, never clipped).
    assert look["clipped"] == []
    # The elected and any next round stay on the screen below the chart.
    for line in look["lines"]:
        assert inside(line, look["panel"]), line


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_a_result_of_32_candidates_fits_the_projector_without_scrolling(
    browser: Browser, server_url: str, width: int, height: int
):
    election = released_result(32, VOTES, seats=24, alternates=3)
    result = election.result
    assert len(result["elected"]) == 24 and len(result["elected_alternates"]) == 2
    assert result["next_round"]["reason"] == "tie"

    page = open_screen(browser, server_url, election, width, height)
    assert_fits(page, 32)
    screen = page.locator("#screen")
    expect(screen).to_have_attribute("data-voting-wide", "yes")
    on_screen = page.locator("[data-voting-section='result']")
    expect(on_screen).to_have_attribute("data-columns", "3")
    # The elected are marked on their rows, the tied too, and the next round is said.
    expect(on_screen.locator(".voting-bar.elected .voting-mark")).to_have_count(24)
    expect(on_screen.locator(".voting-bar.elected_alternate .voting-mark")).to_have_count(2)
    expect(on_screen.locator(".voting-bar.tied .voting-mark")).to_have_count(2)
    expect(on_screen.locator(".voting-bar").first).to_contain_text("Nguyễn Thị Thanh Hương")
    expect(on_screen.locator(".voting-bar").first).to_contain_text("57 phiếu · 95,00%")
    expect(on_screen.locator("[data-field=next-round]")).to_contain_text("Trịnh Thị Xuân Mai")
    expect(on_screen.locator("[data-field=next-round]")).to_contain_text("La Văn Sáng")
    # The audit chain's head anchored at the release, as the announcement prints it.
    released = Anchor.objects.get(reason="election.release", ref=f"election:{election.pk}")
    expect(on_screen.locator("[data-field=anchor]")).to_contain_text(f"(#{released.seq}): {released.short}")
    expect(on_screen.locator("[data-field=anchor]")).to_contain_text(released.hash)
    if width == 1920 and os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "result-screen-32.png"))

    # A smaller projector after the page is up: the layout fits again.
    page.set_viewport_size({"width": 1024, "height": 576})
    assert_fits(page, 32)
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_a_short_result_fills_the_screen_like_a_long_one(
    browser: Browser, server_url: str, width: int, height: int
):
    election = released_result(5, [50, 44, 40, 21, 12], seats=3)
    page = open_screen(browser, server_url, election, width, height)
    assert_fits(page, 5)
    expect(page.locator("#screen")).to_have_attribute("data-voting-wide", "yes")  # the whole body
    on_screen = page.locator("[data-voting-section='result']")
    expect(on_screen).to_have_attribute("data-columns", "1")
    expect(on_screen).not_to_have_attribute("data-fit", "")
    assert float(on_screen.get_attribute("data-fit") or 0) > 1.05  # the type grew to fill the screen
    body = page.locator(".scr-body").bounding_box()
    result = on_screen.bounding_box()
    assert result["width"] > 0.85 * body["width"]  # not a corner: the result spans the screen
    expect(page.locator(".scr-attendance")).to_be_hidden()
    title = page.locator(".scr-name")
    head = page.locator(".scr-head").bounding_box()
    box = title.bounding_box()
    assert box["y"] >= head["y"] and box["y"] + box["height"] <= head["y"] + head["height"]
    if width == 1920 and os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "result-screen.png"))
    expect(on_screen.locator(".voting-bar.elected")).to_have_count(3)
    page.context.close()


def test_a_result_of_40_candidates_fits_a_720p_projector(browser: Browser, server_url: str):
    # 30 seats, only 27 pass half of N: the next round names the 13 others, and it must stay on screen.
    election = released_result(40, list(range(57, 17, -1)), seats=30)
    assert election.result["next_round"]["reason"] == "not_enough_passed"
    page = open_screen(browser, server_url, election, 1280, 720)
    assert_fits(page, 40)
    expect(page.locator("[data-voting-section='result']")).to_have_attribute("data-columns", "3")
    expect(page.locator("[data-field=next-round]")).to_contain_text("Khổng Minh Tâm")
    page.context.close()
