"""The term's actions: the draft, adoption through the motion machinery and the freeze, yearly values,
the review from the previous congress or Excel (row-level refusals), the next congress, the news page."""

from __future__ import annotations

import pytest

from daihoi.audit import log as audit
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Guest, StaffRole
from daihoi.term import actions, dashboard, documents, imports, news
from daihoi.term.actions import TargetInput
from daihoi.term.models import Target, TargetValue
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Motion
from tests.factories import make_congress, make_staff
from tests.term.helpers import adopt, drafted, xlsx

pytestmark = pytest.mark.django_db


def own(congress: Congress, number: int) -> Target:
    return Target.objects.get(congress=congress, is_review=False, number=number)


def test_targets_are_numbered_in_order_and_cover_the_congress_term():
    c = drafted()
    assert list(Target.objects.filter(congress=c).values_list("number", "term_start", "term_end")) == [
        (1, 2020, 2025), (2, 2020, 2025), (3, 2020, 2025), (4, 2020, 2025),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"target_value": "10,5"}, "target_bad_number"),
        ({"kind": "median"}, "target_unknown_kind"),
        ({"direction": "exactly"}, "target_unknown_direction"),
        ({"name": "  "}, "target_name_required"),
        ({"area": "space"}, "bad_area"),
        ({"baseline": "0"}, "target_value_not_positive"),
    ],
)
def test_a_bad_target_is_refused_with_its_code(changes, code):
    c = make_congress()
    base = {"name": "Thu ngân sách", "kind": "growth_avg", "direction": "at_least", "target_value": "10"}
    with pytest.raises(ActionError) as e:
        actions.add_target(c, SYSTEM, TargetInput(**{**base, **changes}))
    assert e.value.code == code
    assert not Target.objects.filter(congress=c).exists()


def test_adoption_goes_through_a_resolution_motion_and_freezes_everything():
    c = drafted()
    motion = adopt(c)
    assert motion.kind == Motion.Kind.RESOLUTION and motion.is_passed
    resolution = actions.resolution_of(c)
    assert actions.resolution_state(resolution) == actions.State.ADOPTED
    assert resolution.adopted_at is not None
    assert AuditEntry.objects.filter(congress_id=c.pk, action="resolution.adopted").count() == 1
    actions.resolution_of(c)  # reading again records nothing more
    assert AuditEntry.objects.filter(congress_id=c.pk, action="resolution.adopted").count() == 1
    refusals = [
        lambda: actions.save_resolution(c, SYSTEM, general_goal="Khác", other_articles=""),
        lambda: actions.add_target(c, SYSTEM, TargetInput("X", "total", "at_least", "1")),
        lambda: actions.delete_target(c, SYSTEM, own(c, 1).pk),
        lambda: actions.edit_target(c, SYSTEM, own(c, 1).pk, TargetInput("X", "total", "at_least", "1")),
        lambda: actions.add_key_task(c, SYSTEM, text="Thêm"),
        lambda: actions.propose_adoption(c, SYSTEM),
    ]
    for refuse in refusals:
        with pytest.raises(ActionError) as e:
            refuse()
        assert e.value.code in ("resolution_adopted", "adoption_already_proposed")
    assert own(c, 1).name == "Thu ngân sách tăng bình quân"
    assert audit.verify() == []


def test_while_the_motion_is_open_the_draft_is_locked_and_a_failed_vote_unlocks_it():
    c = drafted()
    c.delegates.update(attendance="present")
    motion = actions.propose_adoption(c, SYSTEM, method=Motion.Method.SHOW_OF_HANDS)
    mo.open_motion(motion, actor=SYSTEM)
    with pytest.raises(ActionError) as e:
        actions.save_resolution(c, SYSTEM, general_goal="Khác", other_articles="")
    assert e.value.code == "resolution_being_voted"
    present = mo.present_voters(c)
    mo.close_motion(motion, actor=SYSTEM, yes=0, no=present, abstain=0)
    assert actions.resolution_state(actions.resolution_of(c)) == actions.State.REJECTED
    actions.save_resolution(c, SYSTEM, general_goal="Sửa lại", other_articles="")
    second = actions.propose_adoption(c, SYSTEM)
    assert second.pk != motion.pk


def test_adoption_needs_a_goal_and_targets():
    c = make_congress()
    with pytest.raises(ActionError) as e:
        actions.propose_adoption(c, SYSTEM)
    assert e.value.code == "goal_required"
    actions.save_resolution(c, SYSTEM, general_goal="Mục tiêu", other_articles="")
    with pytest.raises(ActionError) as e:
        actions.propose_adoption(c, SYSTEM)
    assert e.value.code == "targets_required"


