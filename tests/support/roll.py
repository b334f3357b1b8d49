"""Helpers for the roll tests: spreadsheets built in memory, the way a secretariat fills them in."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from daihoi.congress.access import SYSTEM
from daihoi.congress.actions.roll import ImportReport, import_roll
from daihoi.congress.models import Congress

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Chi bộ",
    "Loại đại biểu",
    "Chính thức/dự khuyết",
    "Chức vụ",
    "Điện thoại",
    "Số ghế",
]


def row(
    n: int,
    name: str | None = None,
    born: Any = "05/09/1970",
    sex: Any = "Nam",
    unit: Any = "Chi bộ khu phố 1",
    kind: Any = "Được bầu",
    standing: Any = "Chính thức",
    position: Any = "Đảng viên",
    phone: Any = None,
    seat: Any = None,
) -> list[Any]:
    """One data row under HEADER; each person gets a distinct name and phone unless told otherwise."""
    return [
        n,
        name if name is not None else f"Nguyễn Văn Thử {n}",
        born,
        sex,
        unit,
        kind,
        standing,
        position,
        phone if phone is not None else f"09{n:08d}",
        seat if seat is not None else f"B{n:03d}",
    ]


def xlsx(
    rows: Sequence[Sequence[Any]], header: Sequence[Any] = HEADER, above: Sequence[Sequence[Any]] = ()
) -> bytes:
    """An .xlsx whose first sheet has `above` (title lines), the header, then `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(list(line))
    sheet.append(list(header))
    for r in rows:
        sheet.append(list(r))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_bytes(
    rows: Sequence[Sequence[Any]], header: Sequence[Any] = HEADER, sep: str = ",", bom: bool = True
) -> bytes:
    lines = [sep.join("" if v is None else str(v) for v in r) for r in [header, *rows]]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run_import(congress: Congress, data: bytes, filename: str = "danh-sach.xlsx") -> ImportReport:
    return import_roll(congress, filename, data, SYSTEM)


def born(year: int, month: int = 1, day: int = 1) -> dt.date:
    return dt.date(year, month, day)
