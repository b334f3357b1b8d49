"""The term's pages through the gate, as named people: the secretariat drafts, the presidium proposes the
adoption, the standing committee enters a year, a delegate and an outsider are refused, the public link
answers only while published."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import Role
from daihoi.term import actions
from daihoi.term.models import Target, TargetValue
from daihoi.voting.models import Motion
from tests.factories import delegate_client, login_as, make_congress
from tests.term.helpers import adopt, drafted, xlsx

pytestmark = pytest.mark.django_db


def test_secretariat_drafts_the_resolution_through_the_pages():
    c = make_congress()
    client = login_as(Client(), c, Role.SECRETARIAT)
    client.post(
        reverse("term_resolution_save", args=[c.slug]), {"general_goal": "Mục tiêu A", "other_articles": ""}
    )
    client.post(
        reverse("term_target_add", args=[c.slug]),
        {"name": "Kết nạp đảng viên", "kind": "total", "direction": "at_least", "target_value": "80",
         "unit": "đảng viên", "area": "party_building", "mean": "compound", "baseline": ""},
    )  # fmt: skip
    client.post(reverse("term_task_add", args=[c.slug]), {"text": "Chuyển đổi số", "is_breakthrough": "on"})
    page = client.get(reverse("term_home", args=[c.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mục tiêu A" in body and "Kết nạp đảng viên" in body and "Chuyển đổi số" in body
    assert 'data-state="draft"' in body


def test_a_bad_target_shows_the_coded_error_and_adds_nothing():
    c = make_congress()
    client = login_as(Client(), c, Role.SECRETARIAT)
    response = client.post(
        reverse("term_target_add", args=[c.slug]),
        {"name": "X", "kind": "total", "direction": "at_least", "target_value": "8,5", "area": "other"},
        follow=True,
    )
    assert "không phải số thập phân" in response.content.decode()
    assert not Target.objects.filter(congress=c).exists()


def test_presidium_proposes_adoption_and_lands_on_the_motion_page():
    c = drafted()
    client = login_as(Client(), c, Role.PRESIDIUM)
    response = client.post(reverse("term_adopt", args=[c.slug]), {"method": "electronic"})
    motion = Motion.objects.get(congress=c, kind=Motion.Kind.RESOLUTION)
    assert response.status_code == 302 and response["Location"] == reverse(
        "motion_detail", args=[c.slug, motion.pk]
    )
    assert motion.method == Motion.Method.ELECTRONIC


def test_delegate_and_outsider_are_refused_and_the_delegate_cannot_post_values():
    c = drafted()
    adopt(c)
    target = Target.objects.get(congress=c, number=3, is_review=False)
    delegate = delegate_client(Client(), c.delegates.first())
    assert delegate.get(reverse("term_dashboard", args=[c.slug])).status_code == 403
    assert (
        delegate.post(
            reverse("term_year_save", args=[c.slug, 2021]), {f"value-{target.pk}": "10"}
        ).status_code
        == 403
    )
    presidium = login_as(Client(), c, Role.PRESIDIUM)
    assert presidium.get(reverse("term_year", args=[c.slug, 2021])).status_code == 200
    assert (
        presidium.post(
            reverse("term_year_save", args=[c.slug, 2021]), {f"value-{target.pk}": "10"}
        ).status_code
        == 403
    )
    other = login_as(Client(), make_congress(), Role.ORGANIZER)
    refused = other.get(reverse("term_home", args=[c.slug]))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("login"))
    assert not TargetValue.objects.exists()


def test_adopted_resolution_page_has_no_edit_forms_and_edits_are_refused():
    c = drafted()
    adopt(c)
    client = login_as(Client(), c, Role.SECRETARIAT)
    body = client.get(reverse("term_home", args=[c.slug])).content.decode()
    assert 'data-state="adopted"' in body
    assert (
        'id="resolution-form"' not in body
        and 'id="target-form"' not in body
        and 'id="adopt-form"' not in body
    )
    response = client.post(
        reverse("term_resolution_save", args=[c.slug]),
        {"general_goal": "Đổi", "other_articles": ""},
        follow=True,
    )
    assert "đã được đại hội thông qua" in response.content.decode()
    assert actions.resolution_of(c).general_goal == "Xây dựng phường văn minh."


def test_standing_committee_enters_a_year_and_the_dashboard_changes():
    c = drafted()
    adopt(c)
    client = login_as(Client(), c, Role.ORGANIZER)
    before = client.get(reverse("term_dashboard", args=[c.slug])).content.decode()
    assert before.count('data-pace="no_data"') == 4 and 'data-year="2021"' not in before
    targets = list(Target.objects.filter(congress=c, is_review=False))
    data = {f"value-{t.pk}": v for t, v in zip(targets, ["110", "2.6", "16", "100"], strict=True)}
    data[f"note-{targets[0].pk}"] = "Vượt dự toán"
    response = client.post(reverse("term_year_save", args=[c.slug, 2021]), data)
    assert response.status_code == 302
    after = client.get(reverse("term_dashboard", args=[c.slug])).content.decode()
    assert after.count('data-pace="on_track"') == 3 and after.count('data-pace="at_risk"') == 1
    assert after.count('data-year="2021"') == 4 and "<script" not in after
    report = client.get(reverse("term_year_report", args=[c.slug, 2021]))
    assert report.status_code == 200 and report.content.startswith(b"PK")
    assert client.get(reverse("term_year", args=[c.slug, 2031])).status_code == 404
    import io

    from docx import Document as Docx

    midterm = Docx(io.BytesIO(client.get(reverse("term_midterm", args=[c.slug])).content))
    text = "\n".join(p.text for p in midterm.paragraphs)
    assert "BÁO CÁO SƠ KẾT GIỮA NHIỆM KỲ 2020–2025" in text
    assert "Tiến độ đến năm 2021: 3 chỉ tiêu đúng tiến độ, 1 có nguy cơ không đạt, 0 không đạt." in text
    assert [c.text for c in midterm.tables[1].rows[1].cells][3:6] == [
        "110",
        "Đúng tiến độ",
        "Vượt dự toán",
    ]


def test_a_year_is_imported_from_excel_through_the_page():
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = drafted()
    adopt(c)
    client = login_as(Client(), c, Role.ORGANIZER)
    bad = xlsx([["STT", "Giá trị", "Ghi chú"], [1, 110, ""], [7, 5, ""]])
    response = client.post(
        reverse("term_year_save", args=[c.slug, 2021]), {"file": SimpleUploadedFile("y.xlsx", bad)}
    )
    assert response.status_code == 400 and 'data-code="unknown_target"' in response.content.decode()
    assert not TargetValue.objects.exists()
    good = xlsx([["STT", "Giá trị", "Ghi chú"], [1, 110, "ok"], [3, 16, ""]])
    response = client.post(
        reverse("term_year_save", args=[c.slug, 2021]), {"file": SimpleUploadedFile("y.xlsx", good)}
    )
    assert response["Location"] == reverse("term_dashboard", args=[c.slug])
    assert TargetValue.objects.filter(target__congress=c, year=2021).count() == 2


def test_a_bad_year_value_is_shown_and_nothing_is_saved():
    c = drafted()
    adopt(c)
    client = login_as(Client(), c, Role.SECRETARIAT)
    t = Target.objects.get(congress=c, number=1, is_review=False)
    response = client.post(reverse("term_year_save", args=[c.slug, 2021]), {f"value-{t.pk}": "-1"})
    assert response.status_code == 400
    assert 'data-code="target_value_not_positive"' in response.content.decode()
    assert not TargetValue.objects.exists()


def test_review_import_page_shows_the_row_report_and_the_table():
    c = make_congress()
    client = login_as(Client(), c, Role.SECRETARIAT)
    header = ["STT", "Chỉ tiêu", "Loại", "Hướng", "Chỉ tiêu đề ra", "2015", "2016"]
    bad = xlsx(
        [header, [1, "A", "total", "at_least", "5", None, 6], [2, "B", "total", "sideways", "5", None, 1]]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("term_review_import", args=[c.slug]), {"file": SimpleUploadedFile("bad.xlsx", bad)}
    )
    body = response.content.decode()
    assert (
        response.status_code == 400
        and 'id="import-problems"' in body
        and 'data-code="unknown_choice"' in body
    )
    assert not Target.objects.filter(congress=c).exists()
    good = xlsx([header, [1, "A", "total", "at_least", "5", None, 6]])
    response = client.post(
        reverse("term_review_import", args=[c.slug]),
        {"file": SimpleUploadedFile("good.xlsx", good)},
        follow=True,
    )
    body = response.content.decode()
    assert "1/1 chỉ tiêu đạt và vượt" in body and 'id="review-table"' in body
    xlsx_response = client.get(reverse("term_review_xlsx", args=[c.slug]))
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("term_review_docx", args=[c.slug])).content.startswith(b"PK")


def test_next_congress_from_the_dashboard_opens_its_review():
    c = drafted()
    adopt(c)
    client = login_as(Client(), c, Role.ORGANIZER)
    response = client.post(reverse("term_next_congress", args=[c.slug]), {"slug": "ke-tiep"})
    assert response["Location"] == reverse("term_review", args=["ke-tiep"])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Thu ngân sách tăng bình quân" in page.content.decode()


def test_news_is_public_only_while_published():
    c = drafted(guests=1)
    adopt(c)
    organizer = login_as(Client(), c, Role.ORGANIZER)
    page = organizer.get(reverse("term_news", args=[c.slug]))
    assert page.status_code == 200 and "Xây dựng phường văn minh." in page.content.decode()
    token = actions.news_page_of(c).token
    public = Client()
    assert public.get(reverse("term_public_news", args=[token])).status_code == 404
    secretariat = login_as(Client(), c, Role.SECRETARIAT)
    assert secretariat.post(reverse("term_news_publish", args=[c.slug]), {"publish": "1"}).status_code == 403
    organizer.post(reverse("term_news_publish", args=[c.slug]), {"publish": "1"})
    shown = public.get(reverse("term_public_news", args=[token]))
    assert shown.status_code == 200 and "thành công tốt đẹp" in shown.content.decode()
    assert "<form" not in shown.content.decode().split('id="news"')[1]
    organizer.post(reverse("term_news_publish", args=[c.slug]), {"publish": "0"})
    assert public.get(reverse("term_public_news", args=[token])).status_code == 404
    assert organizer.get(reverse("term_news_docx", args=[c.slug])).content.startswith(b"PK")


def test_the_last_terms_values_are_entered_per_year_and_judged():
    c = make_congress()
    header = ["STT", "Chỉ tiêu", "Loại", "Hướng", "Chỉ tiêu đề ra", "2015", "2016", "2017"]
    from daihoi.congress.access import SYSTEM
    from daihoi.term import imports

    imports.import_review(
        c, "r.xlsx", xlsx([header, [1, "A", "total", "at_least", "10", None, 6, None]]), SYSTEM
    )
    client = login_as(Client(), c, Role.SECRETARIAT)
    body = client.get(reverse("term_review", args=[c.slug])).content.decode()
    assert "Thiếu số liệu" in body and reverse("term_review_year", args=[c.slug, 2017]) in body
    t = Target.objects.get(congress=c, is_review=True)
    page = client.get(reverse("term_review_year", args=[c.slug, 2017]))
    assert page.status_code == 200
    response = client.post(
        reverse("term_review_year_save", args=[c.slug, 2017]),
        {f"value-{t.pk}": "4", f"note-{t.pk}": "Báo cáo bổ sung"},
    )
    assert response["Location"] == reverse("term_review", args=[c.slug])
    body = client.get(reverse("term_review", args=[c.slug])).content.decode()
    assert "1/1 chỉ tiêu đạt và vượt" in body
    assert client.get(reverse("term_review_year", args=[c.slug, 2020])).status_code == 404
