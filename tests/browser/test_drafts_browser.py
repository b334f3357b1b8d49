"""A delegate comments on a section from a phone; the secretariat makes the synthesis, moves that comment
into another group and merges two groups; the counts on the editor and on the report PDF follow."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.access import SYSTEM, Role
from daihoi.drafts.actions import comments as comment_actions
from daihoi.drafts.models import Comment, DraftDocument
from tests.drafts.helpers import make_draft
from tests.factories import PASSWORD, make_congress, make_staff

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}

BUSINESS = "Bổ sung số hộ kinh doanh chuyển lên doanh nghiệp trong nhiệm kỳ."
FAMILIES = "Đề nghị đánh giá thực chất danh hiệu gia đình văn hóa, tránh chạy theo số lượng."
ELDERLY = "Bổ sung kết quả chăm sóc người cao tuổi neo đơn, không nơi nương tựa."
MINE = "Đề nghị nêu số trẻ em được tiêm chủng đầy đủ trong nhiệm kỳ."


def _group_of(page: Page, text: str):
    return page.locator("article.group", has=page.locator("li[data-comment]", has_text=text))


def _pdf_text(page: Page, url: str, tmp_path: Path) -> str:
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


@pytest.mark.django_db(transaction=True)
def test_delegate_comments_from_a_phone_and_the_secretariat_moves_and_merges_with_counts_following(
    server_url: str, browser: Browser, tmp_path: Path
):
    congress = make_congress(delegates=3, units=3)
    draft = make_draft(congress)
    for unit, section, text in [
        ("Chi bộ khu phố 1", "s01", BUSINESS),
        ("Chi bộ khu phố 2", "s01", BUSINESS),
        ("Chi bộ khu phố 3", "vhxh", FAMILIES),
        ("Chi bộ khu phố 1", "vhxh", ELDERLY),
    ]:
        comment_actions._create(
            draft, SYSTEM, "comment.test", text=text, source=Comment.Source.FILE, unit_name=unit,
            section=comment_actions.current_section(draft, section), kind="",
        )  # fmt: skip
    secretary = make_staff(congress, Role.SECRETARIAT)
    me = congress.delegates.get(number=1)
    section = draft.current_sections().get(key="vhxh")

    # The delegate signs in with the card's code and reads the section on the phone.
    phone = browser.new_context(**PHONE).new_page()
    phone.goto(server_url + reverse("delegate_card", args=[me.code]))
    phone.goto(server_url + reverse("my_drafts", args=[congress.slug]))
    phone.click(f"text={section.title}")
    expect(phone.locator("h1")).to_have_text(section.title)
    expect(phone.locator("#text .ln").first).to_have_text("3")  # numbering runs through the draft
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    phone.fill("textarea[name=note]", "Hỏi thêm về tiêu chí")
    phone.click("[data-action=note]")
    phone.check("input[name=kind][value=amend]")
    phone.fill("#id_text", MINE)
    phone.click("[data-action=comment]")
    expect(phone.locator(".mine li")).to_have_text("Sửa đổi: " + MINE)
    expect(phone.locator("textarea[name=note]")).to_have_value("Hỏi thêm về tiêu chí")

    # The secretariat makes the first draft of the synthesis.
    desk = browser.new_context(**DESKTOP).new_page()
    desk.goto(server_url + reverse("synthesis_editor", args=[congress.slug, draft.pk]))
    desk.fill("#id_username", secretary.username)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.click("[data-action=make]")
    expect(desk.locator("[data-field=comments]")).to_have_text("5 ý kiến")
    business, families, elderly = (
        _group_of(desk, BUSINESS),
        _group_of(desk, FAMILIES),
        _group_of(desk, ELDERLY),
    )
    expect(business).to_have_attribute("data-units", "2")
    expect(elderly).to_have_attribute("data-units", "1")
    families_id = families.get_attribute("data-group")
    elderly_id = elderly.get_attribute("data-group")
    assert families_id != elderly_id

    # Move the delegate's comment into the families group (wherever the engine put it).
    mine = Comment.objects.get(text=MINE)
    if _group_of(desk, MINE).get_attribute("data-group") == families_id:
        pytest.fail(
            "the engine put the delegate's comment with the families point already; pick another text"
        )
    move = desk.locator(f"li[data-comment='{mine.pk}'] form")
    move.locator("input[name=to_group]").fill(families_id)
    move.locator("[data-action=move]").click()
    families = desk.locator(f"article[data-group='{families_id}']")
    expect(families).to_have_attribute("data-units", "2")
    expect(families.locator("[data-field=unit-names]")).to_have_text("Chi bộ khu phố 3, Đại biểu số 1")

    # Merge the elderly group into the families group.
    desk.check(f"article[data-group='{families_id}'] input[name=groups]")
    desk.check(f"article[data-group='{elderly_id}'] input[name=groups]")
    desk.click("[data-action=merge]")
    merged = desk.locator(f"article[data-group='{families_id}']")
    expect(merged).to_have_attribute("data-units", "3")
    expect(merged.locator("[data-field=units]")).to_have_text("3 đơn vị")
    expect(desk.locator(f"article[data-group='{elderly_id}']")).to_have_count(0)

    # The report follows: the merged point is raised by 3 units, which are named.
    text = _pdf_text(
        desk, server_url + reverse("synthesis_report", args=[congress.slug, draft.pk, "pdf"]), tmp_path
    )
    assert "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý" in text
    assert "3 đơn vị: Chi bộ khu phố 1, Chi bộ khu phố 3, Đại biểu số 1." in text
    assert "2 đơn vị: Chi bộ khu phố 1, Chi bộ khu phố 2." in text
    assert DraftDocument.objects.get(pk=draft.pk).synthesis.groups.count() == 2
