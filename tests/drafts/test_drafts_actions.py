"""The actions of the drafts app: import, versions, comments from every source, the synthesis edits."""

from __future__ import annotations

import json

import pytest

from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, SpeakerRequest
from daihoi.drafts.actions import comments as comment_actions
from daihoi.drafts.actions import documents
from daihoi.drafts.actions import synthesis as synthesis_actions
from daihoi.drafts.actions.imports import import_comments
from daihoi.drafts.actions.upper import import_lower_syntheses
from daihoi.drafts.models import Comment, Group, Note, Placement, UnitLink
from daihoi.drafts.report import export_json, export_xlsx, render, report_rows
from tests.drafts.helpers import DRAFT_MD, csv_bytes, make_draft
from tests.factories import make_congress

pytestmark = pytest.mark.django_db


def test_a_markdown_draft_is_split_into_parts_and_sections_with_their_keys():
    draft = make_draft(make_congress(delegates=2))
    sections = list(draft.current_sections())
    assert [s.key for s in sections] == ["s01", "vhxh", "s03"]
    assert [s.part.title for s in sections] == [
        "Phần thứ nhất. Kết quả",
        "Phần thứ nhất. Kết quả",
        "Phần thứ hai. Nhiệm vụ",
    ]
    assert sections[0].paragraphs == [
        "Thu ngân sách đạt 128% chỉ tiêu.",
        "Thương mại – dịch vụ tăng bình quân 11,2% mỗi năm.",
    ]
    assert AuditEntry.objects.filter(action="draft.imported", object_id=str(draft.pk)).count() == 1


def test_line_numbers_run_through_the_draft_and_wrap_at_80_characters():
    draft = make_draft(
        make_congress(delegates=1), DRAFT_MD.replace("Tỷ lệ gia đình văn hóa đạt 96,5%.", "chữ " * 30)
    )
    numbered = documents.numbered(list(draft.current_sections()))
    lines = [n for _s, paragraphs in numbered for para in paragraphs for n, _text in para]
    assert lines == list(range(1, len(lines) + 1))
    second = numbered[1][1][0]
    assert [len(text) for _n, text in second] == [79, 39]  # 30 words of 4 letters: 16 on the first line


def test_a_file_that_is_not_a_draft_is_refused_with_a_code():
    congress = make_congress(delegates=1)
    with pytest.raises(ActionError) as refused:
        documents.import_draft(congress, SYSTEM, filename="x.pdf", data=b"%PDF", kind="own_report")
    assert refused.value.code == "bad_draft_type"
    with pytest.raises(ActionError) as empty:
        documents.import_draft(congress, SYSTEM, filename="x.md", data=b"# Only a title\n", kind="own_report")
    assert empty.value.code == "no_sections"


def test_a_new_version_keeps_the_comments_of_unchanged_sections_and_flags_the_others():
    congress = make_congress(delegates=2)
    draft = make_draft(congress)
    delegate = congress.delegates.get(number=1)
    actor = Actor(roles=frozenset({"delegate"}), delegate=delegate)
    s1, s2, _s3 = draft.current_sections()
    kept = comment_actions.delegate_comment(draft, delegate, actor, section=s1, kind="amend", text="Ý kiến A")
    flagged = comment_actions.delegate_comment(
        draft, delegate, actor, section=s2, kind="add", text="Ý kiến B"
    )
    comment_actions.save_note(delegate, s1, actor, text="ghi chú")
    result = documents.import_new_version(
        draft, SYSTEM, filename="v2.md", data=DRAFT_MD.replace("96,5%", "97%").encode()
    )
    assert result == {"kept": 1, "flagged": 1}
    draft.refresh_from_db()
    kept.refresh_from_db()
    flagged.refresh_from_db()
    assert draft.version == 2
    assert kept.section.version == 2 and not kept.is_on_changed_section
    assert flagged.section.version == 1 and flagged.is_on_changed_section
    assert Note.objects.get().section.version == 2


def test_a_delegate_comment_needs_a_kind_and_a_section_of_the_current_version():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    delegate = congress.delegates.get()
    actor = Actor(roles=frozenset({"delegate"}), delegate=delegate)
    with pytest.raises(ActionError) as no_kind:
        comment_actions.delegate_comment(draft, delegate, actor, section="s01", kind="", text="x")
    assert no_kind.value.code == "kind_required"
    with pytest.raises(ActionError) as bad_section:
        comment_actions.delegate_comment(draft, delegate, actor, section="s99", kind="add", text="x")
    assert bad_section.value.code == "unknown_section"
    assert not Comment.objects.exists()


