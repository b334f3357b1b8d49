"""The columns a roll file may have: the headers each accepts, and the words each cell may hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from daihoi.congress.models import Delegate, Guest
from daihoi.congress.names import search_key

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
        _keys(
            "Chi bộ",
            "Đơn vị",
            "Chi bộ/đơn vị",
            "Tổ chức",
            # the unit's word in each kind of organization (congress/wording.py)
            "Chi đoàn",
            "Chi đoàn/đơn vị",
            "Công đoàn bộ phận",
            "Công đoàn cơ sở",
            "Tổ công đoàn",
            "Phòng ban",
            "Bộ phận",
            "unit",
            "sub-unit",
            "subunit",
            "cell",
            "branch",
            "section",
        ),
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

SEX = {
    **dict.fromkeys(_keys("Nam", "male", "m"), Delegate.Sex.MALE),
    **dict.fromkeys(_keys("Nữ", "female", "f"), Delegate.Sex.FEMALE),
}
KIND = {
    **dict.fromkeys(
        _keys("Đương nhiên", "Đại biểu đương nhiên", "ex officio", "ex_officio"), Delegate.Kind.EX_OFFICIO
    ),
    **dict.fromkeys(_keys("Được bầu", "Bầu", "Đại biểu được bầu", "elected"), Delegate.Kind.ELECTED),
    **dict.fromkeys(_keys("Chỉ định", "Đại biểu chỉ định", "appointed"), Delegate.Kind.APPOINTED),
    **dict.fromkeys(_keys("Khách mời", "Khách", "guest"), GUEST),
}
STANDING = {
    **dict.fromkeys(_keys("Chính thức", "official"), Delegate.Standing.OFFICIAL),
    **dict.fromkeys(_keys("Dự khuyết", "alternate"), Delegate.Standing.ALTERNATE),
}
YES = _keys("Có", "x", "yes", "y", "1", "true")
NO = _keys("Không", "no", "n", "0", "false")
