"""Reading a roll file (CSV or .xlsx) into its header and non-empty rows, refusing files it cannot use."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from daihoi.congress.actions.roll.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    IGNORED_HEADERS,
    REQUIRED_COLUMNS,
    header_key,
)
from daihoi.congress.errors import ActionError
from daihoi.congress.names import normalize_name

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Rolls often carry a title and a blank line or two above the header row.
HEADER_SEARCH_ROWS = 10


@dataclass
class Table:
    """The rows of the file below its header, by spreadsheet row number, keyed by column key."""

    columns: dict[str, str]  # key -> header as written in the file
    rows: list[tuple[int, dict[str, Any]]]
    ignored: list[str]


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


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(filename: str, data: bytes) -> Table:
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


def _collect(filename: str, rows: Iterator[tuple[int, Sequence[Any]]]) -> Table:
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
        if all(is_blank(v) for v in values):
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
    return Table(columns=columns, rows=found, ignored=ignored)


def _header(values: Sequence[Any], columns: dict[str, str], ignored: list[str]) -> dict[int, str] | None:
    """The column index of each known header if `values` is the header row (it names the full name)."""
    by_alias = {alias: column.key for column in COLUMNS for alias in column.aliases}
    keys = [header_key(v) if not is_blank(v) else "" for v in values]
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
