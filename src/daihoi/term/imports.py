"""Excel imports of the term: the previous term's targets with their yearly values (the review), and one
year's achieved values. All rows are checked first; any bad row refuses the whole file with a row-level
report, and nothing is written.

Excel keeps numbers as binary floats: a numeric cell is read as the shortest decimal that reads back as
the same number (Python's repr, e.g. 133.1), which is what the person typed; text cells must be decimal
strings with a dot (a comma is refused, since "1,5" may mean 1.5 or 15).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress.access import Actor
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.rules import targets as core
from daihoi.rules.errors import RuleError
from daihoi.term import actions
from daihoi.term.models import Area, Direction, Kind, Mean, Target, TargetValue

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 500


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    code: str
    message: str


@dataclass
class ImportReport:
    filename: str
    problems: list[RowProblem] = field(default_factory=list)
    targets: int = 0
    values: int = 0

    @property
    def is_ok(self) -> bool:
        return not self.problems


def _key(text: Any) -> str:
    s = unicodedata.normalize("NFD", str(text or "").strip().lower()).replace("đ", "d")
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _choices(choices: Any) -> dict[str, str]:
    """code → code and label → code, both as keys."""
    out = {}
    for value, label in choices:
        out[_key(value)] = value
        out[_key(label)] = value
    return out


KINDS = _choices(Kind.choices)
DIRECTIONS = {
    **_choices(Direction.choices),
    "tu tro len": "at_least",
    "it nhat": "at_least",
    "toi da": "at_most",
}
MEANS = {**_choices(Mean.choices), "kep": "compound", "cong": "arithmetic"}
AREAS = _choices(Area.choices)

REVIEW_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "number", "so thu tu", "tt"),
    "name": ("chi tieu", "name", "ten chi tieu"),
    "unit": ("don vi", "unit", "don vi tinh"),
    "area": ("linh vuc", "area"),
    "kind": ("loai", "kind", "loai chi tieu"),
    "direction": ("huong", "direction"),
    "target": ("chi tieu de ra", "target", "muc tieu"),
    "mean": ("binh quan", "mean", "cach tinh binh quan"),
}
YEAR_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("stt", "number", "so thu tu", "tt"),
    "value": ("gia tri", "value", "ket qua", "gia tri dat duoc"),
    "note": ("ghi chu", "note"),
}
REVIEW_REQUIRED = ("number", "name", "kind", "direction", "target")
YEAR_REQUIRED = ("number", "value")


def _rows(filename: str, data: bytes) -> list[tuple[int, list[Any]]]:
    if len(data) > MAX_FILE_BYTES:
        raise ActionError(
            "file_too_large",
            _("Tệp “%(name)s” quá giới hạn %(limit)s MB.")
            % {"name": filename, "limit": MAX_FILE_BYTES // 2**20},
        )
    if not data.startswith(b"PK"):
        raise ActionError("not_excel", _("Tệp “%(name)s” không phải tệp Excel (.xlsx).") % {"name": filename})
    # Read as the roll is: the zip inspected before openpyxl sees it, rows and columns bounded, one of a
    # few reading slots (a 1.9 KB file with a cell in row 30,000,000 must not hold a request thread).
    from daihoi.congress.actions.roll.reading import read_sheet

    rows = read_sheet(filename, data, max_rows=MAX_ROWS + 1)
    if not rows:
        raise ActionError("empty_file", _("Tệp “%(name)s” không có dòng nào.") % {"name": filename})
    return rows


def _header(
    row: int, cells: list[Any], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[dict[str, int], dict[int, int]]:
    """Column index of each known field, and of each 4-digit year column."""
    found: dict[str, int] = {}
    years: dict[int, int] = {}
    for i, cell in enumerate(cells):
        k = _key(cell)
        if re.fullmatch(r"\d{4}", k):
            years[int(k)] = i
            continue
        for name, keys in columns.items():
            if k in keys and name not in found:
                found[name] = i
    missing = [name for name in required if name not in found]
    if missing:
        labels = ", ".join(columns[m][0] for m in missing)
        raise ActionError(
            "missing_columns",
            _("Dòng tiêu đề (dòng %(row)s) thiếu cột: %(cols)s.") % {"row": row, "cols": labels},
        )
    return found, years


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _number_cell(value: Any) -> str:
    """A cell as a decimal string: numbers by repr, text as typed (the core checks it)."""
    text = _text(value)
    if isinstance(value, float) and "e" in text.lower():
        text = format(Decimal(text), "f")
    return text


def import_review(congress: Congress, filename: str, data: bytes, actor: Actor) -> ImportReport:
    """The previous term's targets, one row each, with a column per year B … E (the first is the base)."""
    report = ImportReport(filename)
    rows = _rows(filename, data)
    head_row, head = rows[0]
    cols, years = _header(head_row, head, REVIEW_COLUMNS, REVIEW_REQUIRED)
    year_list = sorted(years)
    if len(year_list) < 2 or year_list != list(range(year_list[0], year_list[-1] + 1)):
        raise ActionError(
            "bad_year_columns",
            _("Dòng tiêu đề cần các cột năm liên tiếp từ năm gốc đến năm cuối nhiệm kỳ (có: %(years)s).")
            % {"years": ", ".join(map(str, year_list)) or "—"},
        )
    term = core.Term(year_list[0], year_list[-1])
    drafts: list[tuple[int, dict[str, Any], dict[int, str]]] = []
    seen: dict[int, int] = {}

    def problem(row: int, column: str, code: str, message: str) -> None:
        report.problems.append(RowProblem(row, column, code, message))

    def cell(cells: list[Any], name: str) -> Any:
        i = cols.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    for row, cells in rows[1:]:
        raw_number = _text(cell(cells, "number"))
        if not raw_number.isdigit() or int(raw_number) < 1:
            problem(
                row,
                "STT",
                "bad_number",
                _("Số thứ tự “%(v)s” không phải số nguyên dương.") % {"v": raw_number},
            )
            continue
        number = int(raw_number)
        if number in seen:
            problem(
                row,
                "STT",
                "duplicate_number",
                _("Số thứ tự %(n)s đã có ở dòng %(row)s.") % {"n": number, "row": seen[number]},
            )
            continue
        seen[number] = row
        kind = KINDS.get(_key(cell(cells, "kind")))
        direction = DIRECTIONS.get(_key(cell(cells, "direction")))
        mean_raw = _key(cell(cells, "mean"))
        mean = MEANS.get(mean_raw) if mean_raw else Mean.COMPOUND.value
        area_raw = _key(cell(cells, "area"))
        area = AREAS.get(area_raw) if area_raw else Area.OTHER.value
        bad = False
        for label, value, got in (
            (_("Loại"), cell(cells, "kind"), kind),
            (_("Hướng"), cell(cells, "direction"), direction),
            (_("Bình quân"), cell(cells, "mean"), mean),
            (_("Lĩnh vực"), cell(cells, "area"), area),
        ):
            if got is None:
                problem(
                    row,
                    label,
                    "unknown_choice",
                    _("%(col)s “%(v)s” không hợp lệ.") % {"col": label, "v": _text(value)},
                )
                bad = True
        if bad:
            continue
        values: dict[int, str] = {}
        try:
            fields = actions.clean_target(
                actions.TargetInput(
                    name=_text(cell(cells, "name")),
                    kind=kind or "",
                    direction=direction or "",
                    target_value=_number_cell(cell(cells, "target")),
                    unit=_text(cell(cells, "unit")),
                    area=area or Area.OTHER.value,
                    mean=mean or Mean.COMPOUND.value,
                    baseline=_number_cell(cells[years[term.base]] if years[term.base] < len(cells) else None),
                ),
                number,
            )
            for year in term.years:
                i = years[year]
                text = _number_cell(cells[i] if i < len(cells) else None)
                if text:
                    try:
                        parsed = core.parse_decimal(text, target=str(number), field_name=f"năm {year}")
                    except RuleError as e:
                        raise actions.rule_error(e) from e
                    if kind == Kind.GROWTH_AVG and parsed <= 0:
                        raise actions.rule_error(
                            core.TargetError(
                                "target_value_not_positive", target=str(number), year=year, value=text
                            )
                        )
                    values[year] = text
        except ActionError as e:
            problem(row, str(e.params.get("field", "")) or _("Chỉ tiêu"), e.code, e.message)
            continue
        drafts.append((number, fields, values))
    if not drafts and not report.problems:
        problem(head_row, "", "no_rows", _("Không có chỉ tiêu nào dưới dòng tiêu đề."))
    if report.problems:
        return report
    with transaction.atomic():
        actions._lock(congress)
        if Target.objects.filter(congress=congress, is_review=True).exists():
            raise ActionError("review_exists", _("Đại hội đã có danh sách chỉ tiêu nhiệm kỳ trước."))
        now = timezone.now()
        for number, fields, values in drafts:
            t = Target.objects.create(
                congress=congress,
                is_review=True,
                number=number,
                term_start=term.base,
                term_end=term.end,
                **fields,
            )
            TargetValue.objects.bulk_create(
                [
                    TargetValue(target=t, year=y, value=v, entered_by=actor.label, entered_at=now)
                    for y, v in values.items()
                ]
            )
            report.targets += 1
            report.values += len(values)
        audit.record(
            actor=actor.label,
            action="review.import",
            congress_id=congress.pk,
            obj=congress,
            after={
                "file": filename,
                "targets": report.targets,
                "values": report.values,
                "term": [term.base, term.end],
            },
        )
    return report


