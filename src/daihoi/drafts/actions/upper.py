"""An upper level's congress imports the syntheses of its lower units (JSON or Excel exports) as its
incoming comments. Each point becomes one comment of the sending unit that keeps the number of units
behind it (`weight_units`, `weight_subunits`), so the upper synthesis says "raised by 7 wards (31 cells)".

All files are imported or none.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.actions.roll import RowProblem
from daihoi.congress.errors import ActionError
from daihoi.drafts.actions.comments import comment_facts, new_comment
from daihoi.drafts.models import Comment, DraftDocument, Kind
from daihoi.drafts.report import AGREEMENT_TEXT, XLSX_COLUMNS

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Point:
    unit: str
    section: str
    title: str
    kind: str
    summary: str
    units: int


@dataclass
class UpperImportReport:
    files: list[str] = field(default_factory=list)
    points: int = 0
    created: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


def _problem(report: UpperImportReport, filename: str, row: int | None, code: str, message: str) -> None:
    report.problems.append(RowProblem(row, filename, code, message))


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, float) and value.is_integer() and value >= 1:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and int(value) >= 1:
        return int(value)
    return None


def read_json(filename: str, data: bytes, report: UpperImportReport, sections: set[str]) -> list[Point]:
    """The points of an export, read by the engine's `load_synthesis_export`; plus its agreements."""
    from daihoi.drafts import engine

    try:
        incoming = engine.load_export(data, filename, sections=sections)
    except ActionError as refused:
        _problem(report, filename, refused.params.get("line"), refused.code, refused.message)
        return []
    points = [Point(c.unit, c.section or "", "", c.kind or "", c.text, c.weight_units) for c in incoming]
    # The engine's reader leaves the plain agreements out; they arrive as one weighted agreement.
    doc = json.loads(data.decode("utf-8-sig"))
    agreeing = doc.get("agreement_units") or 0
    if agreeing:
        if _count(agreeing) is None:
            _problem(report, filename, None, "bad_point", _("Tệp “%(file)s”: “agreement_units” không hợp lệ.")
                     % {"file": filename})  # fmt: skip
        else:
            points.append(Point(str(doc["unit"]).strip(), "", "", Kind.AGREE, AGREEMENT_TEXT, int(agreeing)))
    return points


def read_xlsx(filename: str, data: bytes, report: UpperImportReport) -> list[Point]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    except Exception:  # a damaged file raises many kinds; all mean the same
        _problem(
            report,
            filename,
            None,
            "corrupt_file",
            _("Không đọc được tệp Excel “%(file)s”.") % {"file": filename},
        )
        return []
    if not rows or tuple(str(c or "") for c in rows[0][: len(XLSX_COLUMNS)]) != XLSX_COLUMNS:
        _problem(report, filename, 1, "bad_format", _("Tệp “%(file)s”: dòng 1 phải là các cột %(columns)s.")
                 % {"file": filename, "columns": ", ".join(XLSX_COLUMNS)})  # fmt: skip
        return []
    points = []
    for number, values in enumerate(rows[1:], start=2):
        row = dict(zip(XLSX_COLUMNS, values, strict=False))
        if not any(v not in (None, "") for v in values):
            continue
        units = _count(row.get("units"))
        summary = str(row.get("summary") or "").strip()
        kind = str(row.get("kind") or "")
        unit = str(row.get("unit") or "").strip()
        if units is None or not summary or kind not in Kind.values or not unit:
            _problem(report, filename, number, "bad_point", _("Tệp “%(file)s”, dòng %(row)s: thiếu nội dung, đơn vị, "
                     "số đơn vị hoặc loại ý kiến hợp lệ.") % {"file": filename, "row": number})  # fmt: skip
            continue
        points.append(
            Point(unit, str(row.get("section") or ""), str(row.get("title") or ""), kind, summary, units)
        )
    return points


def import_lower_syntheses(
    draft: DraftDocument, actor: Actor, *, files: list[tuple[str, bytes]], record: bool = True
) -> UpperImportReport:
    """Import the lower units' synthesis files (.json or .xlsx) as incoming comments, all or none.
    (`record=False`: the caller, the demo, writes one audit entry for all it loads.)"""
    if not files:
        raise ActionError("no_file", _("Chưa chọn tệp tổng hợp nào để nhập."))
    report = UpperImportReport()
    points: list[Point] = []
    senders: dict[str, str] = {}
    sections = {s.key: s for s in draft.current_sections()}
    for filename, data in files:
        report.files.append(filename)
        if len(data) > MAX_FILE_BYTES:
            _problem(report, filename, None, "file_too_large", _("Tệp “%(file)s” quá giới hạn %(limit)s MB.")
                     % {"file": filename, "limit": MAX_FILE_BYTES >> 20})  # fmt: skip
            continue
        lower = filename.lower()
        if lower.endswith(".json"):
            got = read_json(filename, data, report, set(sections))
        elif lower.endswith(".xlsx"):
            got = read_xlsx(filename, data, report)
        else:
            _problem(report, filename, None, "unsupported_format", _("Tệp “%(file)s”: chỉ nhận .json hoặc .xlsx.")
                     % {"file": filename})  # fmt: skip
            continue
        for unit in {p.unit for p in got}:
            if unit in senders and senders[unit] != filename:
                _problem(report, filename, None, "duplicate_unit", _("“%(unit)s” đã có trong tệp “%(other)s”.")
                         % {"unit": unit, "other": senders[unit]})  # fmt: skip
            senders.setdefault(unit, filename)
        points += got
    report.points = len(points)
    if report.problems:
        return report
    if Comment.objects.filter(draft=draft, source=Comment.Source.UPPER, unit_name__in=list(senders)).exists():
        raise ActionError(
            "already_imported",
            _("Đã nhập tổng hợp của %(units)s vào dự thảo này.")
            % {"units": ", ".join(sorted(Comment.objects.filter(draft=draft, source=Comment.Source.UPPER,
                                  unit_name__in=list(senders)).values_list("unit_name", flat=True).distinct()))},
        )  # fmt: skip
    titles = {" ".join(s.title.lower().split()): s for s in sections.values()}
    comments = [
        new_comment(
            draft,
            actor,
            text=p.summary,
            source=Comment.Source.UPPER,
            section=sections.get(p.section) or titles.get(" ".join(p.title.lower().split())),
            kind=p.kind or "",
            unit_name=p.unit,
            weight_units=p.units,
            weight_subunits=p.units,
            batch=senders[p.unit],
        )
        for p in points
    ]
    with transaction.atomic():
        DraftDocument.objects.select_for_update().get(pk=draft.pk)
        Comment.objects.bulk_create(comments)
        report.created = len(comments)
        if not record:
            return report
        audit.record(
            actor=actor.label,
            action="comment.upper_imported",
            congress_id=draft.congress_id,
            obj=draft,
            after={"files": report.files, "comments": [comment_facts(c) for c in comments]},
        )
    return report
