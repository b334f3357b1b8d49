"""Renderers: any `Document` drawn as PDF (WeasyPrint, fonts embedded) or DOCX (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from daihoi.voting.documents.blocks import (
    FONT_CSS,
    FONT_DOCX,
    Block,
    Document,
    Header,
    Para,
    Signatures,
    Table,
    Title,
)


def render_pdf(doc: Document) -> bytes:
    """The document as PDF (WeasyPrint; fonts embedded)."""
    from weasyprint import HTML

    html = render_to_string(
        "voting/pdf/document.html", {"doc": doc, "groups": kept_groups(doc.blocks), "font": FONT_CSS}
    )
    return HTML(string=html).write_pdf()


def _tagged(blocks: Sequence[Block]) -> list[tuple[str, Block]]:
    return [(type(b).__name__.lower(), b) for b in blocks]


def kept_groups(blocks: Sequence[Block]) -> list[tuple[bool, list[tuple[str, Block]]]]:
    """The blocks in runs that must not be split across pages: a paragraph marked keep_with_next is joined
    to what follows, and signatures to the block before them (never alone at the top of a page)."""
    runs: list[list[tuple[str, Block]]] = []
    open_run = False
    for kind, block in _tagged(blocks):
        if runs and (open_run or isinstance(block, Signatures)):
            runs[-1].append((kind, block))
        else:
            runs.append([(kind, block)])
        open_run = isinstance(block, Para) and block.keep_with_next
    return [(len(run) > 1, run) for run in runs]


def render_docx(doc: Document) -> bytes:
    """The document as DOCX (python-docx), Times New Roman 13, A4, official margins."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = Docx()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = d.styles["Normal"]
    style.font.name = FONT_DOCX
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_DOCX)
    style.paragraph_format.space_after = Pt(3)

    def para(container: Any, text: str, *, bold: bool = False, center: bool = False, size: int = 13,
             italic: bool = False, underline: bool = False) -> Any:  # fmt: skip
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, line in enumerate(text.split("\n")):
            if i:
                p.add_run().add_break()
            run = p.add_run(line)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.size = Pt(size)
            run.font.name = FONT_DOCX
        return p

    for block in doc.blocks:
        if isinstance(block, Header):
            t = d.add_table(rows=1, cols=2)
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            left, right = t.rows[0].cells
            left.paragraphs[0].text = ""
            for i, line in enumerate(block.left):
                para(left, line, bold=i > 0, center=True, size=13)
            for i, line in enumerate(block.right):
                para(
                    right,
                    line,
                    bold=True,
                    center=True,
                    size=13 if i == 0 else 14,
                    underline=i == len(block.right) - 1,
                )
            para(right, block.place_date, italic=True, center=True, size=13)
        elif isinstance(block, Title):
            para(d, block.text, bold=True, center=True, size=14)
            for line in block.subtitle:
                para(d, line, bold=True, center=True, size=13)
        elif isinstance(block, Para):
            p = para(d, block.text, bold=block.bold)
            if block.indent:
                p.paragraph_format.first_line_indent = Cm(1)
            p.paragraph_format.keep_with_next = block.keep_with_next
        elif isinstance(block, Table):
            t = d.add_table(rows=1, cols=len(block.header))
            t.style = "Table Grid"
            for i, h in enumerate(block.header):
                cell = t.rows[0].cells[i]
                cell.paragraphs[0].text = ""
                run = cell.paragraphs[0].add_run(h)
                run.bold = True
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for row in block.rows:
                cells = t.add_row().cells
                for i, value in enumerate(row):
                    cells[i].paragraphs[0].text = value
                    if i in block.numeric:
                        cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.widths:
                total = sum(block.widths)
                for row in t.rows:
                    for i, w in enumerate(block.widths):
                        row.cells[i].width = Cm(16.5 * w / total)
            d.add_paragraph()
        elif isinstance(block, Signatures):
            signers = list(block.signers)
            rows = (len(signers) + 1) // 2
            t = d.add_table(rows=rows, cols=2)
            for n, (role, name) in enumerate(signers):
                cell = t.rows[n // 2].cells[n % 2]
                cell.paragraphs[0].text = ""
                para(cell, role, bold=True, center=True)
                para(cell, _("(Ký, ghi rõ họ tên)"), italic=True, center=True, size=12)
                para(cell, "\n\n")
                para(cell, name, bold=True, center=True)
            _keep_table_together(t, qn)
    out = io.BytesIO()
    d.core_properties.title = doc.title
    d.save(out)
    return out.getvalue()


def _keep_table_together(table: Any, qn: Callable[[str], str]) -> None:
    """Word keeps a table on one page when no row may split and every paragraph but the last row's keeps
    with the next; the paragraph before the table (keep_with_next) then follows it."""
    from docx.oxml import OxmlElement

    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        tr_pr.append(cant_split)
        last_row = r == len(table.rows) - 1
        for cell in row.cells:
            paragraphs = cell.paragraphs
            for i, p in enumerate(paragraphs):
                p.paragraph_format.keep_with_next = not (last_row and i == len(paragraphs) - 1)


RENDERERS: dict[str, tuple[Callable[[Document], bytes], str]] = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
