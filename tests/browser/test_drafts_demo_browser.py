"""The tour on the demo: a delegate reads the political report on a phone, the secretariat makes the
synthesis of its ~250 comments, and the report PDF counts what the editor shows. With
DAIHOI_SCREENSHOTS=1 it writes the README's screenshots (docs/screenshots/drafts-*.png)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from daihoi.congress.demo import DEMO_PASSWORD, load_demo
from daihoi.drafts.models import Comment, DraftDocument

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 1000}, "locale": "vi-VN"}
SHOOT = os.environ.get("DAIHOI_SCREENSHOTS") == "1"


@pytest.mark.django_db(transaction=True)
def test_the_demo_tour_phone_reading_page_synthesis_editor_and_report(
    server_url: str, browser: Browser, tmp_path: Path
):
    ward = load_demo()
    report = DraftDocument.objects.filter(congress=ward, kind="own_report").get()
    section = report.current_sections().get(order=2)
    me = ward.delegates.get(number=17)

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(server_url + reverse("delegate_card", args=[me.code]))
    phone.goto(server_url + reverse("my_section", args=[ward.slug, report.pk, section.pk]))
    expect(phone.locator("h1")).to_have_text(section.title)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    weight = phone.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    assert weight < 12_000, f"the reading page weighs {weight} bytes"
    phone.check("input[name=kind][value=add]")
    phone.fill("#id_text", "Bổ sung kết quả xây dựng khu phố văn hóa gắn với tự quản.")
    if SHOOT:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "drafts-phone-section.png"))
    phone.click("[data-action=comment]")
    expect(phone.locator(".mine li")).to_have_count(1)

    desk = browser.new_context(**DESKTOP).new_page()
    desk.goto(server_url + reverse("synthesis_editor", args=[ward.slug, report.pk]))
    desk.fill("#id_username", "thuky")
    desk.fill("#id_password", DEMO_PASSWORD)
    desk.click("button[type=submit]")
    desk.click("[data-action=make]")
    total = Comment.objects.filter(draft=report).count()
    expect(desk.locator("[data-field=comments]")).to_have_text(f"{total} ý kiến")
    groups = desk.locator("article.group")
    first = groups.first
    units = int(first.get_attribute("data-units") or 0)
    assert units >= 2
    if SHOOT:
        desk.locator("h2").first.scroll_into_view_if_needed()
        desk.screenshot(path=str(SCREENSHOTS / "drafts-synthesis-editor.png"))

    response = desk.request.get(server_url + reverse("synthesis_report", args=[ward.slug, report.pk, "pdf"]))
    assert response.status == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý" in text
    assert f"Số đơn vị góp ý: {units} đơn vị:" in " ".join(text.split())
    if SHOOT:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile", str(pdf),
             str(SCREENSHOTS / "drafts-report-pdf")],
            check=True,
        )  # fmt: skip