def test_a_correction_keeps_the_original_text_and_is_audited():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    delegate = congress.delegates.get()
    actor = Actor(roles=frozenset({"delegate"}), delegate=delegate)
    comment = comment_actions.delegate_comment(
        draft, delegate, actor, section="s01", kind="add", text="Bổ sung xx"
    )
    comment_actions.correct_comment(comment, SYSTEM, text="Bổ sung số liệu")
    comment.refresh_from_db()
    assert (comment.text, comment.original_text) == ("Bổ sung số liệu", "Bổ sung xx")
    entry = AuditEntry.objects.get(action="comment.corrected")
    assert entry.before["text"] == "Bổ sung xx" and entry.after["text"] == "Bổ sung số liệu"


def test_a_floor_comment_is_linked_to_the_speaker_list_entry():
    congress = make_congress(delegates=2)
    draft = make_draft(congress)
    delegate = congress.delegates.get(number=2)
    from django.utils import timezone

    entry = SpeakerRequest.objects.create(
        congress=congress, delegate=delegate, topic="Kinh tế", requested_at=timezone.now()
    )
    comment = comment_actions.floor_comment(
        draft, SYSTEM, speaker_request=entry, section="", kind="", text="Nói về thu ngân sách"
    )
    assert comment.source == Comment.Source.FLOOR
    assert comment.speaker_request == entry and comment.delegate == delegate
    assert comment.sender == "Đại biểu số 2"


def test_unit_links_one_per_cell_and_a_form_posts_the_units_comments():
    congress = make_congress(delegates=1, units=3)
    draft = make_draft(congress)
    links = comment_actions.unit_links_for_cells(congress, SYSTEM)
    assert [link.unit_name for link in links] == ["Chi bộ khu phố 1", "Chi bộ khu phố 2", "Chi bộ khu phố 3"]
    assert comment_actions.unit_links_for_cells(congress, SYSTEM) == []  # existing links are kept
    made = comment_actions.unit_form_comments(
        links[0],
        draft,
        [
            comment_actions.Entry("s01", "add", "Bổ sung A"),
            comment_actions.Entry("", "", "  "),
            comment_actions.Entry("", "", "Ý chung"),
        ],
    )
    assert len(made) == 2
    assert {c.unit_name for c in Comment.objects.all()} == {"Chi bộ khu phố 1"}
    Congress.objects.filter(pk=congress.pk).update(state=Congress.State.CLOSED)
    with pytest.raises(ActionError) as closed:
        comment_actions.unit_form_comments(
            UnitLink.objects.get(pk=links[1].pk), draft, [comment_actions.Entry("", "", "x")]
        )
    assert closed.value.code == "congress_closed"
    comment_actions.revoke_unit_link(links[0], SYSTEM)
    with pytest.raises(ActionError) as revoked:
        comment_actions.unit_form_comments(
            UnitLink.objects.get(pk=links[0].pk), draft, [comment_actions.Entry("", "", "x")]
        )
    assert revoked.value.code == "link_revoked"


def test_a_comment_file_with_bad_rows_is_refused_row_by_row_and_nothing_is_written():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    data = csv_bytes(
        [
            ["Danh sách ý kiến"],
            ["Mục", "Nội dung góp ý", "Đơn vị", "Loại ý kiến"],
            ["1", "Bổ sung số hộ kinh doanh", "Chi bộ khu phố 1", "bổ sung"],
            ["9", "Mục không có", "Chi bộ khu phố 2", ""],
            ["s03", "", "Chi bộ khu phố 3", ""],
            ["vhxh", "Ý kiến", "", "phản đối"],
        ]
    )
    audit_before = AuditEntry.objects.count()
    report = import_comments(draft, SYSTEM, filename="gop-y.csv", data=data)
    assert not report.is_ok
    assert [(p.row, p.code) for p in report.problems] == [
        (4, "unknown_section"),
        (5, "text_required"),
        (6, "unit_required"),
        (6, "bad_kind"),
    ]
    assert not Comment.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_good_comment_file_is_imported_whole_with_sections_found_by_number_key_or_title():
    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    data = csv_bytes(
        [
            ["muc", "noi dung gop y", "don vi"],
            ["Mục 1", "Bổ sung số hộ kinh doanh", "Chi bộ khu phố 1"],
            ["vhxh", "Đánh giá thực chất gia đình văn hóa", "Hội Phụ nữ"],
            ["3. Các chỉ tiêu chủ yếu", "Nâng chỉ tiêu lên 12%", "Chi bộ khu phố 2"],
            ["", "Thống nhất với dự thảo", "Chi bộ khu phố 3"],
        ]
    )
    report = import_comments(draft, SYSTEM, filename="gop-y.csv", data=data)
    assert report.is_ok and report.created == 4
    keys = list(Comment.objects.order_by("pk").values_list("section__key", flat=True))
    assert keys == ["s01", "vhxh", "s03", None]
    assert Comment.objects.get(unit_name="Chi bộ khu phố 1").unit is not None  # a cell of the congress
    assert Comment.objects.get(unit_name="Hội Phụ nữ").unit is None  # a free-text unit


