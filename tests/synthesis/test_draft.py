from __future__ import annotations

import io

import docx
import pytest

from daihoi.synthesis import SynthesisError, parse_docx, parse_markdown
from tests.support.synthesis import DRAFT_MD


def test_markdown_parts_are_level_one_and_sections_level_two(draft):
    assert draft.title == "Dự thảo Báo cáo chính trị Đảng bộ phường Tân Định"
    assert [p.title for p in draft.parts] == [
        "Phần thứ nhất: Kết quả thực hiện Nghị quyết",
        "Phần thứ hai: Phương hướng nhiệm kỳ 2025–2030",
    ]
    assert [p.section_ids for p in draft.parts] == [("s01", "s02"), ("s03",)]
    assert [s.title for s in draft.sections] == [
        "1. Về phát triển kinh tế",
        "2. Về văn hóa – xã hội",
        "3. Về quốc phòng, an ninh",
    ]


def test_paragraphs_stay_inside_their_section_and_the_preamble_is_not_a_section(draft):
    s2 = draft.section("s02")
    assert s2.paragraphs == (
        'Phong trào "Toàn dân đoàn kết xây dựng đời sống văn hóa" được triển khai sâu rộng.',
        "- Tỷ lệ hộ gia đình văn hóa đạt 95%.",
    )
    assert draft.section("s03").paragraphs == (
        "Giữ vững an ninh chính trị, trật tự an toàn xã hội trên địa bàn.",
        "Chỉ tiêu",
        "Kéo giảm tội phạm hình sự.",
    )
    assert all("mở đầu" not in p for s in draft.sections for p in s.paragraphs)


def test_sections_without_ids_are_numbered_by_position():
    d = parse_markdown("## Một\nA\n## Hai\nB\n## Ba {#x9}\n", source="d.md")
    assert [s.id for s in d.sections] == ["s01", "s02", "x9"]
    assert d.title == "d" and d.parts[0].title == ""


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("# Chỉ có tiêu đề\nvăn bản\n", "no_sections", None),
        ("## A {#s01}\n\n## B {#s01}\n", "duplicate_section", 3),
        ("## A\n## B {#s01}\n", "duplicate_section", 2),
        ("## A {#s 1}\n", "bad_section_id", 1),
        ("## A\n##   \n", "empty_heading", 2),
    ],
)
def test_markdown_errors_are_coded_with_their_line(text, code, line):
    with pytest.raises(SynthesisError) as e:
        parse_markdown(text, source="bad.md")
    assert (e.value.code, e.value.line, e.value.source) == (code, line, "bad.md")


def _docx(paragraphs):
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_heading_one_is_a_part_and_heading_two_a_section():
    data = _docx(
        [
            ("Title", "Dự thảo Báo cáo chính trị"),
            ("Heading 1", "Phần I. Kết quả"),
            ("Heading 2", "1. Kinh tế {#kt}"),
            ("Normal", "Tăng trưởng 10%."),
            ("Normal", ""),
            ("Normal", "Thu ngân sách vượt."),
            ("Heading 2", "2. Văn hóa"),
            ("Heading 3", "Chỉ tiêu"),
            ("Normal", "Gia đình văn hóa 95%."),
        ]
    )
    d = parse_docx(data, source="d.docx")
    assert d.title == "Dự thảo Báo cáo chính trị"
    assert [(s.id, s.part, s.title) for s in d.sections] == [
        ("kt", "Phần I. Kết quả", "1. Kinh tế"),
        ("s02", "Phần I. Kết quả", "2. Văn hóa"),
    ]
    assert d.sections[0].paragraphs == ("Tăng trưởng 10%.", "Thu ngân sách vượt.")
    assert d.sections[1].paragraphs == ("Chỉ tiêu", "Gia đình văn hóa 95%.")


def test_docx_errors_name_the_paragraph():
    data = _docx([("Heading 2", "A {#s1}"), ("Normal", "x"), ("Heading 2", "B {#s1}")])
    with pytest.raises(SynthesisError) as e:
        parse_docx(data, source="d.docx")
    assert (e.value.code, e.value.line) == ("duplicate_section", 3)


def test_a_file_that_is_not_word_is_refused():
    with pytest.raises(SynthesisError) as e:
        parse_docx(DRAFT_MD.encode(), source="d.docx")
    assert e.value.code == "bad_docx"
