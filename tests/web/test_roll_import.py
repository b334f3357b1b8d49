"""Importing the roll: every row or none, a report naming each spreadsheet row and problem, duplicates,
guests kept apart, and the organizer's upload page."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from daihoi.audit.log import verify
from daihoi.audit.models import AuditEntry
from daihoi.congress.access import Role
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.congress.views.roll import MAX_PROBLEMS_SHOWN
from tests.factories import login_as, make_congress
from tests.support.roll import HEADER, csv_bytes, row, run_import, xlsx

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "roll"


def empty_congress(**kwargs) -> Congress:
    return make_congress(delegates=0, state=Congress.State.PREPARATION, **kwargs)


def imports(congress: Congress) -> int:
    return AuditEntry.objects.filter(congress_id=congress.pk, action="roll.import").count()


# Good files --------------------------------------------------------------------------------------------


def test_good_xlsx_imports_every_row_numbered_after_the_highest_with_one_audit_entry():
    congress = make_congress(delegates=3)  # numbers 1–3 already on the roll
    data = xlsx([row(1), row(2, kind="Đương nhiên", unit="cb-2"), row(3, standing="Dự khuyết", sex="Nữ")])
    report = run_import(congress, data)
    assert report.is_ok, report.problems
    assert (report.delegates_created, report.guests_created) == (3, 0)
    assert (report.first_number, report.last_number) == (4, 6)
    added = list(congress.delegates.filter(number__gte=4).order_by("number"))
    assert [d.full_name for d in added] == ["Nguyễn Văn Thử 1", "Nguyễn Văn Thử 2", "Nguyễn Văn Thử 3"]
    first, second, third = added
    assert first.date_of_birth == dt.date(1970, 9, 5)
    assert first.unit.name == "Chi bộ khu phố 1"
    assert first.phone == "0900000001"
    assert first.seat_number == "B001"
    assert first.search_name == "nguyen van thu 1"
    assert first.credential == Delegate.Credential.PENDING
    assert (second.kind, second.unit.code, second.is_convening_committee) == ("ex_officio", "cb-2", True)
    assert (third.standing, third.sex) == ("alternate", "female")
    assert len({d.code for d in added}) == 3
    entry = AuditEntry.objects.get(congress_id=congress.pk, action="roll.import")
    assert entry.before == {"delegates": 3, "guests": 0}
    assert entry.after["delegates_created"] == 3
    assert entry.after["numbers"] == [4, 6]
    assert entry.after["delegates"] == 6
    assert verify() == []


def test_good_csv_with_bom_semicolons_and_headers_without_diacritics_imports():
    congress = empty_congress()
    report = run_import(congress, (DATA / "good_roll.csv").read_bytes(), "good_roll.csv")
    assert report.is_ok, [p.message for p in report.problems]
    assert (report.delegates_created, report.guests_created) == (5, 1)
    roll = {d.number: d for d in congress.delegates.select_related("unit")}
    assert roll[1].full_name == "Lê Thị Hồng Nhung"
    assert (roll[1].kind, roll[1].sex, roll[1].phone) == ("ex_officio", "female", "0912345678")
    assert (roll[2].date_of_birth, roll[2].unit.code, roll[2].phone) == (
        dt.date(1985, 11, 2),
        "cb-2",
        "0913000111",
    )
    assert (roll[3].date_of_birth, roll[3].unit.code, roll[3].kind) == (
        dt.date(1962, 1, 1),
        "cb-3",
        "appointed",
    )
    assert (roll[4].standing, roll[4].unit.code) == ("alternate", "cb-1")
    assert (roll[5].full_name, roll[5].position) == ("Nguyễn Văn Bảy, Jr.", "Chủ tịch UBND; Phó Bí thư")
    guest = congress.guests.get()
    assert (guest.full_name, guest.organization_name, guest.title) == (
        "Đồng chí Khách Quận",
        "Quận ủy Quận 1",
        "Phó Bí thư Quận ủy",
    )


def test_english_headers_and_values_are_understood():
    congress = empty_congress()
    header = ["Full name", "Date of birth", "Sex", "Unit", "Kind", "Standing", "Position", "Phone", "Seat"]
    data = xlsx(
        [["Tran Van An", "1970-01-02", "male", "cb-1", "appointed", "alternate", "", "", "C1"]], header
    )
    report = run_import(congress, data)
    assert report.is_ok, report.problems
    delegate = congress.delegates.get()
    assert (delegate.kind, delegate.standing, delegate.sex, delegate.seat_number) == (
        "appointed",
        "alternate",
        "male",
        "C1",
    )


def test_excel_date_cells_serial_numbers_and_number_phones_are_accepted():
    congress = empty_congress()
    rows = [
        row(1, born=dt.date(1971, 2, 3)),  # a date cell (read back as a datetime)
        row(2, born=25569),  # a date typed into a General cell: 1970-01-01
        row(3, phone=912345678),  # a number cell drops the phone's leading 0
    ]
    report = run_import(congress, xlsx(rows))
    assert report.is_ok, report.problems
    roll = {d.number: d for d in congress.delegates.all()}
    assert roll[1].date_of_birth == dt.date(1971, 2, 3)
    assert roll[2].date_of_birth == dt.date(1970, 1, 1)
    assert roll[3].phone == "0912345678"


def test_header_below_title_lines_is_found_and_rows_are_numbered_as_the_sheet_shows():
    congress = empty_congress()
    above = [["DANH SÁCH ĐẠI BIỂU CHÍNH THỨC"], [], ["Kèm theo Công văn số 12-CV/ĐU"]]
    data = xlsx([row(1), row(2, born="31/02/1970")], above=above)
    report = run_import(congress, data)
    # Title lines 1–3, header on row 4, data on rows 5 and 6.
    assert [(p.row, p.code) for p in report.problems] == [(6, "bad_date")]


def test_unit_matches_by_name_or_code_ignoring_case_and_diacritics():
    congress = empty_congress()
    rows = [row(1, unit="CHI BỘ KHU PHỐ 2"), row(2, unit="CB-3"), row(3, unit="chi bo khu pho 1")]
    assert run_import(congress, xlsx(rows)).is_ok
    assert [d.unit.code for d in congress.delegates.order_by("number")] == ["cb-2", "cb-3", "cb-1"]


def test_name_typed_with_combining_diacritics_is_stored_nfc():
    congress = empty_congress()
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị Ánh   Tuyết")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert run_import(congress, xlsx([row(1, name=decomposed)])).is_ok
    delegate = congress.delegates.get()
    assert delegate.full_name == "Nguyễn Thị Ánh Tuyết"
    assert unicodedata.is_normalized("NFC", delegate.full_name)
    assert delegate.search_name == "nguyen thi anh tuyet"


# Row problems ------------------------------------------------------------------------------------------


def test_bad_date_is_reported_with_row_column_and_value_as_the_user_sees_them():
    congress = empty_congress()
    rows = [row(n) for n in range(1, 6)] + [row(6, born="31/02/1970")]
    report = run_import(congress, xlsx(rows))
    assert not report.is_ok
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.code) == (7, "Ngày sinh", "bad_date")
    assert problem.message == "Dòng 7, cột Ngày sinh: “31/02/1970” không phải ngày hợp lệ"
    assert congress.delegates.count() == 0


@pytest.mark.parametrize(
    ("bad", "code", "column"),
    [
        ({"name": ""}, "required", "Họ và tên"),
        ({"name": "A" * 201}, "too_long", "Họ và tên"),
        ({"born": ""}, "required", "Ngày sinh"),
        ({"born": "1970"}, "year_only", "Ngày sinh"),
        ({"born": 1970}, "year_only", "Ngày sinh"),
        ({"born": "5/9/70"}, "bad_date", "Ngày sinh"),
        ({"born": "hôm qua"}, "bad_date", "Ngày sinh"),
        ({"born": "01/01/2021"}, "implausible_date", "Ngày sinh"),
        ({"born": "01/01/1850"}, "implausible_date", "Ngày sinh"),
        ({"sex": ""}, "required", "Giới tính"),
        ({"sex": "Khác"}, "bad_sex", "Giới tính"),
        ({"unit": ""}, "required", "Chi bộ"),
        ({"unit": "Chi bộ khu phố 99"}, "unknown_unit", "Chi bộ"),
        ({"kind": ""}, "required", "Loại đại biểu"),
        ({"kind": "Danh dự"}, "bad_kind", "Loại đại biểu"),
        ({"standing": "Tạm thời"}, "bad_standing", "Chính thức/dự khuyết"),
        ({"position": "x" * 301}, "too_long", "Chức vụ"),
        ({"phone": "12345"}, "bad_phone", "Điện thoại"),
        ({"phone": "09abc12345"}, "bad_phone", "Điện thoại"),
        ({"seat": "S" * 21}, "too_long", "Số ghế"),
    ],
)
def test_each_kind_of_bad_cell_is_named_with_its_row_column_and_code(bad, code, column):
    congress = empty_congress()
    report = run_import(congress, xlsx([row(1), row(2, **bad), row(3)]))
    assert [(p.row, p.column, p.code) for p in report.problems] == [(3, column, code)]
    assert report.problems[0].message.startswith(f"Dòng 3, cột {column}: ")
    assert congress.delegates.count() == 0


def test_unknown_unit_message_names_the_unit_and_the_organization():
    congress = empty_congress()
    report = run_import(congress, xlsx([row(1, unit="Chi bộ Trường học")]))
    assert report.problems[0].message == (
        f"Dòng 2, cột Chi bộ: không có chi bộ “Chi bộ Trường học” trong {congress.organization.name}"
    )


def test_every_bad_row_is_reported_not_just_the_first():
    congress = empty_congress()
    rows = [row(1, born="32/01/1970"), row(2), row(3, unit="X", sex="?"), row(4, kind="?")]
    report = run_import(congress, xlsx(rows))
    assert [(p.row, p.code) for p in report.problems] == [
        (2, "bad_date"),
        (4, "bad_sex"),
        (4, "unknown_unit"),
        (5, "bad_kind"),
    ]
    assert report.problem_rows == 3


def test_a_bad_row_50_of_60_imports_nothing_and_writes_no_audit_entry():
    congress = make_congress(delegates=2)
    rows = [row(n) for n in range(1, 61)]
    rows[49] = row(50, unit="Chi bộ không có")
    report = run_import(congress, xlsx(rows))
    assert [(p.row, p.code) for p in report.problems] == [(51, "unknown_unit")]
    assert congress.delegates.count() == 2
    assert congress.guests.count() == 0
    assert imports(congress) == 0
    rows[49] = row(50)
    assert run_import(congress, xlsx(rows)).delegates_created == 60
    assert congress.delegates.count() == 62
    assert imports(congress) == 1


# Duplicates --------------------------------------------------------------------------------------------


def test_same_name_and_birth_date_twice_in_the_file_is_a_duplicate():
    congress = empty_congress()
    rows = [row(1, name="Lê Văn Tám"), row(2), row(3, name="LÊ VĂN TÁM", phone="0911111111")]
    report = run_import(congress, xlsx(rows))
    assert [(p.row, p.code) for p in report.problems] == [(4, "duplicate_in_file")]
    assert report.problems[0].message == (
        "Dòng 4: trùng với dòng 2 (cùng họ tên “LÊ VĂN TÁM” và ngày sinh 05/09/1970)"
    )


def test_same_name_with_another_birth_date_is_not_a_duplicate():
    congress = empty_congress()
    rows = [row(1, name="Lê Văn Tám"), row(2, name="Lê Văn Tám", born="06/09/1970")]
    assert run_import(congress, xlsx(rows)).is_ok


def test_same_phone_or_same_seat_twice_in_the_file_is_refused():
    congress = empty_congress()
    rows = [row(1, phone="0912000000"), row(2, phone="0912 000 000"), row(3, seat="A1"), row(4, seat="a1")]
    report = run_import(congress, xlsx(rows))
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (3, "Điện thoại", "duplicate_phone"),
        (5, "Số ghế", "duplicate_seat"),
    ]


def test_a_person_already_on_the_roll_is_a_duplicate():
    congress = make_congress(delegates=3)
    existing = congress.delegates.get(number=2)
    existing.phone = "0977000000"
    existing.save()
    born = existing.date_of_birth.strftime("%d/%m/%Y")
    rows = [row(1, name=existing.full_name, born=born), row(2, phone="0977000000"), row(3, seat="A003")]
    report = run_import(congress, xlsx(rows))
    assert [(p.row, p.code) for p in report.problems] == [
        (2, "duplicate_in_roll"),
        (3, "duplicate_phone"),
        (4, "duplicate_seat"),
    ]
    assert report.problems[0].message == (
        f"Dòng 2: đã có trong danh sách: đại biểu số 2 “{existing.full_name}”, sinh {born}"
    )
    assert congress.delegates.count() == 3


def test_importing_the_same_file_twice_is_refused_the_second_time():
    congress = empty_congress()
    data = xlsx([row(1), row(2)])
    assert run_import(congress, data).is_ok
    again = run_import(congress, data)
    assert [p.code for p in again.problems] == ["duplicate_in_roll", "duplicate_phone", "duplicate_seat"] * 2
    assert congress.delegates.count() == 2


# Guests ------------------------------------------------------------------------------------------------


def test_guest_rows_go_to_the_guest_list_and_never_into_the_roll():
    congress = make_congress(delegates=2)
    rows = [
        row(1),
        ["", "Đ/c Trưởng Ban Tổ chức Quận ủy", "", "", "Quận ủy", "Khách mời", "", "Trưởng Ban", "", ""],
        row(3),
    ]
    report = run_import(congress, xlsx(rows))
    assert report.is_ok, report.problems
    assert (report.delegates_created, report.guests_created) == (2, 1)
    assert [d.number for d in congress.delegates.order_by("number")] == [1, 2, 3, 4]
    guest = Guest.objects.get(congress=congress)
    assert (guest.full_name, guest.organization_name, guest.title) == (
        "Đ/c Trưởng Ban Tổ chức Quận ủy",
        "Quận ủy",
        "Trưởng Ban",
    )
    assert not Delegate.objects.filter(full_name=guest.full_name).exists()
    assert guest.code not in set(congress.delegates.values_list("code", flat=True))


def test_the_same_guest_twice_is_a_duplicate():
    congress = empty_congress()
    guest = ["", "Bà Khách", "", "", "Quận ủy", "Khách mời", "", "", "", ""]
    report = run_import(congress, xlsx([guest, guest]))
    assert [(p.row, p.code) for p in report.problems] == [(3, "duplicate_in_file")]


# Files that cannot be read -----------------------------------------------------------------------------


def refused(congress: Congress, data: bytes, filename: str) -> ActionError:
    with pytest.raises(ActionError) as error:
        run_import(congress, data, filename)
    assert congress.delegates.count() == 0
    assert imports(congress) == 0
    return error.value


def test_a_pdf_is_refused_as_not_a_roll_file():
    error = refused(empty_congress(), b"%PDF-1.7", "danh-sach.pdf")
    assert error.code == "unsupported_format"
    assert error.message == "Tệp “danh-sach.pdf” không phải tệp Excel (.xlsx) hoặc CSV (.csv)."


def test_an_old_xls_is_refused_with_how_to_save_it():
    error = refused(empty_congress(), b"\xd0\xcf\x11\xe0", "danh-sach.xls")
    assert error.code == "old_excel_format"
    assert ".xlsx" in error.message


@pytest.mark.parametrize(
    "data", [b"not a zip at all", b"PK\x03\x04 broken zip", xlsx([row(1)])[:600]], ids=["text", "zip", "cut"]
)
def test_a_corrupt_xlsx_is_refused_clearly(data):
    error = refused(empty_congress(), data, "hong.xlsx")
    assert error.code == "corrupt_file"
    assert error.message == "Không đọc được tệp Excel “hong.xlsx”: tệp bị hỏng hoặc không phải tệp .xlsx."


def test_a_csv_not_in_utf8_is_refused_with_how_to_save_it():
    # Excel's "CSV (Comma delimited)" on a Vietnamese Windows writes Windows-1258, with combining tones.
    text = unicodedata.normalize("NFD", csv_bytes([row(1)], bom=False).decode("utf-8"))
    data = text.encode("cp1258", errors="replace")
    error = refused(empty_congress(), data, "ds.csv")
    assert error.code == "not_utf8"
    assert "CSV UTF-8" in error.message


def test_a_file_over_5_mb_is_refused():
    data = csv_bytes([row(1)]) + b" " * (5 * 1024 * 1024)
    error = refused(empty_congress(), data, "lon.csv")
    assert error.code == "file_too_large"
    assert error.message == "Tệp “lon.csv” nặng 5,0 MB, quá giới hạn 5 MB."


def test_a_file_over_5000_rows_is_refused():
    data = csv_bytes([row(n) for n in range(1, 5002)])
    assert len(data) < 5 * 1024 * 1024
    error = refused(empty_congress(), data, "dai.csv")
    assert error.code == "too_many_rows"
    assert error.params == {"limit": 5000}


def test_exactly_5000_rows_are_accepted():
    congress = empty_congress(units=1)
    report = run_import(congress, csv_bytes([row(n, seat="") for n in range(1, 5001)]), "du.csv")
    assert report.is_ok, report.problems[:3]
    assert congress.delegates.count() == 5000
    assert congress.delegates.order_by("-number").first().number == 5000


def test_missing_columns_are_named():
    header = ["Họ và tên", "Chi bộ", "Điện thoại"]
    error = refused(empty_congress(), xlsx([["Lê A", "cb-1", ""]], header), "thieu.xlsx")
    assert error.code == "missing_columns"
    assert error.message == "Tệp “thieu.xlsx” thiếu cột: Ngày sinh, Giới tính, Loại đại biểu."


def test_a_sheet_without_a_name_header_is_refused():
    error = refused(empty_congress(), xlsx([["a", "b"]], header=["Cột 1", "Cột 2"]), "x.xlsx")
    assert error.code == "missing_header"


def test_a_header_without_rows_is_refused_as_empty():
    assert refused(empty_congress(), xlsx([]), "rong.xlsx").code == "empty_file"


def test_two_columns_meaning_the_same_are_refused():
    header = [*HEADER, "Số điện thoại"]
    error = refused(empty_congress(), xlsx([[*row(1), ""]], header), "x.xlsx")
    assert error.code == "duplicate_column"


def test_unknown_columns_are_ignored_and_listed():
    header = [*HEADER, "Ghi chú"]
    report = run_import(empty_congress(), xlsx([[*row(1), "đến muộn"]], header))
    assert report.is_ok
    assert report.ignored_columns == ["Ghi chú"]


def test_a_closed_congress_refuses_an_import():
    congress = make_congress(delegates=0, state=Congress.State.CLOSED)
    assert refused(congress, xlsx([row(1)]), "ds.xlsx").code == "congress_closed"


# The upload page ---------------------------------------------------------------------------------------


def upload(client: Client, congress: Congress, data: bytes, name: str = "ds.xlsx"):
    return client.post(reverse("roll_import", args=[congress.slug]), {"file": SimpleUploadedFile(name, data)})


def test_organizer_uploads_a_good_file_and_lands_on_the_roll_with_a_summary():
    congress = empty_congress()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = upload(organizer, congress, xlsx([row(1), row(2)]))
    assert response.status_code == 302
    assert response["Location"] == reverse("roll", args=[congress.slug])
    page = organizer.get(response["Location"])
    assert "Đã nhập 2 đại biểu (số thứ tự 1–2) và 0 khách mời từ tệp “ds.xlsx”." in page.content.decode()
    assert congress.delegates.count() == 2


def test_organizer_sees_each_bad_row_on_the_page_and_nothing_is_imported():
    congress = empty_congress()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    rows = [row(1), row(2, born="31/02/1970"), row(3, unit="Chi bộ 99"), row(4, name="Nguyễn Văn Thử 1")]
    response = upload(organizer, congress, xlsx(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dòng 3, cột Ngày sinh: “31/02/1970” không phải ngày hợp lệ" in html
    assert "Dòng 4, cột Chi bộ: không có chi bộ “Chi bộ 99”" in html
    assert "Dòng 5: trùng với dòng 2" in html
    assert 'data-code="rows_refused"' in html
    assert congress.delegates.count() == 0


def test_upload_page_explains_a_refused_file():
    congress = empty_congress()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = upload(organizer, congress, b"%PDF", "bien-ban.pdf")
    assert response.status_code == 400
    assert 'data-code="unsupported_format"' in response.content.decode()
    response = organizer.post(reverse("roll_import", args=[congress.slug]), {})
    assert 'data-code="no_file"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.CREDENTIALS, Role.SECRETARIAT, Role.PRESIDIUM])
def test_only_the_organizer_may_import(role):
    congress = empty_congress()
    clerk = login_as(Client(), congress, role)
    assert upload(clerk, congress, xlsx([row(1)])).status_code == 403
    assert congress.delegates.count() == 0


def test_too_many_problems_are_cut_on_the_page_but_all_counted():
    congress = empty_congress(units=1)
    rows = [row(n, born="x") for n in range(1, 601)]
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = upload(organizer, congress, xlsx(rows))
    html = response.content.decode()
    assert html.count('data-code="bad_date"') == MAX_PROBLEMS_SHOWN == 500
    assert "… và 100 lỗi khác." in html


def test_a_name_split_into_family_and_given_columns_is_joined():
    congress = empty_congress()
    header = ["Họ và tên đệm", "Tên", *HEADER[2:]]
    rows = [["Nguyễn Thị Ngọc", "Ánh", *row(1)[2:]], ["Trần Văn", "", *row(2)[2:]]]
    report = run_import(congress, xlsx(rows, header))
    assert [(p.row, p.column, p.code) for p in report.problems] == [(3, "Tên", "required")]
    assert run_import(congress, xlsx(rows[:1], header)).is_ok
    assert congress.delegates.get().full_name == "Nguyễn Thị Ngọc Ánh"
