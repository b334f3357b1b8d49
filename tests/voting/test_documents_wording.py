"""The documents' wording per organization: the header (the Party's for a Party body, the national one for
any other), the place line, the congress's term said once, and the closing lines kept with the signatures."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as Docx

from daihoi.congress.access import Actor, Role
from daihoi.voting import documents
from daihoi.voting.actions import counting
from daihoi.voting.documents import Document, Header, Para, Signatures, Title
from daihoi.voting.documents.renderers import kept_groups
from daihoi.voting.documents.wording import place_of
from daihoi.voting.models import PaperBallot, PaperBatch
from tests.factories import make_congress, make_election
from tests.rules.ballot_factory import valid_rows

pytestmark = pytest.mark.django_db

HEAD = Actor(roles=frozenset({Role.COUNTING}))
VOTES = [24, 22, 20, 16, 16, 15, 9]  # party.md's worked example: N = 30, 28 present, 25 valid ballots


def worked_example():
    congress = make_congress(delegates=30)
    election = make_election(congress, candidates=7, seats=5, base=30, present=28)
    election.ballots_issued = 25
    election.save()
    codes = list(election.candidates.order_by("ballot_position").values_list("code", flat=True))
    batch = PaperBatch.objects.create(election=election, number=1, is_reconciled=True)
    for n, row in enumerate(valid_rows(VOTES, 25, 5), start=1):
        PaperBallot.objects.create(
            election=election, batch=batch, ballot_number=str(n), marks=dict(zip(codes, row, strict=True))
        )
    return election


POPPLER = shutil.which("pdftotext") is not None


def docx_lines(data: bytes) -> list[str]:
    d = Docx(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return lines


def certified(*, org_name: str | None = None, kind: str | None = None, rules: str | None = None,
              name: str | None = None, venue: str | None = None,
              term: tuple[int, int] | None = None):  # fmt: skip
    election = worked_example()
    counting.certify(election, HEAD)
    congress = election.congress
    org = congress.organization
    if org_name is not None:
        org.name = org_name
    if kind is not None:
        org.kind = kind
    org.save()
    if rules is not None:
        congress.rules = rules
    if name is not None:
        congress.name = name
    if venue is not None:
        congress.venue = venue
    if term is not None:
        congress.term_start, congress.term_end = term
    congress.save()
    congress.organization = org
    election.congress = congress
    return election


def youth_union():
    return certified(
        org_name="Đoàn TNCS Hồ Chí Minh phường Bến Nghé",
        kind="youth_union",
        rules="approval",
        name="Đại hội Đoàn TNCS Hồ Chí Minh phường Bến Nghé lần thứ VIII, nhiệm kỳ 2025 - 2030",
        venue="",
        term=(2025, 2030),
    )


def test_a_youth_union_gets_the_national_header_and_a_place_that_is_a_place():
    election = youth_union()
    lines = docx_lines(documents.render_docx(documents.produce("minutes", election)))
    text = "\n".join(lines)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập – Tự do – Hạnh phúc" in lines
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    assert "ĐOÀN TNCS HỒ CHÍ MINH PHƯỜNG BẾN NGHÉ" in lines
    date = next(line for line in lines if re.search(r"ngày \d\d tháng \d\d năm", line))
    assert date.startswith("Phường Bến Nghé, ngày ")


def test_the_party_keeps_its_header_and_its_locality():
    election = certified()
    lines = docx_lines(documents.render_docx(documents.produce("minutes", election)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in lines
    date = next(line for line in lines if re.search(r"ngày \d\d tháng \d\d năm", line))
    assert date.startswith("Phường Thử ")


def test_a_company_is_not_a_place_the_date_line_then_names_none():
    election = certified(
        org_name="Công ty Cổ phần Bình Minh", kind="shareholders", rules="approval", venue=""
    )
    assert place_of(election.congress) == ""
    lines = docx_lines(documents.render_docx(documents.produce("minutes", election)))
    assert not any(line.startswith("Công ty Cổ phần Bình Minh, ngày") for line in lines)
    assert any(line.startswith("Ngày ") and " tháng " in line for line in lines)


def test_the_term_is_said_once_when_the_name_already_says_it():
    election = youth_union()
    for name in ("minutes", "announcement"):
        text = "\n".join(docx_lines(documents.render_docx(documents.produce(name, election))))
        assert text.count("nhiệm kỳ 2025") == 1, name
    plain = certified(name="Đại hội đại biểu Đảng bộ phường Thử lần thứ XV")
    doc = documents.produce("minutes", plain)
    title = next(b for b in doc.blocks if isinstance(b, Title))
    assert title.subtitle[1] == "Đại hội đại biểu Đảng bộ phường Thử lần thứ XV, nhiệm kỳ 2020–2025"


def test_the_closing_lines_and_the_signatures_form_one_kept_run():
    doc = documents.produce("minutes", certified())
    kept, run = kept_groups(doc.blocks)[-1]
    assert kept
    assert isinstance(run[-1][1], Signatures)
    assert run[0][1].text.startswith("Biên bản lập xong")  # type: ignore[union-attr]
    d = Docx(io.BytesIO(documents.render_docx(doc)))
    closing = next(p for p in d.paragraphs if p.text.startswith("Biên bản lập xong"))
    assert closing.paragraph_format.keep_with_next is True
    last_table = d.tables[-1]
    assert all(r._tr.trPr is not None and r._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        for r in last_table.rows)  # fmt: skip


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_signatures_never_start_a_page_alone(tmp_path: Path):
    """Whatever the length of the text, the closing line is printed on the page of the signatures."""
    header = Header(("ĐOÀN TNCS HỒ CHÍ MINH PHƯỜNG BẾN NGHÉ", "BAN KIỂM PHIẾU"),
                    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc"), "Ngày 01")  # fmt: skip
    moved = 0
    for filler in range(26, 40, 2):
        blocks = (
            header,
            Title("BIÊN BẢN"),
            *(Para(f"Đoạn số {i} của biên bản kiểm phiếu.") for i in range(filler)),
            Para("Biên bản lập xong vào lúc 10 giờ.", keep_with_next=True),
            Signatures((("TRƯỞNG BAN", "Nguyễn Văn An"), ("THÀNH VIÊN", "Trần Thị Bình"))),
        )
        path = tmp_path / f"d{filler}.pdf"
        path.write_bytes(documents.render_pdf(Document("d", "d", blocks)))
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        pages = text.split("\f")
        closing = next(i for i, p in enumerate(pages) if "Biên bản lập xong" in p)
        signer = next(i for i, p in enumerate(pages) if "Trần Thị Bình" in p)
        assert closing == signer, filler
        moved += closing > 0
    assert moved  # the range crosses a page end: the run was carried over whole at least once
