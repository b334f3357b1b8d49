"""Checking each row of a roll file against the congress; each problem names the row and the column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from daihoi.cells import unquote_cell
from daihoi.congress.actions.roll.columns import (
    COLUMNS_BY_KEY,
    GUEST,
    KIND,
    NO,
    SEX,
    STANDING,
    YES,
    header_key,
)
from daihoi.congress.actions.roll.reading import Table, is_blank
from daihoi.congress.actions.setup import sub_units
from daihoi.congress.models import Congress, Delegate, Organization
from daihoi.congress.names import bad_character, normalize_name

# ASCII digits only: `\d` alone also matches Arabic-Indic and other digits, which no roll means.
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.ASCII)
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"0\d{9,10}", re.ASCII)
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class RowProblem:
    """One problem with one row (or with the file, when `row` is None), already translated."""

    row: int | None
    column: str
    code: str
    message: str


@dataclass
class DelegateDraft:
    row: int
    full_name: str
    date_of_birth: dt.date
    sex: str
    unit: Organization | None
    kind: str
    standing: str
    position: str
    phone: str
    seat_number: str
    is_convening_committee: bool


@dataclass
class GuestDraft:
    row: int
    full_name: str
    title: str
    organization_name: str


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return normalize_name(unquote_cell(str(value)))


class Problems:
    """Collects translated problems, naming the row and the column as the file's header writes it."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.items: list[RowProblem] = []

    def add(self, row: int, key: str | None, code: str, detail: str) -> None:
        if key is None:
            column = ""
            message = _("Dòng %(row)s: %(problem)s") % {"row": row, "problem": detail}
        else:
            column = self.columns.get(key) or str(COLUMNS_BY_KEY[key].label)
            message = _("Dòng %(row)s, cột %(column)s: %(problem)s") % {
                "row": row,
                "column": column,
                "problem": detail,
            }
        self.items.append(RowProblem(row, column, code, message))


class _Row:
    """One row being checked; remembers whether it had a problem."""

    def __init__(self, number: int, values: dict[str, Any], problems: Problems) -> None:
        self.number = number
        self.values = values
        self.problems = problems
        self.is_ok = True

    def problem(self, key: str | None, code: str, detail: str) -> None:
        self.is_ok = False
        self.problems.add(self.number, key, code, detail)

    def text(self, key: str, *, required: bool = False) -> str:
        raw = self.values.get(key)
        if isinstance(raw, str) and (bad := bad_character(raw)) is not None:
            self.problem(
                key,
                bad.code,
                _(
                    "có ký tự điều khiển hoặc ký tự không hợp lệ (%(char)s, ký tự thứ %(position)s); hãy gõ lại ô này"
                )
                % {"char": bad.char, "position": bad.position},
            )
            return ""
        value = cell_text(raw)
        if required and not value:
            self.problem(key, "required", _("bắt buộc phải có"))
        limit = COLUMNS_BY_KEY[key].max_length
        if limit is not None and len(value) > limit:
            self.problem(
                key,
                "too_long",
                _("dài %(length)s ký tự, tối đa %(limit)s") % {"length": len(value), "limit": limit},
            )
        return value

    def choice(self, key: str, choices: dict[str, str], allowed: str, *, required: bool) -> str | None:
        raw = self.text(key, required=required)
        if not raw:
            return None
        value = choices.get(header_key(raw))
        if value is None:
            self.problem(
                key,
                f"bad_{key}",
                _("“%(value)s” không hợp lệ (ghi một trong: %(allowed)s)")
                % {"value": raw, "allowed": allowed},
            )
        return value


def _parse_date(value: Any) -> tuple[dt.date | None, str]:
    """(date, "") or (None, error code)."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, bool):
        return None, "bad_date"
    if isinstance(value, int | float):
        if float(value).is_integer() and 1000 <= value <= 2100:
            return None, "year_only"
        from openpyxl.utils.datetime import from_excel

        try:  # a date typed in a cell without a date format reads as its Excel serial number
            return from_excel(value).date(), ""
        except (ValueError, OverflowError, TypeError, AttributeError):
            return None, "bad_date"
    text = cell_text(value)
    if _YEAR.fullmatch(text):
        return None, "year_only"
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _YMD.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None, "bad_date"
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, "bad_date"


def _parse_phone(value: Any) -> str | None:
    """The phone as digits from 0 (+84 → 0); None if it is not a Vietnamese phone number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    numeric = isinstance(value, int) and not isinstance(value, bool)
    compact = _PHONE_SEPARATORS.sub("", cell_text(value))
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif numeric and len(compact) in (9, 10) and not compact.startswith("0"):
        compact = "0" + compact  # a number cell drops the leading 0
    return compact if _PHONE.fullmatch(compact) else None