def test_a_word_form_with_the_common_table_is_imported():
    from docx import Document

    congress = make_congress(delegates=1)
    draft = make_draft(congress)
    doc = Document()
    doc.add_paragraph("PHIẾU GÓP Ý")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("Mục", "Nội dung góp ý", "Đơn vị"),
            ("2", "Ý kiến về văn hóa", "Chi bộ khu phố 2"),
            ("", "Ý kiến chung", "Chi bộ khu phố 2"),
        ]
    ):
        for c, value in enumerate(row):
            table.rows[r].cells[c].text = value
    import io

    out = io.BytesIO()
    doc.save(out)
    report = import_comments(draft, SYSTEM, filename="phieu.docx", data=out.getvalue())
    assert report.is_ok and report.created == 2


def _commented(congress, texts):
    draft = make_draft(congress)
    for unit, section, kind, text in texts:
        comment_actions._create(
            draft,
            SYSTEM,
            "comment.test",
            text=text,
            source=Comment.Source.FILE,
            section=comment_actions.current_section(draft, section),
            kind=kind,
            unit_name=unit,
        )
    return draft


def _group_of(text, synthesis=None):
    """The group holding the comment(s) whose text contains `text`."""
    placements = Placement.objects.filter(comment__text__contains=text, group__isnull=False)
    if synthesis is not None:
        placements = placements.filter(synthesis=synthesis)
    (group,) = {p.group for p in placements.select_related("group")}
    return group


COMMENTS = [
    ("Chi bộ 1", "s01", "add", "Bổ sung số hộ kinh doanh"),
    ("Chi bộ 2", "s01", "add", "Bổ sung số hộ kinh doanh"),
    ("Chi bộ 1", "s01", "add", "Bổ sung số hộ kinh doanh"),
    ("Chi bộ 3", "s03", "amend", "Nâng chỉ tiêu thu ngân sách lên 12%"),
    ("Chi bộ 4", "s03", "amend", "Giảm chỉ tiêu thu ngân sách xuống 8%"),
    ("Chi bộ 5", "", "agree", "Thống nhất với dự thảo"),
]


def test_the_first_draft_places_every_comment_exactly_once_and_counts_distinct_units():
    congress = make_congress(delegates=1)
    draft = _commented(congress, COMMENTS)
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    placed = list(Placement.objects.filter(synthesis=synthesis).values_list("comment_id", flat=True))
    assert sorted(placed) == sorted(Comment.objects.values_list("pk", flat=True))
    for group in synthesis.groups.all():
        senders = {p.comment.sender for p in group.placements.select_related("comment")}
        assert group.units == len(senders) and sorted(senders) == group.unit_names
    agreements = Placement.objects.filter(synthesis=synthesis, group=None)
    assert [p.comment.text for p in agreements] == ["Thống nhất với dự thảo"]
    twelve = _group_of("12%")
    assert not twelve.placements.filter(comment__text__contains="8%").exists()


def test_move_merge_split_and_edit_recount_and_are_audited():
    congress = make_congress(delegates=1)
    draft = _commented(congress, COMMENTS)
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    twelve = _group_of("12%")
    eight = _group_of("8%")
    business = _group_of("hộ kinh doanh")
    assert business.units == 2
    # Move: the 12% comment joins the business group: 3 units, and its old group is gone.
    moved = twelve.placements.get().comment
    synthesis_actions.move_comment(synthesis, SYSTEM, comment_id=moved.pk, to_group=business.pk)
    business.refresh_from_db()
    assert business.units == 3 and business.unit_names == ["Chi bộ 1", "Chi bộ 2", "Chi bộ 3"]
    assert not Group.objects.filter(pk=twelve.pk).exists()
    # Merge: the 8% group into the business group.
    merged = synthesis_actions.merge_groups(synthesis, SYSTEM, group_ids=[business.pk, eight.pk])
    assert merged.units == 4 and not Group.objects.filter(pk=eight.pk).exists()
    # Split: the 8% comment out again.
    eight_comment = Comment.objects.get(text__contains="8%")
    new = synthesis_actions.split_group(synthesis, SYSTEM, group_id=merged.pk, comment_ids=[eight_comment.pk])
    merged.refresh_from_db()
    assert (merged.units, new.units) == (3, 1)
    # Edit: explained needs a response.
    with pytest.raises(ActionError) as no_response:
        synthesis_actions.edit_group(synthesis, SYSTEM, group_id=new.pk, status="explained")
    assert no_response.value.code == "response_required"
    synthesis_actions.edit_group(
        synthesis,
        SYSTEM,
        group_id=new.pk,
        status="explained",
        response="Giữ 10% vì sát thực tế.",
        summary="Giảm chỉ tiêu xuống 8%",
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="synthesis.").values_list("action", flat=True)
    )
    assert actions == [
        "synthesis.first_draft",
        "synthesis.comment_moved",
        "synthesis.groups_merged",
        "synthesis.group_split",
        "synthesis.group_edited",
    ]
    report = report_rows(synthesis)
    assert report.comments == len(COMMENTS)
    assert sorted(p.group.units for s in report.sections for p in s.points) == [1, 3]


