"""The comment synthesis report ("Báo cáo tổng hợp ý kiến góp ý") and the exchange files sent up.

`report_rows` is the one reading of a synthesis that the page, the DOCX/PDF (drawn by the official
document renderers of `daihoi.voting.documents`) and the JSON/Excel exports share.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from daihoi.drafts.models import Comment, Group, Placement, Section, Synthesis

EXPORT_FORMAT = "daihoi-synthesis/1"
# The Excel export's columns; the upper level's import reads them by these names.
XLSX_COLUMNS = (
    "section",
    "title",
    "summary",
    "kind",
    "units",
    "unit_names",
    "subunits",
    "status",
    "response",
    "unit",
)


@dataclass
class Point:
    group: Group
    comments: list[Comment]

    @property
    def units_text(self) -> str:
        return units_text(self.group.units, self.group.subunits)


@dataclass
class ReportSection:
    section: Section | None
    points: list[Point] = field(default_factory=list)


@dataclass
class Report:
    synthesis: Synthesis
    sections: list[ReportSection]
    agreements: list[Comment]
    agreement_units: tuple[str, ...]
    comments: int

    @property
    def groups(self) -> int:
        return sum(len(s.points) for s in self.sections)


def units_text(units: int, subunits: int) -> str:
    if subunits:
        return _("%(units)s đơn vị (%(subunits)s đơn vị cơ sở)") % {"units": units, "subunits": subunits}
    return _("%(units)s đơn vị") % {"units": units}


def report_rows(synthesis: Synthesis) -> Report:
    from daihoi.drafts import engine
    from daihoi.drafts.actions.synthesis import comment_in

    placements = list(
        Placement.objects.filter(synthesis=synthesis)
        .select_related("comment__delegate", "comment__section")
        .order_by("comment_id")
    )
    members: dict[int | None, list[Comment]] = {}
    for p in placements:
        members.setdefault(p.group_id, []).append(p.comment)
    sections = list(synthesis.draft.current_sections())
    by_section: dict[int | None, ReportSection] = {s.pk: ReportSection(s) for s in sections}
    for group in synthesis.groups.select_related("section").order_by("-units", "id"):
        target = by_section.get(group.section_id)
        if target is None:
            target = by_section.setdefault(None, ReportSection(None))
        target.points.append(Point(group, members.get(group.pk, [])))
    agreements = members.get(None, [])
    agreement_units = engine.count_units([comment_in(c) for c in agreements])[1] if agreements else ()
    return Report(
        synthesis=synthesis,
        sections=[r for r in by_section.values() if r.points],
        agreements=agreements,
        agreement_units=agreement_units,
        comments=len(placements),
    )


# --- DOCX / PDF ---------------------------------------------------------------------------------------


def report_document(synthesis: Synthesis) -> Any:
    """The report as a `daihoi.voting.documents.Document`: header, then each section's points with the
    number of units and which units, then the agreements counted."""
    from daihoi.voting.documents import Document, Para, Title, congress_line, header

    report = report_rows(synthesis)
    congress = synthesis.draft.congress
    blocks: list[Any] = [
        header(congress, _("ĐOÀN THƯ KÝ"), None),
        Title(
            _("BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý"),
            (_("vào %(draft)s") % {"draft": synthesis.draft.title}, congress_line(congress)),
        ),
        Para(
            _(
                "Đoàn Thư ký đã nhận %(comments)s ý kiến góp ý; sau khi tổng hợp, có %(groups)s ý kiến "
                "(nhóm ý kiến) cụ thể và %(agreements)s ý kiến tán thành toàn văn dự thảo."
            )
            % {"comments": report.comments, "groups": report.groups, "agreements": len(report.agreements)}
        ),
    ]
    for rs in report.sections:
        blocks.append(Para(rs.section.title if rs.section else _("Ý kiến chung"), bold=True, indent=False))
        for n, point in enumerate(rs.points, start=1):
            blocks.append(Para(f"{n}. {point.group.summary}"))
            blocks.append(
                Para(
                    _("Số đơn vị góp ý: %(units)s: %(names)s.")
                    % {"units": point.units_text, "names": ", ".join(point.group.unit_names)}
                )
            )
            if point.group.status != Group.Status.OPEN:
                handled = str(point.group.get_status_display())
                if point.group.response:
                    handled = f"{handled} – {point.group.response}"
                blocks.append(Para(_("Đoàn Thư ký: %(handled)s.") % {"handled": handled}))
    blocks.append(Para(_("Ý kiến tán thành"), bold=True, indent=False))
    blocks.append(
        Para(
            _("%(count)s ý kiến của %(units)s tán thành toàn văn dự thảo: %(names)s.")
            % {
                "count": len(report.agreements),
                "units": units_text(len(report.agreement_units), 0),
                "names": ", ".join(report.agreement_units) or "—",
            }
        )
    )
    return Document(filename=f"tong-hop-gop-y-{synthesis.draft_id}", title=_("Báo cáo tổng hợp ý kiến góp ý"),
                    blocks=tuple(blocks))  # fmt: skip


def render(synthesis: Synthesis, fmt: str) -> tuple[str, bytes, str]:
    from daihoi.voting.documents import RENDERERS

    doc = report_document(synthesis)
    draw, content_type = RENDERERS[fmt]
    return f"{doc.filename}.{fmt}", draw(doc), content_type


# --- exports up the hierarchy -------------------------------------------------------------------------


AGREEMENT_TEXT = "Tán thành toàn văn dự thảo"


def export_json(synthesis: Synthesis) -> dict[str, Any]:
    """The synthesis as the machine-readable file an upper level imports: the contract JSON of
    `shared/rules/synthesis-format.md` plus who made it (`unit`) and each group's units, names and
    handling; the shape `daihoi.synthesis.load_synthesis_export` reads."""
    report = report_rows(synthesis)
    congress = synthesis.draft.congress
    return {
        "format": EXPORT_FORMAT,
        "unit": congress.organization.name,
        "congress": congress.name,
        "draft": synthesis.draft.title,
        "sections": [
            {
                "section": rs.section.key if rs.section else "",
                "title": rs.section.title if rs.section else "",
                "groups": [
                    {
                        "comments": [f"c{c.pk}" for c in p.comments],
                        "units": p.group.units,
                        "unit_names": list(p.group.unit_names),
                        "subunits": p.group.subunits,
                        "kind": p.group.kind,
                        "summary": p.group.summary,
                        "status": p.group.status,
                        "response": p.group.response,
                    }
                    for p in rs.points
                ],
            }
            for rs in report.sections
        ],
        "agreements": [f"c{c.pk}" for c in report.agreements],
        "agreement_units": len(report.agreement_units),
    }


def export_xlsx(synthesis: Synthesis) -> bytes:
    import openpyxl

    data = export_json(synthesis)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tong hop"
    sheet.append(list(XLSX_COLUMNS))
    for s in data["sections"]:
        for g in s["groups"]:
            sheet.append([s["section"], s["title"], g["summary"], g["kind"], g["units"], "; ".join(g["unit_names"]),
                          g["subunits"], g["status"], g["response"], data["unit"]])  # fmt: skip
    if data["agreement_units"]:
        sheet.append(["", "", AGREEMENT_TEXT, "agree", data["agreement_units"], "", 0, "", "", data["unit"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