def date_text(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


class _UnitIndex:
    """Sub-units found by name or code, ignoring case; by name without diacritics if that is unambiguous."""

    def __init__(self, congress: Congress) -> None:
        self.organization = congress.organization
        self.units = sub_units(congress)
        self.exact: dict[str, Organization] = {}
        self.loose: dict[str, list[Organization]] = {}
        for unit in [*self.units, self.organization]:
            for key in (normalize_name(unit.name).casefold(), unit.code.casefold()):
                self.exact.setdefault(key, unit)
            self.loose.setdefault(header_key(unit.name), []).append(unit)

    def find(self, text: str) -> tuple[Organization | None, str]:
        unit = self.exact.get(text.casefold())
        if unit is not None:
            return unit, ""
        matches = self.loose.get(header_key(text), [])
        if len(matches) == 1:
            return matches[0], ""
        return None, "ambiguous_unit" if matches else "unknown_unit"


def check_rows(congress: Congress, table: Table, problems: Problems) -> list[DelegateDraft | GuestDraft]:
    units = _UnitIndex(congress)
    kinds = ", ".join(str(label) for label in (*Delegate.Kind.labels, _("Khách mời")))
    drafts: list[DelegateDraft | GuestDraft] = []
    for number, values in table.rows:
        row = _Row(number, values, problems)
        given = cell_text(values.get("full_name"))
        if "family_name" in table.columns and given:
            values["full_name"] = f"{cell_text(values.get('family_name'))} {given}"
        full_name = row.text("full_name", required=True)
        kind = row.choice("kind", KIND, kinds, required=True)
        draft: DelegateDraft | GuestDraft
        if kind == GUEST:
            draft = GuestDraft(
                number, full_name, title=row.text("position"), organization_name=row.text("unit")
            )
        else:
            draft = _delegate_draft(congress, row, full_name, kind, units)
        if row.is_ok:
            drafts.append(draft)
    return drafts


def _delegate_draft(
    congress: Congress, row: _Row, full_name: str, kind: str | None, units: _UnitIndex
) -> DelegateDraft:
    born = _birth_date(congress, row)
    sex = row.choice("sex", SEX, ", ".join(str(s) for s in Delegate.Sex.labels[:2]), required=True)
    standing = row.choice("standing", STANDING, ", ".join(map(str, Delegate.Standing.labels)), required=False)
    convening = row.choice(
        "is_convening_committee",
        {**dict.fromkeys(YES, "yes"), **dict.fromkeys(NO, "no")},
        _("Có, Không"),
        required=False,
    )
    unit = None
    unit_text = row.text("unit", required=bool(units.units))
    if unit_text:
        unit, code = units.find(unit_text)
        if code == "unknown_unit":
            row.problem(
                "unit",
                code,
                _("không có chi bộ “%(unit)s” trong %(organization)s")
                % {"unit": unit_text, "organization": units.organization.name},
            )
        elif code:
            row.problem(
                "unit",
                code,
                _("“%(unit)s” khớp với nhiều chi bộ; hãy ghi tên có dấu hoặc mã chi bộ")
                % {"unit": unit_text},
            )
    phone = ""
    raw_phone = row.values.get("phone")
    if not is_blank(raw_phone):
        parsed = _parse_phone(raw_phone)
        if parsed is None:
            row.problem(
                "phone",
                "bad_phone",
                _("“%(value)s” không phải số điện thoại hợp lệ (10 hoặc 11 chữ số bắt đầu bằng 0, hoặc +84)")
                % {"value": cell_text(raw_phone)},
            )
        else:
            phone = parsed
    return DelegateDraft(
        row=row.number,
        full_name=full_name,
        date_of_birth=born or _EARLIEST_BIRTH,
        sex=sex or "",
        unit=unit,
        kind=kind or Delegate.Kind.ELECTED,
        standing=standing or Delegate.Standing.OFFICIAL,
        position=row.text("position"),
        phone=phone,
        seat_number=row.text("seat_number"),
        # Unless the file says otherwise, the ex officio delegates are the outgoing (convening) committee.
        is_convening_committee=convening == "yes" if convening else kind == Delegate.Kind.EX_OFFICIO,
    )


def _birth_date(congress: Congress, row: _Row) -> dt.date | None:
    raw = row.values.get("date_of_birth")
    if is_blank(raw):
        row.problem("date_of_birth", "required", _("bắt buộc phải có"))
        return None
    value, code = _parse_date(raw)
    shown = cell_text(raw)
    if code == "year_only":
        row.problem(
            "date_of_birth",
            code,
            _("“%(value)s” chỉ có năm sinh; cần đủ ngày/tháng/năm, ví dụ 05/09/%(value)s") % {"value": shown},
        )
        return None
    if value is None:
        row.problem("date_of_birth", code, _("“%(value)s” không phải ngày hợp lệ") % {"value": shown})
        return None
    if value >= congress.starts_on or value < _EARLIEST_BIRTH:
        row.problem(
            "date_of_birth",
            "implausible_date",
            _("ngày sinh %(value)s không hợp lý (đại hội khai mạc ngày %(start)s)")
            % {"value": date_text(value), "start": date_text(congress.starts_on)},
        )
        return None
    return value