def test_the_report_renders_as_docx_and_pdf_and_the_approval_is_a_motion():
    from daihoi.voting.models import Motion

    congress = make_congress(delegates=3)
    draft = _commented(congress, COMMENTS)
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    name, docx, _type = render(synthesis, "docx")
    assert name.endswith(".docx") and docx.startswith(b"PK")
    _name, pdf, _type = render(synthesis, "pdf")
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ActionError) as open_groups:
        synthesis_actions.propose_approval(synthesis, SYSTEM)
    assert open_groups.value.code == "groups_open"
    for group in synthesis.groups.all():
        synthesis_actions.edit_group(synthesis, SYSTEM, group_id=group.pk, status="taken")
    motion = synthesis_actions.propose_approval(synthesis, SYSTEM)
    assert motion.payload == {"synthesis": synthesis.pk, "draft": draft.pk}
    assert Motion.objects.filter(congress=congress, status=Motion.Status.DRAFT).count() == 1
    with pytest.raises(ActionError) as frozen:
        synthesis_actions.edit_group(synthesis, SYSTEM, group_id=synthesis.groups.first().pk, summary="x")
    assert frozen.value.code == "synthesis_frozen"


def test_an_export_goes_up_and_keeps_the_units_behind_each_point():
    ward = make_congress(delegates=1)
    draft = _commented(ward, COMMENTS)
    synthesis = synthesis_actions.make_first_draft(draft, SYSTEM)
    exported = export_json(synthesis)
    assert exported["unit"] == ward.organization.name
    business = next(g for s in exported["sections"] for g in s["groups"] if "hộ kinh doanh" in g["summary"])
    assert business["units"] == 2
    other = dict(exported, unit="Đảng bộ phường Khác")
    district = make_congress(delegates=1)
    upper = make_draft(district)
    report = import_lower_syntheses(
        upper,
        SYSTEM,
        files=[
            ("a.json", json.dumps(exported, ensure_ascii=False).encode()),
            ("b.json", json.dumps(other, ensure_ascii=False).encode()),
        ],
    )
    assert report.is_ok
    incoming = Comment.objects.filter(draft=upper, text__contains="hộ kinh doanh")
    assert sorted(incoming.values_list("unit_name", "weight_subunits")) == [
        ("Đảng bộ phường Khác", 2),
        (ward.organization.name, 2),
    ]
    agreements = Comment.objects.get(draft=upper, kind="agree", unit_name=ward.organization.name)
    assert agreements.weight_units == 1
    up = synthesis_actions.make_first_draft(upper, SYSTEM)
    point = _group_of("hộ kinh doanh", up)
    assert (point.units, point.subunits) == (2, 4)  # "2 wards (4 cells)"
    assert export_xlsx(up).startswith(b"PK")


def test_an_upper_import_with_a_bad_file_writes_nothing():
    district = make_congress(delegates=1)
    upper = make_draft(district)
    good = {
        "format": "daihoi-synthesis/1",
        "unit": "Đảng bộ phường A",
        "sections": [{"section": "s01", "groups": [{"summary": "Ý", "units": 2, "kind": "add"}]}],
    }
    bad = {
        "unit": "Đảng bộ phường B",
        "sections": [{"section": "s01", "groups": [{"summary": "Ý", "units": 0}]}],
    }
    report = import_lower_syntheses(
        upper, SYSTEM, files=[("a.json", json.dumps(good).encode()), ("b.json", json.dumps(bad).encode())]
    )
    assert not report.is_ok and report.problems[0].column == "b.json"
    assert not Comment.objects.exists()
