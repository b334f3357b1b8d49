"""The synthesis as a readable report: plain text, and Word ("Báo cáo tổng hợp ý kiến góp ý")."""

from __future__ import annotations

import io

from daihoi.synthesis.model import Draft, Synthesis

KIND_LABELS = {
    "agree": "Tán thành",
    "amend": "Sửa đổi",
    "add": "Bổ sung",
    "remove": "Lược bỏ",
    "other": "Khác",
}
REPORT_TITLE = "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý"


def _units_phrase(units: int, subunits: int, names: tuple[str, ...]) -> str:
    head = f"{units} đơn vị" + (f" ({subunits} đơn vị cơ sở)" if subunits else "")
    return f"{head}: {', '.join(names)}" if names else head


def render_text(draft: Draft, synthesis: Synthesis) -> str:
    titles = {s.id: s.title for s in draft.sections}
    lines = [REPORT_TITLE, f"về {draft.title}", ""]
    for sid, groups in synthesis.sections:
        lines.append(f"{titles.get(sid, sid)} [{sid}]")
        if not groups:
            lines.append("  (không có ý kiến)")
        for n, g in enumerate(groups, start=1):
            lines.append(f"  {n}. [{KIND_LABELS[g.kind]}] {g.summary}")
            lines.append(
                f"     {_units_phrase(g.units, g.subunits, g.unit_names)}; ý kiến: {', '.join(g.comments)}"
            )
        lines.append("")
    lines.append(
        f"Tán thành, không góp ý thêm: {len(synthesis.agreements)} ý kiến của {synthesis.agreement_units} đơn vị"
    )
    return "\n".join(lines) + "\n"


def render_docx(draft: Draft, synthesis: Synthesis, *, unit: str = "") -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    if unit:
        document.add_paragraph(unit.upper()).alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(REPORT_TITLE).bold = True
    sub = document.add_paragraph(f"về {draft.title}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    titles = {s.id: s.title for s in draft.sections}
    for sid, groups in synthesis.sections:
        document.add_heading(titles.get(sid, sid), level=2)
        if not groups:
            document.add_paragraph("Không có ý kiến.")
        for n, g in enumerate(groups, start=1):
            p = document.add_paragraph()
            p.add_run(f"{n}. ").bold = True
            p.add_run(g.summary)
            document.add_paragraph(
                f"({KIND_LABELS[g.kind]}; {_units_phrase(g.units, g.subunits, g.unit_names)})"
            )
    document.add_heading("Ý kiến tán thành", level=2)
    document.add_paragraph(
        f"{len(synthesis.agreements)} ý kiến của {synthesis.agreement_units} đơn vị tán thành dự thảo, "
        "không góp ý thêm."
    )
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
