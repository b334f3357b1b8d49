"""The drafts pages through the gate, as named people: organizer, secretariat, presidium, delegate,
outsider, and a unit secretary with only a token link."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import SYSTEM, Role
from daihoi.drafts.actions import comments as comment_actions
from daihoi.drafts.actions import synthesis as synthesis_actions
from daihoi.drafts.models import Comment, DraftDocument, Group, Note
from tests.drafts.helpers import DRAFT_MD, csv_bytes, make_draft
from tests.factories import delegate_client, login_as, make_congress

pytestmark = pytest.mark.django_db


def test_secretariat_imports_a_draft_and_reads_it_with_line_numbers():
    congress = make_congress(delegates=1)
    client = login_as(Client(), congress, Role.SECRETARIAT)
    upload = SimpleUploadedFile("du-thao.md", DRAFT_MD.encode(), content_type="text/markdown")
    response = client.post(
        reverse("draft_import", args=[congress.slug]), {"file": upload, "kind": "upper_draft"}
    )
    draft = DraftDocument.objects.get(congress=congress)
    assert response.status_code == 302 and response["Location"] == reverse(
        "draft", args=[congress.slug, draft.pk]
    )
    assert draft.kind == "upper_draft" and draft.title == "Dự thảo Báo cáo chính trị"
    page = client.get(response["Location"]).content.decode()
    assert '<span class="ln">1</span>Thu ngân sách đạt 128% chỉ tiêu.' in page
    assert '<span class="ln">4</span>Tổng thu ngân sách' in page
    listing = client.get(reverse("drafts", args=[congress.slug])).content.decode()
    assert "Dự thảo Báo cáo chính trị" in listing


def test_a_bad_draft_file_is_refused_with_its_code_and_nothing_is_stored():
    congress = make_congress(delegates=1)
    client = login_as(Client(), congress, Role.ORGANIZER)
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4")
    response = client.post(
        reverse("draft_import", args=[congress.slug]), {"file": upload, "kind": "own_report"}
    )
    assert response.status_code == 400
    assert b'data-code="bad_draft_type"' in response.content
    assert not DraftDocument.objects.exists()


def test_presidium_reads_drafts_but_cannot_import_and_a_delegate_cannot_see_the_staff_pages():
    congress = make_congress(delegates=1)
    make_draft(congress)
    presidium = login_as(Client(), congress, Role.PRESIDIUM)
    assert presidium.get(reverse("drafts", args=[congress.slug])).status_code == 200
    assert presidium.get(reverse("draft_import", args=[congress.slug])).status_code == 403
    delegate = delegate_client(Client(), congress.delegates.get())
    assert delegate.get(reverse("drafts", args=[congress.slug])).status_code == 403


def test_an_outsider_cannot_open_another_congresss_draft():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    other = make_congress(delegates=1)
    outsider = login_as(Client(), other, Role.ORGANIZER)
    refused = outsider.get(reverse("draft", args=[congress.slug, draft.pk]))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("login"))
    # Through their own congress's URL the draft does not exist.
    assert outsider.get(reverse("draft", args=[other.slug, draft.pk])).status_code == 404


def test_delegate_reads_a_section_keeps_a_private_note_and_comments_with_a_kind():
    congress = make_congress(delegates=2)
    draft = make_draft(congress)
    section = draft.current_sections().get(key="vhxh")
    me = congress.delegates.get(number=1)
    client = delegate_client(Client(), me)
    url = reverse("my_section", args=[congress.slug, draft.pk, section.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span class="ln">3</span>Tỷ lệ gia đình văn hóa đạt 96,5%.' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html  # no external assets
    assert len(page.content) < 20_000
    assert client.post(url, {"op": "note", "note": "Hỏi về tiêu chí"}).status_code == 302
    assert Note.objects.get(delegate=me).text == "Hỏi về tiêu chí"
    assert client.post(url, {"op": "note", "note": ""}).status_code == 302
    assert not Note.objects.filter(delegate=me).exists()
    assert client.post(url, {"op": "note", "note": "Hỏi về tiêu chí"}).status_code == 302
    refused = client.post(url, {"op": "comment", "kind": "", "text": "Thiếu loại"})
    assert refused.status_code == 400 and b'data-code="kind_required"' in refused.content
    assert (
        client.post(url, {"op": "comment", "kind": "amend", "text": "Đánh giá thực chất"}).status_code == 302
    )
    comment = Comment.objects.get()
    assert (comment.delegate, comment.section, comment.kind, comment.source) == (
        me,
        section,
        "amend",
        "phone",
    )
    # Another delegate sees neither the note nor the comment on the same page.
    other = delegate_client(Client(), congress.delegates.get(number=2)).get(url).content.decode()
    assert "Hỏi về tiêu chí" not in other and "Đánh giá thực chất" not in other


def test_unit_secretary_sends_comments_on_the_token_link_without_an_account():
    congress = make_congress(delegates=1, units=2)
    draft = make_draft(congress)
    (link, _second) = comment_actions.unit_links_for_cells(congress, SYSTEM)
    client = Client()
    url = reverse("unit_form", args=[link.token])
    assert client.get(url).status_code == 200
    section = draft.current_sections().get(key="s01")
    response = client.post(
        url,
        {
            "draft": draft.pk,
            "section": [str(section.pk), ""],
            "kind": ["add", ""],
            "text": ["Bổ sung số hộ kinh doanh", ""],
        },
    )
    assert response.status_code == 302
    assert list(Comment.objects.values_list("unit_name", "source", "section__key")) == [
        ("Chi bộ khu phố 1", "unit_form", "s01")
    ]
    assert Client().get(reverse("unit_form", args=["wrong-token"])).status_code == 404


def test_an_import_with_bad_rows_shows_its_report_and_writes_nothing():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    client = login_as(Client(), congress, Role.SECRETARIAT)
    data = csv_bytes(
        [
            ["Mục", "Nội dung góp ý", "Đơn vị"],
            ["1", "Tốt", "Chi bộ khu phố 1"],
            ["12", "Mục sai", "Chi bộ khu phố 2"],
        ]
    )
    response = client.post(
        reverse("comments_import", args=[congress.slug, draft.pk]),
        {"file": SimpleUploadedFile("g.csv", data)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-code="rows_refused"' in html and 'data-row="3" data-code="unknown_section"' in html
    assert not Comment.objects.exists()


def test_secretariat_types_a_floor_comment_linked_to_the_speaker_entry():
    from django.utils import timezone

    from daihoi.congress.models import SpeakerRequest

    congress = make_congress(delegates=2)
    draft = make_draft(congress)
    entry = SpeakerRequest.objects.create(
        congress=congress,
        delegate=congress.delegates.get(number=2),
        topic="Văn hóa",
        requested_at=timezone.now(),
    )
    client = login_as(Client(), congress, Role.SECRETARIAT)
    url = reverse("draft_comments", args=[congress.slug, draft.pk])
    response = client.post(
        url, {"speaker_request": entry.pk, "section": "", "kind": "", "text": "Nói về văn hóa"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().speaker_request == entry


def _synthesized(congress):
    draft = make_draft(congress)
    for unit, section, text in [
        ("Chi bộ 1", "s01", "Bổ sung số hộ kinh doanh"),
        ("Chi bộ 2", "s01", "Bổ sung số hộ kinh doanh"),
        ("Chi bộ 3", "s03", "Nâng chỉ tiêu thu ngân sách lên 12%"),
    ]:
        comment_actions._create(
            draft, SYSTEM, "comment.test", text=text, source="file", unit_name=unit,
            section=comment_actions.current_section(draft, section), kind="add",
        )  # fmt: skip
    return draft


def test_the_editor_makes_the_first_draft_then_merges_and_the_report_follows():
    congress = make_congress(delegates=1)
    draft = _synthesized(congress)
    client = login_as(Client(), congress, Role.SECRETARIAT)
    url = reverse("synthesis_editor", args=[congress.slug, draft.pk])
    assert client.post(url, {"op": "make"}).status_code == 302
    groups = list(Group.objects.order_by("pk"))
    assert sorted(g.units for g in groups) == [1, 2]
    assert client.post(url, {"op": "merge", "groups": [g.pk for g in groups]}).status_code == 302
    merged = Group.objects.get()
    assert merged.units == 3
    page = client.get(url).content.decode()
    assert f'data-group="{merged.pk}" data-units="3"' in page
    edit = client.post(url, {"op": "edit", "group": merged.pk, "status": "left_out", "response": ""})
    assert edit.status_code == 400 and b'data-code="response_required"' in edit.content
    pdf = client.get(reverse("synthesis_report", args=[congress.slug, draft.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    exported = client.get(reverse("synthesis_export", args=[congress.slug, draft.pk, "json"])).json()
    assert [g["units"] for s in exported["sections"] for g in s["groups"]] == [3]


def test_upper_import_page_takes_many_files_at_once():
    import json

    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    client = login_as(Client(), congress, Role.ORGANIZER)
    files = [
        SimpleUploadedFile(
            f"{n}.json",
            json.dumps(
                {
                    "unit": f"Đảng bộ phường {n}",
                    "sections": [
                        {"section": "s01", "groups": [{"summary": "Ý kiến", "units": n, "kind": "add"}]}
                    ],
                }
            ).encode(),
        )
        for n in (3, 4)
    ]
    response = client.post(reverse("upper_import", args=[congress.slug, draft.pk]), {"files": files})
    assert response.status_code == 302
    assert sorted(Comment.objects.values_list("weight_subunits", flat=True)) == [3, 4]
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    (group,) = synthesis.groups.all()
    assert (group.units, group.subunits) == (2, 7)


def test_the_xlsx_export_reads_back_as_incoming_comments():
    from daihoi.drafts.actions.upper import import_lower_syntheses
    from daihoi.drafts.report import export_xlsx

    ward = make_congress(delegates=1)
    draft = _synthesized(ward)
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    data = export_xlsx(synthesis)
    district = make_congress(delegates=1)
    upper = make_draft(district)
    report = import_lower_syntheses(upper, SYSTEM, files=[("ward.xlsx", data)])
    assert report.is_ok
    weights = sorted(Comment.objects.filter(draft=upper).values_list("weight_subunits", flat=True))
    assert weights == sorted(g.units for g in synthesis.groups.all())
    assert io.BytesIO(data).read(2) == b"PK"


def test_a_new_version_uploaded_on_its_page_keeps_the_comments_of_unchanged_sections():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    comment_actions._create(
        draft, SYSTEM, "comment.test", text="Ý kiến", source="file", unit_name="Chi bộ 1",
        section=comment_actions.current_section(draft, "s03"), kind="add",
    )  # fmt: skip
    client = login_as(Client(), congress, Role.SECRETARIAT)
    upload = SimpleUploadedFile("v2.md", DRAFT_MD.replace("128%", "130%").encode())
    response = client.post(reverse("draft_version", args=[congress.slug, draft.pk]), {"file": upload})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.section.version == 2 and not comment.is_on_changed_section
    page = client.get(reverse("draft", args=[congress.slug, draft.pk])).content.decode()
    assert "130%" in page and "128%" not in page