def import_year(congress: Congress, year: int, filename: str, data: bytes, actor: Actor) -> ImportReport:
    """One year's achieved values of this congress's targets: STT, value, note."""
    report = ImportReport(filename)
    rows = _rows(filename, data)
    head_row, head = rows[0]
    cols, _years = _header(head_row, head, YEAR_COLUMNS, YEAR_REQUIRED)
    targets = {t.number: t for t in Target.objects.filter(congress=congress, is_review=False)}
    entries: dict[int, tuple[str, str]] = {}
    seen: dict[int, int] = {}
    for row, cells in rows[1:]:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            i = cols.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        raw_number = _text(cell("number"))
        target = targets.get(int(raw_number)) if raw_number.isdigit() else None
        if target is None:
            report.problems.append(
                RowProblem(
                    row,
                    "STT",
                    "unknown_target",
                    _("Không có chỉ tiêu số “%(v)s” trong nghị quyết.") % {"v": raw_number},
                )
            )
            continue
        if target.number in seen:
            report.problems.append(
                RowProblem(
                    row,
                    "STT",
                    "duplicate_number",
                    _("Chỉ tiêu %(n)s đã có ở dòng %(row)s.")
                    % {"n": target.number, "row": seen[target.number]},
                )
            )
            continue
        seen[target.number] = row
        value, note = _number_cell(cell("value")), _text(cell("note"))
        if not value:
            continue
        try:
            actions._check_value(target, year, value)
            if len(note) > actions.NOTE_MAX:
                raise ActionError(
                    "note_too_long", _("Ghi chú dài quá %(max)s ký tự.") % {"max": actions.NOTE_MAX}
                )
        except ActionError as e:
            report.problems.append(RowProblem(row, _("Giá trị"), e.code, e.message))
            continue
        entries[target.pk] = (value, note)
    if report.problems:
        return report
    with transaction.atomic():
        report.values = actions.record_year(congress, year, entries, actor)
        audit.record(
            actor=actor.label,
            action="term.import_year",
            congress_id=congress.pk,
            obj=congress,
            after={"file": filename, "year": year, "values": len(entries)},
        )
    return report