def test_values_are_entered_only_after_adoption_within_the_term_and_audited():
    c = drafted()
    with pytest.raises(ActionError) as e:
        actions.record_value(own(c, 3), 2021, "16", SYSTEM)
    assert e.value.code == "resolution_not_adopted"
    adopt(c)
    actions.record_value(own(c, 3), 2021, "16", SYSTEM, note="Quý IV kết nạp 5")
    for year, code in ((2020, "year_outside_term"), (2026, "year_outside_term")):
        with pytest.raises(ActionError) as e:
            actions.record_value(own(c, 3), year, "1", SYSTEM)
        assert e.value.code == code
    with pytest.raises(ActionError) as e:
        actions.record_value(own(c, 3), 2022, "1,5", SYSTEM)
    assert e.value.code == "target_bad_number"
    with pytest.raises(ActionError) as e:
        actions.record_value(own(c, 1), 2022, "0", SYSTEM)
    assert e.value.code == "target_value_not_positive"
    entry = AuditEntry.objects.filter(congress_id=c.pk, action="target.value").get()
    assert entry.after == {
        "number": 3,
        "is_review": False,
        "year": 2021,
        "value": "16",
        "note": "Quý IV kết nạp 5",
    }
    actions.record_value(own(c, 3), 2021, "17", SYSTEM)
    assert TargetValue.objects.get(target=own(c, 3), year=2021).value == "17"
    assert AuditEntry.objects.filter(congress_id=c.pk, action="target.value").last().before["value"] == "16"


def test_record_year_is_all_or_nothing():
    c = drafted()
    adopt(c)
    entries = {own(c, 1).pk: ("110", ""), own(c, 2).pk: ("abc", "")}
    with pytest.raises(ActionError):
        actions.record_year(c, 2021, entries, SYSTEM)
    assert not TargetValue.objects.filter(target__congress=c).exists()


def test_dashboard_status_changes_when_a_year_is_entered():
    c = drafted()
    adopt(c)
    year, cards = dashboard.cards(c)
    assert year == 2020 and {card.css for card in cards} == {"no_data"}
    actions.record_year(
        c,
        2021,
        {
            own(c, 1).pk: ("110", ""),
            own(c, 2).pk: ("2.6", ""),
            own(c, 3).pk: ("16", ""),
            own(c, 4).pk: ("100", ""),
        },
        SYSTEM,
    )
    year, cards = dashboard.cards(c)
    assert year == 2021
    assert [card.css for card in cards] == ["on_track", "at_risk", "on_track", "on_track"]
    assert 'class="actual"' in cards[0].svg and 'data-year="2021"' in cards[0].svg
    actions.record_year(c, 2022, {own(c, 4).pk: ("99", "")}, SYSTEM)
    assert [card.css for card in dashboard.cards(c)[1]][3] == "missed"


REVIEW_HEADER = ["STT", "Chỉ tiêu", "Đơn vị", "Lĩnh vực", "Loại", "Hướng", "Chỉ tiêu đề ra", "Bình quân",
                 "2015", "2016", "2017", "2018", "2019", "2020"]  # fmt: skip


def test_review_imported_from_excel_is_judged_by_the_core():
    c = make_congress()
    data = xlsx(
        [
            REVIEW_HEADER,
            [1, "Thu ngân sách", "%/năm", "Kinh tế", "Tăng bình quân hằng năm", "Từ … trở lên", "10", "kép",
             100, 110, 121, 133.1, 146.41, 161.051],
            [2, "Kết nạp đảng viên", "đảng viên", "party_building", "total", "at_least", 80, "",
             None, 14, 17, 18, 16, 19],
            [3, "Hộ nghèo", "%", "", "level_end", "below", "0.5", "", 2, 1.5, 1.2, 0.9, 0.7, None],
        ]
    )  # fmt: skip
    report = imports.import_review(c, "review.xlsx", data, SYSTEM)
    assert report.is_ok and (report.targets, report.values) == (3, 14)
    lines, summary = actions.judge_targets(actions.review_targets(c))
    assert [(line.judgement.outcome.value, line.judgement.achieved) for line in lines] == [
        ("met", "10.00"), ("exceeded", "84"), ("missing", None),
    ]  # fmt: skip
    assert lines[2].judgement.missing_years == (2020,)
    assert documents.summary_line(summary).startswith("2/3 chỉ tiêu đạt và vượt")


