"""Counting minutes, result announcement, motion minutes and the paper ballot as DOCX and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as Docx

from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.models import Motion
from tests.factories import make_congress
from tests.voting.test_count_actions import worked_example
from tests.voting.test_count_support import HEAD, cast_electronic, listed_codes, make_election

pytestmark = pytest.mark.django_db

POPPLER = shutil.which("pdftotext") is not None


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


def docx_text(data: bytes) -> str:
    d = Docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture
def certified():
    election = worked_example()
    counting.certify(election, HEAD)
    return election


def test_the_minutes_carry_every_figure_of_p16(certified):
    doc = documents.produce("minutes", certified)
    text = docx_text(documents.render_docx(doc))
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "BAN KIỂM PHIẾU" in text
    assert "ĐẢNG BỘ PHƯỜNG THỬ" in text
    assert "Số đại biểu được triệu tập: 30." in text
    assert "(N): 30." in text
    assert "Số đại biểu có mặt khi bỏ phiếu: 28." in text
    assert "Phát ra | 28" in text and "Hợp lệ | 25" in text and "Không hợp lệ | 3" in text
    assert "gạch hết tên | 1" in text
    assert "1 | Nguyễn Văn An | 24 | 80.00 | Trúng cử" in text
    assert "6 | Vũ Quốc Hùng | 15 | 50.00 | Không trúng cử" in text
    assert "Trưởng ban" in text and "(Ký, ghi rõ họ tên)" in text
    head = certified.countingmember_set.get(is_head=True).delegate.full_name
    assert head in text
    assert "bỏ phiếu điện tử" not in text  # no e-ballot was cast


def test_the_docx_is_set_in_times_new_roman_13(certified):
    d = Docx(io.BytesIO(documents.render_docx(documents.produce("minutes", certified))))
    normal = d.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13


def test_the_minutes_say_so_when_ballots_were_cast_electronically():
    congress = make_congress(delegates=6)
    election = make_election(congress, candidates=3, seats=2, base=6, present=6, allows_electronic=True)
    codes = listed_codes(election)
    cast_electronic(election, [{codes[0]: 1, codes[1]: 1, codes[2]: 0}] * 6)
    counting.certify(election, HEAD)
    text = docx_text(documents.render_docx(documents.produce("minutes", election)))
    assert "Đại hội sử dụng hình thức bỏ phiếu điện tử theo quyết định của" in text


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pdf_minutes_embed_liberation_serif_and_read_back(certified, tmp_path):
    data = documents.render_pdf(documents.produce("minutes", certified))
    text = pdf_text(data, tmp_path)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Nguyễn Văn An" in text and "80.00" in text
    fonts = pdf_fonts(data, tmp_path)
    assert "Liberation-Serif" in fonts
    assert "DejaVu" not in fonts  # no fallback: every Vietnamese glyph is in the serif face
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in line for line in rows)  # embedded


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pdf_renders_to_a_page_image(certified, tmp_path):
    (tmp_path / "m.pdf").write_bytes(documents.render_pdf(documents.produce("minutes", certified)))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "m.pdf"), str(tmp_path / "p")],
        check=True,
    )
    pages = list(tmp_path.glob("p*.png"))
    assert pages and pages[0].stat().st_size > 5000


def test_the_announcement_lists_the_elected_by_votes(certified):
    text = docx_text(documents.render_docx(documents.produce("announcement", certified)))
    assert "THÔNG BÁO KẾT QUẢ BẦU CỬ" in text
    assert "1 | Nguyễn Văn An | 24 | 80.00" in text
    assert "5 | Hoàng Thanh Giang | 16 | 53.33" in text
    assert "T/M BAN KIỂM PHIẾU" in text


def test_a_tie_shows_the_next_round_in_the_minutes():
    from tests.voting.test_count_actions import (
        test_a_tie_at_the_cut_off_is_shown_as_a_next_round_with_names as tie,
    )

    tie()
    from daihoi.voting.models import Election

    election = Election.objects.get(status="certified")
    text = docx_text(documents.render_docx(documents.produce("minutes", election)))
    assert "bằng phiếu ở vị trí cuối" in text and "Phạm Minh Dũng, Hoàng Thanh Giang" in text


def test_motion_minutes_show_percents_of_n_and_the_verdict(tmp_path):
    congress = make_congress(delegates=10)
    motion = Motion.objects.create(
        congress=congress,
        kind=Motion.Kind.SEATS,
        title="Số lượng Ban Chấp hành khóa XVI là 15 đồng chí",
        status=Motion.Status.CLOSED,
        yes=6,
        no=3,
        abstain=1,
        base=10,
        present=10,
        is_passed=True,
    )
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", motion)))
    assert "BIÊN BẢN BIỂU QUYẾT" in text
    assert "Tán thành | 6 | 60.00" in text and "Không tán thành | 3 | 30.00" in text
    assert "THÔNG QUA" in text
    if POPPLER:
        assert "60.00" in pdf_text(
            documents.render_pdf(documents.produce("motion_minutes", motion)), tmp_path
        )


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_paper_ballot_lists_the_names_in_ballot_order_with_the_instructions(tmp_path):
    election = make_election(make_congress(delegates=12), candidates=7, seats=5)
    data = documents.render_ballot_pdf(election)
    text = pdf_text(data, tmp_path)
    assert "PHIẾU BẦU CỬ" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Để lại tối đa 5 người" in text
    order = [text.index(n) for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Đặng Ngọc Lan")]
    assert order == sorted(order)
    assert "Liberation-Serif" in pdf_fonts(data, tmp_path)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "fonts.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "419.528 x 595.276 pts" in info  # A5


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_a_list_without_surplus_prints_agree_and_disagree_boxes(tmp_path):
    election = make_election(make_congress(delegates=12), candidates=1, seats=1)
    text = pdf_text(documents.render_ballot_pdf(election, page="A4"), tmp_path)
    assert "Đồng ý" in text and "Không đồng ý" in text
