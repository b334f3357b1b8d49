"""Exports as a registry: producers build tables of rows; renderers (xlsx today) turn tables into files.

    @register
    class RollExporter(Exporter):
        identifier = "roll"
        def tables(self, congress, progress): ...

    filename, data = export("roll", congress, "xlsx")

A producer knows nothing of the file format and reports progress as (done, total) rows. A renderer writes
every value through `daihoi.cells.safe_cell`, so that a name such as `=HYPERLINK(…)` is text, not a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.cells import safe_cell
from daihoi.congress.actions.credentials import credentials_report, percent_decimal
from daihoi.congress.actions.roll import COLUMNS_BY_KEY
from daihoi.congress.models import Congress, Delegate, Guest

Progress = Callable[[int, int], None]

DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.00"


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class Table:
    """One sheet: title lines, a header row and the rows under it. `formats` maps a column to a number format."""

    title: str
    headers: Sequence[str]
    rows: list[list[Any]] = field(default_factory=list)
    heading: Sequence[str] = ()
    formats: dict[int, str] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)


class Exporter:
    """A producer of tables for one congress."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[Any]
    filename_stem: ClassVar[str]

    def filename(self, congress: Congress, extension: str) -> str:
        return f"{self.filename_stem}-{congress.slug}.{extension}"

    def tables(self, congress: Congress, progress: Progress) -> list[Table]:
        raise NotImplementedError


_registry: dict[str, Exporter] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    if cls.identifier in _registry:
        raise ValueError(f"export {cls.identifier!r} is registered twice")
    _registry[cls.identifier] = cls()
    return cls


def exporters() -> dict[str, Exporter]:
    return dict(_registry)


# Renderers ---------------------------------------------------------------------------------------------


def _row(values: Sequence[Any]) -> list[Any]:
    return [safe_cell(str(v) if isinstance(v, Promise) else v) for v in values]


