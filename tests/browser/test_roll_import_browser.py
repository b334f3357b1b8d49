"""The organizer uploads a roll with mistakes: the page names each row and problem, and nothing is imported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import Role
from daihoi.congress.models import Congress, Delegate, Guest
from tests.factories import PASSWORD, make_congress, make_staff
from tests.support.roll import row, xlsx

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "roll-import-errors.png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def serious_axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.django_db(transaction=True)
def test_organizer_uploads_a_bad_roll_sees_every_bad_row_and_the_roll_stays_empty(
    server_url: str, browser: Browser
):
    congress = make_congress(delegates=0, guests=0, state=Congress.State.PREPARATION)
    organizer = make_staff(congress, Role.ORGANIZER)
    import_url = server_url + reverse("roll_import", args=[congress.slug])
    bad_file = xlsx(
        [
            row(1, name="Nguyễn Văn An"),
            row(2, name="Trần Thị Bình", born="31/02/1970"),
            row(3, name="Lê Văn Cường", unit="Chi bộ Trường học"),
            row(4, name="Phạm Thị Dung"),
            row(5, name="Nguyễn Văn An", phone="0911222333", seat="Z1"),  # same person as row 2
            ["", "Khách Quận ủy", "", "", "Quận ủy", "Khách mời", "", "", "", ""],
        ]
    )

    # `browser`, not pytest-playwright's `page`: that one pulls in pytest-base-url, whose session fixture
    # is an instance method that this pytest deprecates (and warnings are errors).
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(import_url)  # not signed in: the gate sends the organizer to the login page and back
    page.fill("#id_username", organizer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Nhập danh sách đại biểu và khách mời")

    page.set_input_files(
        "#id_file", files=[{"name": "danh-sach-dai-bieu.xlsx", "mimeType": XLSX, "buffer": bad_file}]
    )
    page.click("text=Kiểm tra và nhập")

    report = page.locator(".import-report")
    expect(report.locator("h2")).to_have_text(
        "Chưa nhập gì: tệp “danh-sach-dai-bieu.xlsx” có 3 lỗi ở 3 dòng."
    )
    problems = report.locator("tbody tr")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_have_attribute("data-row", "3")
    expect(problems.nth(0)).to_contain_text("Dòng 3, cột Ngày sinh: “31/02/1970” không phải ngày hợp lệ")
    expect(problems.nth(1)).to_have_attribute("data-code", "unknown_unit")
    expect(problems.nth(1)).to_contain_text(
        f"Dòng 4, cột Chi bộ: không có chi bộ “Chi bộ Trường học” trong {congress.organization.name}"
    )
    expect(problems.nth(2)).to_contain_text(
        "Dòng 6: trùng với dòng 2 (cùng họ tên “Nguyễn Văn An” và ngày sinh 05/09/1970)"
    )
    assert serious_axe_violations(page) == []
    if os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    assert Delegate.objects.filter(congress=congress).count() == 0
    assert Guest.objects.filter(congress=congress).count() == 0