def test_a_bad_review_file_is_refused_row_by_row_and_writes_nothing():
    c = make_congress()
    before = AuditEntry.objects.count()
    data = xlsx(
        [
            REVIEW_HEADER,
            [1, "Thu ngân sách", "%", "", "growth_avg", "at_least", "10", "", 100, 110, 121, 133, 146, 161],
            [2, "Sai loại", "%", "", "median", "at_least", "10", "", 1, 1, 1, 1, 1, 1],
            [3, "Số phẩy", "%", "", "level_end", "at_least", "10,5", "", 1, 1, 1, 1, 1, 1],
            [1, "Trùng số", "%", "", "level_end", "at_least", "1", "", 1, 1, 1, 1, 1, 1],
            [4, "Tăng âm", "%", "", "growth_avg", "at_least", "5", "", 100, 0, 1, 1, 1, 1],
        ]
    )
    report = imports.import_review(c, "bad.xlsx", data, SYSTEM)
    assert [(p.row, p.code) for p in report.problems] == [
        (3, "unknown_choice"), (4, "target_bad_number"), (5, "duplicate_number"), (6, "target_value_not_positive"),
    ]  # fmt: skip
    assert not Target.objects.filter(congress=c).exists()
    assert AuditEntry.objects.count() == before


def test_a_review_file_without_year_columns_or_not_excel_is_refused():
    c = make_congress()
    with pytest.raises(ActionError) as e:
        imports.import_review(
            c, "x.xlsx", xlsx([REVIEW_HEADER[:8], [1, "a", "", "", "total", "at_least", "1", ""]]), SYSTEM
        )
    assert e.value.code == "bad_year_columns"
    with pytest.raises(ActionError) as e:
        imports.import_review(c, "x.csv", b"STT,Chi tieu", SYSTEM)
    assert e.value.code == "not_excel"
    with pytest.raises(ActionError) as e:
        imports.import_review(c, "x.xlsx", xlsx([["STT", "Chỉ tiêu"]]), SYSTEM)
    assert e.value.code == "missing_columns"


def test_a_year_imported_from_excel_with_a_bad_row_writes_nothing():
    c = drafted()
    adopt(c)
    bad = xlsx([["STT", "Giá trị", "Ghi chú"], [1, 110, "tốt"], [9, 1, ""], [2, "x", ""]])
    report = imports.import_year(c, 2021, "y.xlsx", bad, SYSTEM)
    assert [(p.row, p.code) for p in report.problems] == [(3, "unknown_target"), (4, "target_bad_number")]
    assert not TargetValue.objects.filter(target__congress=c).exists()
    good = xlsx([["STT", "Giá trị", "Ghi chú"], [1, 110, "tốt"], [3, 16, ""], [4, None, ""]])
    report = imports.import_year(c, 2021, "y.xlsx", good, SYSTEM)
    assert report.is_ok and report.values == 2
    assert TargetValue.objects.get(target=own(c, 1), year=2021).note == "tốt"


def test_start_the_next_congress_brings_the_tree_the_organizers_and_the_review():
    c = drafted()
    adopt(c)
    organizer = make_staff(c, Role.ORGANIZER)
    for year, values in ((2021, ("110", "2.5", "16", "100")), (2022, ("121", "2.0", "16", "100"))):
        actions.record_year(c, year, {own(c, i + 1).pk: (v, "") for i, v in enumerate(values)}, SYSTEM)
    nxt = actions.start_next_congress(c, SYSTEM, slug="next-one")
    assert (nxt.organization_id, nxt.ordinal, nxt.term_start, nxt.term_end) == (
        c.organization_id,
        16,
        2025,
        2030,
    )
    assert nxt.state == Congress.State.PREPARATION
    assert nxt.organization.children.count() == 3
    assert StaffRole.objects.filter(congress=nxt, user=organizer, role=Role.ORGANIZER).exists()
    review = actions.review_targets(nxt)
    assert [(t.number, t.name, t.term_start, t.term_end, t.source_id) for t in review] == [
        (t.number, t.name, 2020, 2025, t.pk) for t in actions.own_targets(c)
    ]
    lines, summary = actions.judge_targets(review)
    assert summary["missing"] == 4  # three years not yet reported: missing, never zero
    assert lines[2].judgement.missing_years == (2023, 2024, 2025)
    with pytest.raises(ActionError) as e:
        actions.start_next_congress(c, SYSTEM, slug="again")
    assert e.value.code == "next_congress_exists"


def test_review_from_the_previous_congress_in_daihoi():
    c = drafted()
    adopt(c)
    nxt = make_congress()
    Congress.objects.filter(pk=nxt.pk).update(
        organization=c.organization, ordinal=16, term_start=2025, term_end=2030
    )
    nxt.refresh_from_db()
    assert actions.take_review_from_previous(nxt, SYSTEM) == 4
    with pytest.raises(ActionError) as e:
        actions.take_review_from_previous(nxt, SYSTEM)
    assert e.value.code == "review_exists"
    with pytest.raises(ActionError) as e:
        actions.take_review_from_previous(make_congress(), SYSTEM)
    assert e.value.code == "no_previous_congress"