def _as_text(sheet: Any, row: int) -> None:
    """Text cells of `row` stored as strings: never a formula, whatever openpyxl would infer."""
    for cell in sheet[row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def render_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        for line in table.heading:
            sheet.append(_row([line]))
            _as_text(sheet, sheet.max_row)
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        if table.heading:
            sheet.append([])
        sheet.append(_row(table.headers))
        header_row = sheet.max_row
        _as_text(sheet, header_row)
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(_row(row))
            _as_text(sheet, sheet.max_row)
        for column, number_format in table.formats.items():
            for (cell,) in sheet.iter_rows(
                min_row=header_row + 1, min_col=column + 1, max_col=column + 1, max_row=sheet.max_row
            ):
                cell.number_format = number_format
        for index, header in enumerate(table.headers):
            width = table.widths.get(index, max(10, min(40, len(str(header)) + 4)))
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


RENDERERS: dict[str, Callable[[Sequence[Table]], bytes]] = {"xlsx": render_xlsx}
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export(
    identifier: str, congress: Congress, extension: str = "xlsx", progress: Progress | None = None
) -> tuple[str, bytes]:
    """(file name, file bytes) of one registered export in one format."""
    exporter = _registry[identifier]
    tables = exporter.tables(congress, progress or _no_progress)
    return exporter.filename(congress, extension), RENDERERS[extension](tables)


# Producers ---------------------------------------------------------------------------------------------


def _label(key: str) -> str:
    return str(COLUMNS_BY_KEY[key].label)


@register
class RollExporter(Exporter):
    """The roll with the columns the import reads (so a file exported here imports again), then the guests
    as rows of kind "Khách mời", plus the card code, credentials and attendance for people to read."""

    identifier = "roll"
    verbose_name = gettext_lazy("Danh sách đại biểu và khách mời")
    filename_stem = "danh-sach-dai-bieu"

    def tables(self, congress: Congress, progress: Progress) -> list[Table]:
        headers = [
            _("STT"),
            *(
                _label(k)
                for k in (
                    "full_name",
                    "date_of_birth",
                    "sex",
                    "unit",
                    "kind",
                    "standing",
                    "position",
                    "phone",
                    "seat_number",
                    "is_convening_committee",
                )
            ),
            _("Mã thẻ"),
            _("Thẩm tra tư cách"),
            _("Lý do"),
            _("Điểm danh"),
        ]
        delegates = list(Delegate.objects.filter(congress=congress).select_related("unit").order_by("number"))
        guests = list(Guest.objects.filter(congress=congress).order_by("full_name", "pk"))
        total = len(delegates) + len(guests)
        rows: list[list[Any]] = []
        yes, no = _("Có"), _("Không")
        for d in delegates:
            rows.append(
                [
                    d.number,
                    d.full_name,
                    d.date_of_birth,
                    d.get_sex_display() if d.sex else "",
                    d.unit.name if d.unit else "",
                    d.get_kind_display(),
                    d.get_standing_display(),
                    d.position,
                    d.phone,
                    d.seat_number,
                    yes if d.is_convening_committee else no,
                    d.code,
                    d.get_credential_display(),
                    d.credential_reason,
                    d.get_attendance_display(),
                ]
            )
            if len(rows) % 500 == 0:
                progress(len(rows), total)
        guest_kind = _("Khách mời")
        for g in guests:
            attendance = _("Có mặt") if g.checked_in_at else _("Chưa đến")
            rows.append(["", g.full_name, None, "", g.organization_name, guest_kind, "", g.title])
            rows[-1].extend(["", "", "", g.code, "", "", attendance])
        progress(total, total)
        return [
            Table(
                title=_("Danh sách"),
                headers=headers,
                rows=rows,
                formats={2: DATE_FORMAT, 8: "@"},
                widths={0: 6, 1: 28, 2: 12, 4: 24, 7: 28, 11: 14},
            )
        ]


@register
class CredentialsReportExporter(Exporter):
    """The credentials committee's figures: each breakdown with counts and exact percentages."""

    identifier = "credentials_report"
    verbose_name = gettext_lazy("Báo cáo thẩm tra tư cách đại biểu")
    filename_stem = "bao-cao-tham-tra-tu-cach"

    def tables(self, congress: Congress, progress: Progress) -> list[Table]:
        report = credentials_report(congress)
        heading = [
            congress.name,
            _("Báo cáo thẩm tra tư cách đại biểu"),
            _("Số liệu lúc %(time)s") % {"time": timezone.localtime(report.as_of).strftime("%H:%M %d/%m/%Y")},
            _("Tổng số đại biểu được triệu tập: %(convened)s; có mặt: %(present)s (%(percent)s%%)")
            % {"convened": report.convened, "present": report.present, "percent": report.present_percent},
        ]
        headers = [
            _("Nhóm"),
            _("Nội dung"),
            _("Được triệu tập"),
            _("Tỷ lệ (%) trên tổng số triệu tập"),
            _("Có mặt"),
            _("Tỷ lệ (%) trên tổng số có mặt"),
        ]
        rows: list[list[Any]] = []
        for index, breakdown in enumerate(report.breakdowns, start=1):
            for line in breakdown.lines:
                rows.append(
                    [
                        breakdown.title,
                        line.label,
                        line.convened,
                        _as_decimal(percent_decimal(line.convened, report.convened)),
                        line.present,
                        _as_decimal(percent_decimal(line.present, report.present)),
                    ]
                )
            progress(index, len(report.breakdowns))
        tables = [
            Table(
                title=_("Báo cáo"),
                heading=heading,
                headers=headers,
                rows=rows,
                formats={3: PERCENT_FORMAT, 5: PERCENT_FORMAT},
                widths={0: 30, 1: 28, 2: 14, 3: 18, 4: 12, 5: 18},
            )
        ]
        if report.rejections:
            tables.append(
                Table(
                    title=_("Không đủ tư cách"),
                    headers=[_("STT"), _("Họ và tên"), _("Chi bộ"), _("Lý do")],
                    rows=[[r.number, r.full_name, r.unit, r.reason] for r in report.rejections],
                    widths={1: 28, 2: 24, 3: 50},
                )
            )
        return tables


def _as_decimal(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value
