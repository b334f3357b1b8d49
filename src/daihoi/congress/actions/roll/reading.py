"""Reading a roll file (CSV or .xlsx) into its header and non-empty rows, refusing files it cannot use.

A spreadsheet is small on the wire and can be huge inside: a 1.9 KB .xlsx with one cell in row 30,000,000
made openpyxl yield thirty million empty rows, and a 5 MB file of shared strings unpacked to gigabytes.
So the zip is inspected before openpyxl sees it (unpacked sizes, compression ratios, cells and strings
counted while streaming), the declared dimension is checked, iteration stops at fixed row and column
limits, and at most `PARSE_SLOTS` files are read at once, so that uploads cannot take every request
thread from the check-in desk and the ballots.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

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
# Spreadsheet row numbers read at most (data rows, blank rows and the title lines together).
MAX_SHEET_ROWS = 20_000
MAX_COLUMNS = 100
# Inside an .xlsx: what all its parts may unpack to, the shared strings alone, how much better than
# ordinary XML a large part may compress, how many parts, cells and strings it may hold.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_CELLS = 250_000
MAX_CELLS_PER_ROW = 1_000
MAX_SHARED_STRINGS = 250_000
# Files read at once, and how long a request waits for its turn before it is told to try again.
PARSE_SLOTS = 2
PARSE_WAIT_SECONDS = 1.0


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
    # The first lines, and not too much of them: the sniffer's patterns are slow on a long line.
    sample = "\n".join(text[:65536].splitlines()[:HEADER_SEARCH_ROWS])
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


_parse_slots = threading.BoundedSemaphore(PARSE_SLOTS)
_Collected = TypeVar("_Collected")


@contextmanager
def _reading_slot(filename: str) -> Iterator[None]:
    """One of the `PARSE_SLOTS` turns to read a file; a request that cannot get one within
    `PARSE_WAIT_SECONDS` is refused (`import_busy`) instead of holding a request thread."""
    if not _parse_slots.acquire(timeout=PARSE_WAIT_SECONDS):
        raise _refuse_file(
            "import_busy",
            _("Máy chủ đang đọc %(count)s tệp danh sách khác; hãy gửi lại tệp “%(name)s” sau ít phút.")
            % {"count": PARSE_SLOTS, "name": filename},
            slots=PARSE_SLOTS,
        )
    try:
        yield
    finally:
        _parse_slots.release()


def read_table(filename: str, data: bytes) -> Table:
    """The header and the non-empty rows of the file; refuses files the import cannot use."""
    kind = _file_kind(filename, data)
    with _reading_slot(filename):
        if kind == "csv":
            return _collect(filename, _bounded(filename, _csv_rows(filename, data)))
        return _collect_xlsx(filename, data, lambda rows: _collect(filename, rows))


def read_sheet(filename: str, data: bytes, *, max_rows: int) -> list[tuple[int, list[Any]]]:
    """The non-blank rows of an .xlsx's first sheet by row number, read as the roll is: inspected first,
    bounded while read, one of `PARSE_SLOTS`. For every other import of spreadsheets (the term's)."""

    def non_blank(rows: Iterator[tuple[int, Sequence[Any]]]) -> list[tuple[int, list[Any]]]:
        found: list[tuple[int, list[Any]]] = []
        for number, values in rows:
            if all(is_blank(v) for v in values):
                continue
            if len(found) >= max_rows:
                raise _refuse_file(
                    "too_many_rows",
                    _("Tệp “%(name)s” có hơn %(limit)s dòng; hãy chia thành nhiều tệp.")
                    % {"name": filename, "limit": max_rows},
                    limit=max_rows,
                )
            found.append((number, list(values)))
        return found

    with _reading_slot(filename):
        return _collect_xlsx(filename, data, non_blank)


def _collect_xlsx(
    filename: str, data: bytes, collect: Callable[[Iterator[tuple[int, Sequence[Any]]]], _Collected]
) -> _Collected:
    inspect_xlsx(filename, data)
    workbook = _open_workbook(filename, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheet = workbook.worksheets[0]
            _check_dimension(filename, sheet)
            # The first sheet. Read-only sheets yield missing rows as empty ones: the index is the row number.
            # No `max_row`: openpyxl would pad to it; `_bounded` stops at the first row past the limit.
            values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            try:
                return collect(_bounded(filename, enumerate(values, start=1)))
            except ActionError:
                raise
            except Exception as error:
                raise _corrupt(filename) from error
    finally:
        workbook.close()


def _too_large(filename: str, code: str, what: str, found: int, limit: int) -> ActionError:
    return _refuse_file(
        code,
        _("Tệp “%(name)s” có %(what)s vượt giới hạn: %(found)s, tối đa %(limit)s. %(advice)s")
        % {
            "name": filename,
            "what": what,
            "found": found,
            "limit": limit,
            "advice": _("Hãy chép phần danh sách sang một tệp mới rồi nhập lại."),
        },
        found=found,
        limit=limit,
    )


def _sheet_too_large(filename: str, row: int) -> ActionError:
    return _too_large(filename, "sheet_too_large", _("số dòng"), row, MAX_SHEET_ROWS)


def _check_dimension(filename: str, sheet: Any) -> None:
    """Refuse a sheet whose declared size (`<dimension ref="A1:J30000000"/>`) is past the limits."""
    rows, columns = sheet.max_row, sheet.max_column
    if isinstance(rows, int) and rows > MAX_SHEET_ROWS:
        raise _sheet_too_large(filename, rows)
    if isinstance(columns, int) and columns > MAX_COLUMNS:
        raise _too_large(filename, "too_many_columns", _("số cột"), columns, MAX_COLUMNS)


def _bounded(filename: str, rows: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows up to `MAX_SHEET_ROWS` and `MAX_COLUMNS`: past them the file is refused, never read on."""
    for number, values in rows:
        if number > MAX_SHEET_ROWS:
            raise _sheet_too_large(filename, number)
        if len(values) > MAX_COLUMNS:
            if not all(is_blank(v) for v in values[MAX_COLUMNS:]):
                raise _too_large(filename, "too_many_columns", _("số cột"), len(values), MAX_COLUMNS)
            values = values[:MAX_COLUMNS]
        yield number, values


# Parts of an .xlsx that openpyxl parses cell by cell or string by string; counted before it does.
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHARED_STRINGS_PART = "xl/sharedStrings.xml"
_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s/>]")
_TOKEN_CARRY = 64  # longer than any token, so that one split across two chunks is still seen
_CHUNK = 1024 * 1024


def inspect_xlsx(filename: str, data: bytes) -> None:
    """Refuse an .xlsx whose parts unpack past the limits, before openpyxl reads any of it.

    zipfile never yields more than a part's declared size (it checks the CRC at the end), so the declared
    sizes are a bound; cells and shared strings are then counted in one streaming pass.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_ZIP_MEMBERS:
                raise _too_large(
                    filename, "too_many_parts", _("số phần trong tệp"), len(parts), MAX_ZIP_MEMBERS
                )
            _check_sizes(filename, parts)
            cells = 0
            for part in parts:
                if part.filename == _SHARED_STRINGS_PART:
                    strings = _count(archive, part, lambda _row: None)["si"]
                    if strings > MAX_SHARED_STRINGS:
                        raise _too_large(
                            filename, "too_many_strings", _("số chuỗi chữ"), strings, MAX_SHARED_STRINGS
                        )
                elif _SHEET_PART.fullmatch(part.filename):

                    def wide_row(in_row: int) -> None:
                        raise _too_large(
                            filename, "too_many_columns", _("số ô trong một dòng"), in_row, MAX_CELLS_PER_ROW
                        )

                    cells += _count(archive, part, wide_row)["c"]
                    if cells > MAX_CELLS:
                        raise _too_large(filename, "too_many_cells", _("số ô"), cells, MAX_CELLS)
    except ActionError:
        raise
    except Exception as error:  # bad zip, bad deflate data, encrypted or unknown compression: all corrupt
        raise _corrupt(filename) from error


def _check_sizes(filename: str, parts: list[zipfile.ZipInfo]) -> None:
    total = 0
    for part in parts:
        total += part.file_size
        limit = MAX_SHARED_STRINGS_BYTES if part.filename == _SHARED_STRINGS_PART else MAX_UNPACKED_BYTES
        if part.file_size > limit or total > MAX_UNPACKED_BYTES:
            raise _refuse_file(
                "unpacked_too_large",
                _(
                    "Tệp “%(name)s” khi giải nén lớn %(size)s MB, quá giới hạn %(limit)s MB: đây không phải "
                    "một danh sách bình thường."
                )
                % {
                    "name": filename,
                    "size": megabytes(max(total, part.file_size)),
                    "limit": limit // (1024 * 1024),
                },
                part=part.filename,
                size=part.file_size,
                limit=limit,
            )
        if part.file_size > RATIO_CHECKED_FROM_BYTES and part.file_size > MAX_COMPRESSION_RATIO * max(
            part.compress_size, 1
        ):
            raise _refuse_file(
                "suspicious_compression",
                _(
                    "Tệp “%(name)s” bị nén bất thường (%(ratio)s lần, tối đa %(limit)s lần): đây không phải "
                    "một danh sách bình thường."
                )
                % {
                    "name": filename,
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "limit": MAX_COMPRESSION_RATIO,
                },
                part=part.filename,
                limit=MAX_COMPRESSION_RATIO,
            )


def _count(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, wide_row: Callable[[int], None]
) -> dict[str, int]:
    """How many `<row>`, `<c>` and `<si>` elements a part has, read in chunks; `wide_row` hears of a row
    with more than `MAX_CELLS_PER_ROW` cells."""
    counts = {"row": 0, "c": 0, "si": 0}
    in_row = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            # Tokens that end in the carried tail were counted with the previous chunk.
            for match in _TOKEN.finditer(window):
                if match.end() <= len(tail):
                    continue
                name = match[1].decode()
                counts[name] += 1
                if name == "row":
                    in_row = 0
                elif name == "c":
                    in_row += 1
                    if in_row > MAX_CELLS_PER_ROW:
                        wide_row(in_row)
            tail = window[-_TOKEN_CARRY:]
    return counts


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
