"""The roll: importing delegates and guests from Excel or CSV (every row or none), and adding a guest.

An import reads the file, checks every row against the congress (sub-units, the roll already there) while
the congress row is locked, and either writes all rows in one transaction with one audit entry, or
writes nothing and returns a report naming each spreadsheet row and each problem.

File-level refusals (format, size, corrupt file, missing columns) raise `ActionError`; row-level problems
come back in `ImportReport.problems`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.setup import sub_units
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Guest, Organization, new_card_code
from daihoi.congress.names import normalize_name, search_key

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Rolls often carry a title and a blank line or two above the header row.
HEADER_SEARCH_ROWS = 10

GUEST = "guest"


@dataclass(frozen=True)
class Column:
    """One column the import understands: its key, the header the export writes, the headers it accepts."""

    key: str
    label: Promise
    aliases: frozenset[str]
    max_length: int | None = None


def _keys(*names: str) -> frozenset[str]:
    return frozenset(header_key(n) for n in names)


def header_key(text: str) -> str:
    """'Ngày sinh (dd/mm/yyyy) *' -> 'ngay sinh': no diacritics, no notes, lower case."""
    text = re.sub(r"\(.*?\)", " ", str(text))
    return re.sub(r"[^a-z0-9]+", " ", search_key(text)).strip()


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        gettext_lazy("Họ và tên"),
        _keys("Họ và tên", "Họ tên", "Tên", "Họ và tên đại biểu", "name", "full name", "full_name"),
        Delegate._meta.get_field("full_name").max_length,
    ),
    # Many rolls split the name: "Họ và tên đệm" | "Tên". The import joins them into the full name.
    Column(
        "family_name",
        gettext_lazy("Họ và tên đệm"),
        _keys("Họ và tên đệm", "Họ và đệm", "Họ đệm", "Họ và chữ đệm", "Họ", "family name", "surname"),
        Delegate._meta.get_field("full_name").max_length,
    ),
    Column(
        "date_of_birth",
        gettext_lazy("Ngày sinh"),
        _keys(
            "Ngày sinh",
            "Ngày tháng năm sinh",
            "Sinh ngày",
            "date of birth",
            "date_of_birth",
            "dob",
            "birth date",
        ),
    ),
    Column("sex", gettext_lazy("Giới tính"), _keys("Giới tính", "Nam/Nữ", "Phái", "sex", "gender")),
    Column(
        "unit",
        gettext_lazy("Chi bộ"),
        _keys("Chi bộ", "Đơn vị", "Chi bộ/đơn vị", "Tổ chức", "unit", "sub-unit", "subunit", "cell"),
        Guest._meta.get_field("organization_name").max_length,
    ),
    Column("kind", gettext_lazy("Loại đại biểu"), _keys("Loại đại biểu", "Loại", "Đại biểu", "kind", "type")),
    Column(
        "standing",
        gettext_lazy("Chính thức/dự khuyết"),
        _keys("Chính thức/dự khuyết", "Chính thức/Dự khuyết", "Tư cách", "standing"),
    ),
    Column(
        "position",
        gettext_lazy("Chức vụ"),
        _keys("Chức vụ", "Chức danh", "position", "title"),
        Delegate._meta.get_field("position").max_length,
    ),
    Column(
        "phone",
        gettext_lazy("Điện thoại"),
        _keys("Điện thoại", "Số điện thoại", "SĐT", "ĐT", "phone", "phone number", "mobile", "telephone"),
    ),
    Column(
        "seat_number",
        gettext_lazy("Số ghế"),
        _keys("Số ghế", "Ghế", "Vị trí ghế", "seat", "seat number", "seat_number"),
        Delegate._meta.get_field("seat_number").max_length,
    ),
    Column(
        "is_convening_committee",
        gettext_lazy("Cấp ủy triệu tập"),
        _keys("Cấp ủy triệu tập", "Thuộc cấp ủy triệu tập", "convening committee", "is_convening_committee"),
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_COLUMNS = ("full_name", "date_of_birth", "sex", "unit", "kind")

# Written by the export for people to read; an import reads past them (a new roll gets new numbers and codes).
IGNORED_HEADERS = _keys(
    "STT",
    "TT",
    "Số thứ tự",
    "number",
    "no",
    "Mã thẻ",
    "code",
    "card code",
    "Điểm danh",
    "attendance",
    "Thẩm tra tư cách",
    "credential",
    "Lý do",
    "reason",
)

_SEX = {
    **dict.fromkeys(_keys("Nam", "male", "m"), Delegate.Sex.MALE),
    **dict.fromkeys(_keys("Nữ", "female", "f"), Delegate.Sex.FEMALE),
}
_KIND = {
    **dict.fromkeys(
        _keys("Đương nhiên", "Đại biểu đương nhiên", "ex officio", "ex_officio"), Delegate.Kind.EX_OFFICIO
    ),
    **dict.fromkeys(_keys("Được bầu", "Bầu", "Đại biểu được bầu", "elected"), Delegate.Kind.ELECTED),
    **dict.fromkeys(_keys("Chỉ định", "Đại biểu chỉ định", "appointed"), Delegate.Kind.APPOINTED),
    **dict.fromkeys(_keys("Khách mời", "Khách", "guest"), GUEST),
}
_STANDING = {
    **dict.fromkeys(_keys("Chính thức", "official"), Delegate.Standing.OFFICIAL),
    **dict.fromkeys(_keys("Dự khuyết", "alternate"), Delegate.Standing.ALTERNATE),
}
_YES = _keys("Có", "x", "yes", "y", "1", "true")
_NO = _keys("Không", "no", "n", "0", "false")

_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_YEAR = re.compile(r"\d{4}")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"0\d{9,10}")
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class RowProblem:
    """One problem with one row (or with the file, when `row` is None), already translated."""

    row: int | None
    column: str
    code: str
    message: str


@dataclass
class ImportReport:
    """What an import found and did. With any problem, nothing was written."""

    filename: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    delegates_created: int = 0
    guests_created: int = 0
    first_number: int | None = None
    last_number: int | None = None
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def problem_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def codes(self) -> set[str]:
        return {p.code for p in self.problems}


@dataclass
class _Table:
    """The rows of the file below its header, by spreadsheet row number, keyed by column key."""

    columns: dict[str, str]  # key -> header as written in the file
    rows: list[tuple[int, dict[str, Any]]]
    ignored: list[str]


@dataclass
class _DelegateDraft:
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
class _GuestDraft:
    row: int
    full_name: str
    title: str
    organization_name: str


# Reading the file ---------------------------------------------------------------------------------------


def _refuse_file(code: str, message: str, **params: Any) -> ActionError:
    return ActionError(code, message, **params)


def _file_kind(filename: str, data: bytes) -> str:
    name = filename.lower().strip()
    if len(data) > MAX_FILE_BYTES:
        raise _refuse_file(
            "file_too_large",
            _("Tệp “%(name)s” nặng %(size)s MB, quá giới hạn %(limit)s MB.")
            % {"name": filename, "size": megabytes(len(data)), "limit": MAX_FILE_BYTES // (1024 * 1024)},
            size=len(data),
            limit=MAX_FILE_BYTES,
        )
    if name.endswith((".xlsx", ".xlsm")):
        if not data.startswith(b"PK\x03\x04"):
            raise _corrupt(filename)
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xls"):
        raise _refuse_file(
            "old_excel_format",
            _(
                "Tệp “%(name)s” là định dạng Excel cũ (.xls). Hãy mở tệp trong Excel và lưu lại thành "
                "“Excel Workbook (.xlsx)” hoặc “CSV UTF-8”."
            )
            % {"name": filename},
        )
    raise _refuse_file(
        "unsupported_format",
        _("Tệp “%(name)s” không phải tệp Excel (.xlsx) hoặc CSV (.csv).") % {"name": filename},
    )


def megabytes(size: int) -> str:
    tenths = (size * 10 + 512 * 1024) // (1024 * 1024)  # one decimal, half up
    return f"{tenths // 10},{tenths % 10}"


def _corrupt(filename: str) -> ActionError:
    return _refuse_file(
        "corrupt_file",
        _("Không đọc được tệp Excel “%(name)s”: tệp bị hỏng hoặc không phải tệp .xlsx.") % {"name": filename},
    )


def _open_workbook(filename: str, data: bytes) -> Any:
    import openpyxl  # imported here: only imports and exports need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; the values are what matter.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged file raises many kinds (zip, XML, key errors); all mean the same
        raise _corrupt(filename) from error
    if not workbook.worksheets:
        workbook.close()
        raise _corrupt(filename)
    return workbook


def _csv_rows(filename: str, data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse_file(
            "not_utf8",
            _(
                "Tệp CSV “%(name)s” không dùng mã UTF-8 nên tiếng Việt sẽ bị lỗi. Trong Excel, chọn "
                "Lưu thành → “CSV UTF-8 (Comma delimited)”."
            )
            % {"name": filename},
        ) from error
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    try:
        # Excel set to Vietnamese writes ';' (the decimal mark is ',').
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        # One record per spreadsheet row, as the file looks when opened in Excel.
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1)
    except csv.Error as error:
        raise _refuse_file(
            "corrupt_file",
            _("Không đọc được tệp CSV “%(name)s”: %(error)s") % {"name": filename, "error": error},
        ) from error


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(filename: str, data: bytes) -> _Table:
    """The header and the non-empty rows of the file; refuses files the import cannot use."""
    if _file_kind(filename, data) == "csv":
        return _collect(filename, _csv_rows(filename, data))
    workbook = _open_workbook(filename, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The first sheet. Read-only sheets yield missing rows as empty ones: the index is the row number.
            rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
            try:
                return _collect(filename, rows)
            except ActionError:
                raise
            except Exception as error:
                raise _corrupt(filename) from error
    finally:
        workbook.close()


def _collect(filename: str, rows: Iterator[tuple[int, Sequence[Any]]]) -> _Table:
    header: dict[int, str] | None = None
    columns: dict[str, str] = {}
    ignored: list[str] = []
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in rows:
        if header is None:
            if number > HEADER_SEARCH_ROWS:
                break
            header = _header(values, columns, ignored)
            continue
        if all(_is_blank(v) for v in values):
            continue
        if len(found) >= MAX_ROWS:
            raise _refuse_file(
                "too_many_rows",
                _("Tệp “%(name)s” có hơn %(limit)s dòng; hãy chia thành nhiều tệp.")
                % {"name": filename, "limit": MAX_ROWS},
                limit=MAX_ROWS,
            )
        found.append(
            (number, {key: values[index] if index < len(values) else None for index, key in header.items()})
        )
    if header is None:
        raise _refuse_file(
            "missing_header",
            _("Không tìm thấy dòng tiêu đề có cột “%(column)s” trong %(rows)s dòng đầu của tệp “%(name)s”.")
            % {"column": COLUMNS_BY_KEY["full_name"].label, "rows": HEADER_SEARCH_ROWS, "name": filename},
        )
    missing = [str(COLUMNS_BY_KEY[key].label) for key in REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise _refuse_file(
            "missing_columns",
            _("Tệp “%(name)s” thiếu cột: %(columns)s.") % {"name": filename, "columns": ", ".join(missing)},
            columns=missing,
        )
    if not found:
        raise _refuse_file(
            "empty_file",
            _("Tệp “%(name)s” không có dòng dữ liệu nào dưới dòng tiêu đề.") % {"name": filename},
        )
    return _Table(columns=columns, rows=found, ignored=ignored)


def _header(values: Sequence[Any], columns: dict[str, str], ignored: list[str]) -> dict[int, str] | None:
    """The column index of each known header if `values` is the header row (it names the full name)."""
    by_alias = {alias: column.key for column in COLUMNS for alias in column.aliases}
    keys = [header_key(v) if not _is_blank(v) else "" for v in values]
    if not any(by_alias.get(k) == "full_name" for k in keys):
        return None
    header: dict[int, str] = {}
    for index, (value, k) in enumerate(zip(values, keys, strict=True)):
        if not k:
            continue
        column_key = by_alias.get(k)
        if column_key is None:
            ignored.append(normalize_name(str(value)))
            continue
        if column_key in columns:
            raise _refuse_file(
                "duplicate_column",
                _("Cột “%(first)s” và cột “%(second)s” cùng là %(column)s; hãy giữ một cột.")
                % {
                    "first": columns[column_key],
                    "second": normalize_name(str(value)),
                    "column": COLUMNS_BY_KEY[column_key].label,
                },
            )
        columns[column_key] = normalize_name(str(value))
        header[index] = column_key
    ignored[:] = [name for name in ignored if header_key(name) not in IGNORED_HEADERS]
    return header


# Checking each row --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return normalize_name(str(value))


class _Problems:
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

    def __init__(self, number: int, values: dict[str, Any], problems: _Problems) -> None:
        self.number = number
        self.values = values
        self.problems = problems
        self.is_ok = True

    def problem(self, key: str | None, code: str, detail: str) -> None:
        self.is_ok = False
        self.problems.add(self.number, key, code, detail)

    def text(self, key: str, *, required: bool = False) -> str:
        value = _text(self.values.get(key))
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
    text = _text(value)
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
    compact = _PHONE_SEPARATORS.sub("", _text(value))
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif numeric and len(compact) in (9, 10) and not compact.startswith("0"):
        compact = "0" + compact  # a number cell drops the leading 0
    return compact if _PHONE.fullmatch(compact) else None


def _date_text(value: dt.date) -> str:
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


def _check_rows(congress: Congress, table: _Table, problems: _Problems) -> list[_DelegateDraft | _GuestDraft]:
    units = _UnitIndex(congress)
    kinds = ", ".join(str(label) for label in (*Delegate.Kind.labels, _("Khách mời")))
    drafts: list[_DelegateDraft | _GuestDraft] = []
    for number, values in table.rows:
        row = _Row(number, values, problems)
        given = _text(values.get("full_name"))
        if "family_name" in table.columns and given:
            values["full_name"] = f"{_text(values.get('family_name'))} {given}"
        full_name = row.text("full_name", required=True)
        kind = row.choice("kind", _KIND, kinds, required=True)
        draft: _DelegateDraft | _GuestDraft
        if kind == GUEST:
            draft = _GuestDraft(
                number, full_name, title=row.text("position"), organization_name=row.text("unit")
            )
        else:
            draft = _delegate_draft(congress, row, full_name, kind, units)
        if row.is_ok:
            drafts.append(draft)
    return drafts


def _delegate_draft(
    congress: Congress, row: _Row, full_name: str, kind: str | None, units: _UnitIndex
) -> _DelegateDraft:
    born = _birth_date(congress, row)
    sex = row.choice("sex", _SEX, ", ".join(str(s) for s in Delegate.Sex.labels[:2]), required=True)
    standing = row.choice(
        "standing", _STANDING, ", ".join(map(str, Delegate.Standing.labels)), required=False
    )
    convening = row.choice(
        "is_convening_committee",
        {**dict.fromkeys(_YES, "yes"), **dict.fromkeys(_NO, "no")},
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
    if not _is_blank(raw_phone):
        parsed = _parse_phone(raw_phone)
        if parsed is None:
            row.problem(
                "phone",
                "bad_phone",
                _("“%(value)s” không phải số điện thoại hợp lệ (10 hoặc 11 chữ số bắt đầu bằng 0, hoặc +84)")
                % {"value": _text(raw_phone)},
            )
        else:
            phone = parsed
    return _DelegateDraft(
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
    if _is_blank(raw):
        row.problem("date_of_birth", "required", _("bắt buộc phải có"))
        return None
    value, code = _parse_date(raw)
    shown = _text(raw)
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
            % {"value": _date_text(value), "start": _date_text(congress.starts_on)},
        )
        return None
    return value


def _person_key(name: str, born: dt.date) -> tuple[str, dt.date]:
    return normalize_name(name).casefold(), born


def _check_duplicates(
    congress: Congress, drafts: Iterable[_DelegateDraft | _GuestDraft], problems: _Problems
) -> None:
    """Same name and date of birth, same phone or same seat: twice in the file, or already on the roll."""
    existing = list(
        Delegate.objects.filter(congress=congress).only(
            "number", "full_name", "date_of_birth", "phone", "seat_number"
        )
    )
    roll_person = {_person_key(d.full_name, d.date_of_birth): d for d in existing if d.date_of_birth}
    roll_phone = {d.phone: d for d in existing if d.phone}
    roll_seat = {d.seat_number.casefold(): d for d in existing if d.seat_number}
    roll_guests = {
        (normalize_name(g.full_name).casefold(), g.organization_name.casefold())
        for g in Guest.objects.filter(congress=congress).only("full_name", "organization_name")
    }
    file_person: dict[tuple[str, dt.date], int] = {}
    file_phone: dict[str, int] = {}
    file_seat: dict[str, int] = {}
    file_guests: dict[tuple[str, str], int] = {}
    for draft in drafts:
        if isinstance(draft, _GuestDraft):
            key = (normalize_name(draft.full_name).casefold(), draft.organization_name.casefold())
            if key in file_guests:
                problems.add(
                    draft.row,
                    None,
                    "duplicate_in_file",
                    _("khách mời “%(name)s” trùng với dòng %(other)s")
                    % {"name": draft.full_name, "other": file_guests[key]},
                )
            elif key in roll_guests:
                problems.add(
                    draft.row,
                    None,
                    "duplicate_in_roll",
                    _("khách mời “%(name)s” đã có trong danh sách khách mời") % {"name": draft.full_name},
                )
            file_guests.setdefault(key, draft.row)
            continue
        person = _person_key(draft.full_name, draft.date_of_birth)
        if person in file_person:
            problems.add(
                draft.row,
                None,
                "duplicate_in_file",
                _("trùng với dòng %(other)s (cùng họ tên “%(name)s” và ngày sinh %(born)s)")
                % {
                    "other": file_person[person],
                    "name": draft.full_name,
                    "born": _date_text(draft.date_of_birth),
                },
            )
        elif person in roll_person:
            problems.add(
                draft.row,
                None,
                "duplicate_in_roll",
                _("đã có trong danh sách: đại biểu số %(number)s “%(name)s”, sinh %(born)s")
                % {
                    "number": roll_person[person].number,
                    "name": roll_person[person].full_name,
                    "born": _date_text(draft.date_of_birth),
                },
            )
        file_person.setdefault(person, draft.row)
        if draft.phone:
            if draft.phone in file_phone:
                problems.add(
                    draft.row,
                    "phone",
                    "duplicate_phone",
                    _("số %(phone)s trùng với dòng %(other)s")
                    % {"phone": draft.phone, "other": file_phone[draft.phone]},
                )
            elif draft.phone in roll_phone:
                holder = roll_phone[draft.phone]
                problems.add(
                    draft.row,
                    "phone",
                    "duplicate_phone",
                    _("số %(phone)s đã là số của đại biểu số %(number)s “%(name)s”")
                    % {"phone": draft.phone, "number": holder.number, "name": holder.full_name},
                )
            file_phone.setdefault(draft.phone, draft.row)
        if draft.seat_number:
            seat = draft.seat_number.casefold()
            if seat in file_seat:
                problems.add(
                    draft.row,
                    "seat_number",
                    "duplicate_seat",
                    _("ghế “%(seat)s” đã xếp cho dòng %(other)s")
                    % {"seat": draft.seat_number, "other": file_seat[seat]},
                )
            elif seat in roll_seat:
                holder = roll_seat[seat]
                problems.add(
                    draft.row,
                    "seat_number",
                    "duplicate_seat",
                    _("ghế “%(seat)s” đã xếp cho đại biểu số %(number)s “%(name)s”")
                    % {"seat": draft.seat_number, "number": holder.number, "name": holder.full_name},
                )
            file_seat.setdefault(seat, draft.row)


# Writing ------------------------------------------------------------------------------------------------


def _require_open(congress: Congress) -> None:
    if congress.state == Congress.State.CLOSED:
        raise ActionError(
            "congress_closed", _("Đại hội đã bế mạc, không thể thay đổi danh sách."), state=congress.state
        )


def _fresh_codes(count: int) -> list[str]:
    """`count` card codes used by no delegate or guest (collisions are rare; never let one abort an import)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_card_code() for _ in range(count - len(codes))}
        taken = set(Delegate.objects.filter(code__in=wanted).values_list("code", flat=True))
        taken |= set(Guest.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted - taken
    return sorted(codes)


def import_roll(congress: Congress, filename: str, data: bytes, actor: Actor) -> ImportReport:
    """Add every row of the file to the roll (delegates) or the guest list, or add nothing.

    Raises `ActionError` when the file itself cannot be used; returns a report whose `problems` name each
    row and each problem when some row is wrong (then nothing was written).
    """
    table = read_table(filename, data)
    report = ImportReport(filename=filename, rows=len(table.rows), ignored_columns=table.ignored)
    problems = _Problems(table.columns)
    with transaction.atomic():
        # One import at a time per congress: numbers continue from the highest and duplicates are exact.
        congress = Congress.objects.select_for_update().select_related("organization").get(pk=congress.pk)
        _require_open(congress)
        drafts = _check_rows(congress, table, problems)
        _check_duplicates(congress, drafts, problems)
        if problems.items:
            report.problems = sorted(problems.items, key=lambda p: p.row or 0)
            return report
        delegates = [d for d in drafts if isinstance(d, _DelegateDraft)]
        guests = [g for g in drafts if isinstance(g, _GuestDraft)]
        before = {
            "delegates": Delegate.objects.filter(congress=congress).count(),
            "guests": Guest.objects.filter(congress=congress).count(),
        }
        highest = Delegate.objects.filter(congress=congress).aggregate(n=Max("number"))["n"] or 0
        codes = iter(_fresh_codes(len(drafts)))
        Delegate.objects.bulk_create(
            [
                Delegate(
                    congress=congress,
                    number=highest + index,
                    full_name=d.full_name,
                    search_name=search_key(d.full_name),
                    date_of_birth=d.date_of_birth,
                    sex=d.sex,
                    unit=d.unit,
                    kind=d.kind,
                    standing=d.standing,
                    position=d.position,
                    phone=d.phone,
                    seat_number=d.seat_number,
                    is_convening_committee=d.is_convening_committee,
                    code=next(codes),
                )
                for index, d in enumerate(delegates, start=1)
            ],
            batch_size=500,
        )
        Guest.objects.bulk_create(
            [
                Guest(
                    congress=congress,
                    full_name=g.full_name,
                    title=g.title,
                    organization_name=g.organization_name,
                    code=next(codes),
                )
                for g in guests
            ],
            batch_size=500,
        )
        report.delegates_created = len(delegates)
        report.guests_created = len(guests)
        if delegates:
            report.first_number, report.last_number = highest + 1, highest + len(delegates)
        audit.record(
            actor=actor.label,
            action="roll.import",
            congress_id=congress.pk,
            obj=congress,
            before=before,
            after={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": report.rows,
                "delegates_created": report.delegates_created,
                "guests_created": report.guests_created,
                "numbers": [report.first_number, report.last_number] if delegates else None,
                "delegates": before["delegates"] + len(delegates),
                "guests": before["guests"] + len(guests),
            },
        )
        live.publish(congress)
    return report


def add_guest(
    congress: Congress, actor: Actor, *, full_name: str, title: str = "", organization_name: str = ""
) -> Guest:
    """Add one guest: attends, never votes, never counts."""
    name = normalize_name(full_name)
    title, organization_name = normalize_name(title), normalize_name(organization_name)
    if not name:
        raise ActionError("required", _("Cần ghi họ và tên khách mời."), field="full_name")
    for value, model_field, label in (
        (name, "full_name", _("Họ và tên")),
        (title, "title", _("Chức danh")),
        (organization_name, "organization_name", _("Đơn vị")),
    ):
        limit = Guest._meta.get_field(model_field).max_length
        if limit is not None and len(value) > limit:
            raise ActionError(
                "too_long",
                _("%(field)s dài %(length)s ký tự, tối đa %(limit)s.")
                % {"field": label, "length": len(value), "limit": limit},
                field=model_field,
            )
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        _require_open(congress)
        key = (name.casefold(), organization_name.casefold())
        for other in Guest.objects.filter(congress=congress).only("full_name", "organization_name"):
            if (normalize_name(other.full_name).casefold(), other.organization_name.casefold()) == key:
                raise ActionError(
                    "duplicate_guest",
                    _("Khách mời “%(name)s” đã có trong danh sách.") % {"name": name},
                    guest=other.pk,
                )
        guest = Guest.objects.create(
            congress=congress,
            full_name=name,
            title=title,
            organization_name=organization_name,
            code=_fresh_codes(1)[0],
        )
        audit.record(
            actor=actor.label,
            action="guest.add",
            congress_id=congress.pk,
            obj=guest,
            after={"full_name": name, "title": title, "organization_name": organization_name},
        )
        live.publish(congress)
    return guest