def test_news_page_composes_attendance_guests_documents_and_the_adopted_resolution():
    c = drafted(delegates=6, guests=1)
    data = news.compose(c)
    assert data["general_goal"] == "" and data["targets"] == []  # not adopted: not news yet
    adopt(c)
    Guest.objects.filter(congress=c).update(title="Bí thư Quận ủy")
    data = news.compose(c)
    assert (data["present"], data["convened"]) == (6, 6)
    assert data["guests"] == ["Khách Mời 1 (Bí thư Quận ủy)"]
    assert data["documents"] == [actions.resolution_of(c).motion.title]
    assert data["general_goal"] == "Xây dựng phường văn minh."
    assert data["targets"][0].startswith("1. Thu ngân sách tăng bình quân")
    assert data["key_tasks"] == ["1. Chỉnh trang đô thị"]
    page = actions.publish_news(c, SYSTEM, publish=True)
    assert page.is_published and AuditEntry.objects.filter(action="news.publish", congress_id=c.pk).exists()


def test_documents_render_as_docx_pdf_and_xlsx():
    import io

    from docx import Document as Docx
    from openpyxl import load_workbook

    from daihoi.congress import exports
    from daihoi.voting.documents import render_docx, render_pdf

    c = drafted()
    adopt(c)
    header = ["STT", "Chỉ tiêu", "Loại", "Hướng", "Chỉ tiêu đề ra", "2015", "2016", "2017"]
    imports.import_review(c, "r.xlsx", xlsx([header, [1, "A", "level_end", "at_least", 5, 1, 3, 6]]), SYSTEM)
    text = "\n".join(
        p.text for p in Docx(io.BytesIO(render_docx(documents.resolution_document(c)))).paragraphs
    )
    assert (
        "NGHỊ QUYẾT" in text
        and "Xây dựng phường văn minh." in text
        and "1. (Đột phá) Chỉnh trang đô thị" in text
    )
    assert "1. Thu ngân sách tăng bình quân: từ 10 %/năm trở lên." in text
    assert render_pdf(documents.resolution_document(c)).startswith(b"%PDF")
    review = Docx(io.BytesIO(render_docx(documents.review_document(c))))
    table = review.tables[1]
    assert [cell.text for cell in table.rows[1].cells] == ["1", "A", "từ 5 trở lên", "6", "120.00%", "Vượt"]
    assert any(p.text.startswith("1/1 chỉ tiêu đạt và vượt") for p in review.paragraphs)
    name, data = exports.export("term_review", c)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert name == f"danh-gia-chi-tieu-{c.slug}.xlsx"
    assert rows[1][0].startswith("1/1 chỉ tiêu đạt và vượt")
    assert rows[-1] == [
        1,
        "A",
        None,
        "Mức đạt cuối nhiệm kỳ",
        "Từ … trở lên",
        "5",
        "1",
        "3",
        "6",
        "6",
        "120.00",
        "Vượt",
    ]
    assert render_docx(documents.year_report_document(c, 2021)).startswith(b"PK")
    assert render_docx(documents.news_document(c)).startswith(b"PK")


def test_news_lists_the_elected_committee_by_committee_from_certified_results_only():
    from daihoi.voting.models import Election

    c = make_congress()
    result = {
        "candidates": [{"id": "c01", "name": "Nguyễn Văn A"}, {"id": "c02", "name": "Trần Thị B"}],
        "elected": ["c02", "c01"],
        "elected_alternates": [],
    }
    Election.objects.create(
        congress=c, title="Bầu Ban Chấp hành", status=Election.Status.CERTIFIED, result=result
    )
    Election.objects.create(
        congress=c,
        title="Bầu đoàn đại biểu",
        kind=Election.Kind.DELEGATION,
        status=Election.Status.CERTIFIED,
        result={**result, "elected": ["c01"], "elected_alternates": ["c02"]},
    )
    Election.objects.create(congress=c, title="Chưa kiểm xong", status=Election.Status.CLOSED, result=result)
    assert news.compose(c)["elected"] == [
        {
            "title": "Bầu Ban Chấp hành",
            "kind": "committee",
            "names": ["Trần Thị B", "Nguyễn Văn A"],
            "alternates": [],
        },
        {
            "title": "Bầu đoàn đại biểu",
            "kind": "delegation",
            "names": ["Nguyễn Văn A"],
            "alternates": ["Trần Thị B"],
        },
    ]
