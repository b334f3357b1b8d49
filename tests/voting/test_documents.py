"""Counting minutes, result announcement, motion minutes and the paper ballot as DOCX and PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import TestCase
from docx import Document as Docx

from daihoi.audit.models import Anchor, AuditHead
from daihoi.congress.access import SYSTEM
from daihoi.congress.models import Delegate
from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.actions import motions as mo
from daihoi.voting.models import Motion
from daihoi.web.numbers import localize_figures
from tests.factories import make_congress
from tests.support.counting import HEAD, cast_electronic, listed_codes, make_election, worked_example

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
    assert "Cơ sở tính tỷ lệ: N = 30." in text
    assert "Số đại biểu có mặt khi bỏ phiếu: 28." in text
    assert "Phát ra | 28" in text and "Hợp lệ | 25" in text and "Không hợp lệ | 3" in text
    assert "gạch hết tên | 1" in text
    assert "1 | Nguyễn Văn An | 24 | 80,00 | Trúng cử" in text
    assert "6 | Vũ Quốc Hùng | 15 | 50,00 | Không trúng cử" in text
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
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Nguyễn Văn An" in text and "80,00" in text
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
    assert "1 | Nguyễn Văn An | 24 | 80,00" in text
    assert "5 | Hoàng Thanh Giang | 16 | 53,33" in text
    assert "T/M BAN KIỂM PHIẾU" in text


def test_a_tie_shows_the_next_round_in_the_minutes():
    from tests.support.counting import tied_at_the_cut_off

    tied_at_the_cut_off()
    from daihoi.voting.models import Election

    election = Election.objects.get(status="certified")
    text = docx_text(documents.render_docx(documents.produce("minutes", election)))
    assert "bằng phiếu ở vị trí cuối" in text and "Phạm Minh Dũng, Hoàng Thanh Giang" in text


def test_motion_minutes_show_percents_of_n_and_the_stored_verdict(tmp_path):
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
        outcome="Thông qua: tán thành 6, cần tán thành > 50% × N (10), tức ít nhất 6",
    )
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", motion)))
    assert "BIÊN BẢN BIỂU QUYẾT" in text
    assert "Tán thành | 6 | 60,00" in text and "Không tán thành | 3 | 30,00" in text
    assert lines(text, "Kết quả:") == ["Kết quả: THÔNG QUA."]
    assert lines(text, "Căn cứ") == [
        "Căn cứ (ghi nhận khi kết thúc biểu quyết): Thông qua: tán thành 6, cần tán thành > 50% × N (10), "
        "tức ít nhất 6."
    ]
    if POPPLER:
        assert "60,00" in pdf_text(
            documents.render_pdf(documents.produce("motion_minutes", motion)), tmp_path
        )


def test_the_minutes_print_the_stored_verdict_even_if_the_counts_say_otherwise():
    """The document never decides: a stored "not passed" stays "not passed" whatever the counts."""
    congress = make_congress(delegates=10)
    motion = Motion.objects.create(
        congress=congress, title="Một nội dung", status=Motion.Status.CLOSED,
        yes=10, no=0, abstain=0, base=10, present=10, is_passed=False, outcome="Không thông qua: như đã ghi",
    )  # fmt: skip
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", motion)))
    assert lines(text, "Kết quả:") == ["Kết quả: KHÔNG THÔNG QUA."]


def lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


def check_in(congress, count: int) -> None:
    ids = list(congress.delegates.order_by("number").values_list("pk", flat=True)[:count])
    Delegate.objects.filter(pk__in=ids).update(attendance=Delegate.Attendance.PRESENT)


def closed_motion(congress, kind: str, *, yes: int, no: int, abstain: int = 0) -> Motion:
    m = mo.create_motion(congress, actor=SYSTEM, title=f"Biểu quyết: {Motion.Kind(kind).label}", kind=kind)
    mo.open_motion(m, actor=SYSTEM)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the anchors file line, as after a commit
        return mo.close_motion(m, actor=SYSTEM, yes=yes, no=no, abstain=abstain)


def test_a_floor_nominee_admitted_by_p7_is_printed_as_passed_with_the_p7_test():
    """40 of 120 present agree: admitted (10 × 40 > 3 × 120), though far from a majority of N = 165."""
    congress = make_congress(delegates=165)
    check_in(congress, 120)
    m = closed_motion(congress, Motion.Kind.FLOOR_NOMINEE, yes=40, no=80)
    assert m.is_passed is True and m.base == 165
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", m)))
    assert lines(text, "Kết quả:") == ["Kết quả: THÔNG QUA."]
    assert "KHÔNG THÔNG QUA" not in text
    assert "ít nhất 83" not in text  # the P4 test against N was not the one applied
    (test,) = lines(text, "Căn cứ")
    assert (
        localize_figures(m.outcome) in test and "40/120 đại biểu có mặt" in test and "tức ít nhất 37" in test
    )


@pytest.mark.parametrize("kind", Motion.Kind.values)
@pytest.mark.parametrize(("yes", "passed"), [(6, True), (5, False)])
def test_the_minutes_of_every_kind_of_motion_print_the_stored_outcome_and_its_anchor(kind, yes, passed):
    congress = make_congress(delegates=10)
    check_in(congress, 10)
    m = closed_motion(congress, kind, yes=yes, no=10 - yes)
    if kind == Motion.Kind.FLOOR_NOMINEE:
        passed = True  # P7: more than 30% of those present agree in both cases
    assert m.is_passed is passed
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", m)))
    assert lines(text, "Kết quả:") == ["Kết quả: THÔNG QUA." if passed else "Kết quả: KHÔNG THÔNG QUA."]
    # the stored outcome, its percentages in the reader's marks ("60,00%")
    assert lines(text, "Căn cứ") == [
        f"Căn cứ (ghi nhận khi kết thúc biểu quyết): {localize_figures(m.outcome)}."
    ]
    a = Anchor.objects.get(reason="motion.close", ref=f"motion:{m.pk}")
    assert lines(text, "Mã nhật ký kiểm toán") == [f"Mã nhật ký kiểm toán: {a.hash[:12]} (mục số {a.seq})."]
    assert lines(text, "Mã đầy đủ") == [f"Mã đầy đủ: {a.hash}"]


def test_the_anchor_printed_is_the_one_stored_at_the_close_not_the_head_at_printing():
    congress = make_congress(delegates=10)
    check_in(congress, 10)
    m = closed_motion(congress, Motion.Kind.AGENDA, yes=7, no=3)
    stored = Anchor.objects.get(ref=f"motion:{m.pk}")
    closed_motion(congress, Motion.Kind.OTHER, yes=7, no=3)  # the chain moves on
    assert AuditHead.objects.get().hash != stored.hash
    text = docx_text(documents.render_docx(documents.produce("motion_minutes", m)))
    assert f"Mã đầy đủ: {stored.hash}" in text
    assert AuditHead.objects.get().hash not in text


def test_the_certified_minutes_and_the_announcement_print_the_anchored_chain_head(certified):
    cert = Anchor.objects.get(reason="election.certify", ref=f"election:{certified.pk}")
    minutes = docx_text(documents.render_docx(documents.produce("minutes", certified)))
    assert f"Mã nhật ký kiểm toán: {cert.short} (mục số {cert.seq})." in minutes
    assert f"Mã đầy đủ: {cert.hash}" in minutes
    counting.release_result(certified, HEAD)
    released = Anchor.objects.get(reason="election.release", ref=f"election:{certified.pk}")
    assert released.seq > cert.seq
    announcement = docx_text(documents.render_docx(documents.produce("announcement", certified)))
    assert f"Mã đầy đủ: {released.hash}" in announcement
    assert f"Mã đầy đủ: {cert.hash}" in docx_text(
        documents.render_docx(documents.produce("minutes", certified))
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


def test_the_released_result_on_the_screens_carries_the_anchored_chain_head(certified):
    from daihoi.congress.live import congress_state

    counting.release_result(certified, HEAD)
    released = Anchor.objects.get(reason="election.release", ref=f"election:{certified.pk}")
    shown = congress_state(certified.congress)["result"]
    assert shown["anchor"] == {"short": released.hash[:12], "hash": released.hash, "seq": released.seq}
