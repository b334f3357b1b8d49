"""Bad spreadsheets cannot stop the hall: zip bombs, a cell in row 30,000,000, too many cells or strings,
and more uploads at once than there are reading slots are refused with a coded, translated error, before
openpyxl reads them and without reading on past the limits."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from daihoi.congress.access import Role
from daihoi.congress.actions.roll import reading
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate
from tests.factories import login_as, make_congress
from tests.support.roll import csv_bytes, row, run_import

pytestmark = pytest.mark.django_db

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER_CELLS = ("Họ và tên", "Ngày sinh", "Giới tính", "Chi bộ", "Loại đại biểu")
_GOOD_ROW = ("Nguyễn Văn Thử", "05/09/1970", "Nam", "Chi bộ khu phố 1", "Được bầu")


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, values: tuple[str, ...]) -> str:
    cells = "".join(_inline(f"{'ABCDE'[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: str, dimension: str | None = "A1:E2") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'


def build_xlsx(sheet: str, shared_strings: bytes | int | None = None) -> bytes:
    """A minimal .xlsx written part by part, the way a hand-made bomb is, that openpyxl reads (shared strings
    included: they are linked from the workbook). `shared_strings` as an int is the number of megabytes of
    repeated strings to stream into xl/sharedStrings.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared_strings is not None
                else ""
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                if shared_strings is not None
                else ""
            )
            + "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if isinstance(shared_strings, bytes):
            z.writestr("xl/sharedStrings.xml", shared_strings)
        elif isinstance(shared_strings, int):
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
                chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
                for _ in range(shared_strings * 1024 * 1024 // len(chunk)):
                    part.write(chunk)
                part.write(b"</sst>")
    return out.getvalue()


def good_sheet() -> str:
    return sheet_xml(_row(1, _HEADER_CELLS) + _row(2, _GOOD_ROW))


def empty_congress() -> Congress:
    return make_congress(delegates=0, state=Congress.State.PREPARATION)


def refusal(congress: Congress, data: bytes, filename: str = "bom.xlsx") -> ActionError:
    with pytest.raises(ActionError) as refused:
        run_import(congress, data, filename)
    assert not Delegate.objects.filter(congress=congress).exists()
    return refused.value


def test_the_hand_made_workbook_imports_so_the_bombs_below_are_refused_for_their_size_only():
    congress = empty_congress()
    report = run_import(congress, build_xlsx(good_sheet()))
    assert report.is_ok, [p.message for p in report.problems]
    assert report.delegates_created == 1


def test_a_cell_in_row_30_000_000_is_refused_from_the_declared_dimension():
    congress = empty_congress()
    sheet = sheet_xml(
        _row(1, _HEADER_CELLS) + _row(2, _GOOD_ROW) + _row(30_000_000, _GOOD_ROW), dimension="A1:E30000000"
    )
    data = build_xlsx(sheet)
    assert len(data) < 3000  # the 1.9 KB file of the review
    error = refusal(congress, data)
    assert error.code == "sheet_too_large"
    assert error.params == {"found": 30_000_000, "limit": reading.MAX_SHEET_ROWS}
    assert "30000000" in error.message and str(reading.MAX_SHEET_ROWS) in error.message


def test_a_cell_in_row_30_000_000_without_a_dimension_stops_the_reading_at_the_row_limit(monkeypatch):
    congress = empty_congress()
    sheet = sheet_xml(
        _row(1, _HEADER_CELLS) + _row(2, _GOOD_ROW) + _row(30_000_000, _GOOD_ROW), dimension=None
    )
    seen: list[int] = []
    bounded = reading._bounded

    def counting(filename, rows):
        for number, values in bounded(filename, rows):
            seen.append(number)
            yield number, values

    monkeypatch.setattr(reading, "_bounded", counting)
    error = refusal(congress, build_xlsx(sheet))
    assert error.code == "sheet_too_large"
    assert error.params["found"] == reading.MAX_SHEET_ROWS + 1
    assert len(seen) == reading.MAX_SHEET_ROWS  # no row past the limit was handed on


def test_a_shared_strings_bomb_is_refused_before_openpyxl_opens_it_with_little_memory(monkeypatch):
    congress = empty_congress()
    data = build_xlsx(good_sheet(), shared_strings=96)  # 96 MB of strings in a file of a few hundred KB
    assert len(data) < reading.MAX_FILE_BYTES
    opened: list[bytes] = []
    monkeypatch.setattr(reading, "_open_workbook", lambda name, raw: opened.append(raw))
    tracemalloc.start()
    try:
        error = refusal(congress, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "unpacked_too_large"
    assert error.params["part"] == "xl/sharedStrings.xml"
    assert error.params["limit"] == reading.MAX_SHARED_STRINGS_BYTES
    assert opened == []
    assert peak < 8 * 1024 * 1024  # the file itself (a few hundred KB) and the zip directory, no more


def test_a_part_that_compresses_far_better_than_xml_is_refused():
    congress = empty_congress()
    data = build_xlsx(good_sheet(), shared_strings=2)  # 2 MB: under the size limits, 1000:1 compression
    error = refusal(congress, data)
    assert error.code == "suspicious_compression"
    assert error.params["limit"] == reading.MAX_COMPRESSION_RATIO


def test_a_row_with_more_cells_than_a_roll_ever_has_is_refused_while_counting(monkeypatch):
    congress = empty_congress()
    wide = "".join(f"<c><v>{i}</v></c>" for i in range(reading.MAX_CELLS_PER_ROW + 1))
    sheet = sheet_xml(_row(1, _HEADER_CELLS) + f'<row r="2">{wide}</row>', dimension=None)
    error = refusal(congress, build_xlsx(sheet))
    assert error.code == "too_many_columns"
    assert error.params == {"found": reading.MAX_CELLS_PER_ROW + 1, "limit": reading.MAX_CELLS_PER_ROW}


def test_too_many_cells_or_shared_strings_are_refused_while_counting(monkeypatch):
    congress = empty_congress()
    monkeypatch.setattr(reading, "MAX_CELLS", 7)
    error = refusal(congress, build_xlsx(good_sheet()))
    assert (error.code, error.params) == ("too_many_cells", {"found": 10, "limit": 7})
    strings = f'<sst xmlns="{_MAIN}">' + "<si><t>x</t></si>" * 3 + "</sst>"
    monkeypatch.setattr(reading, "MAX_CELLS", 10)
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS", 2)
    error = refusal(congress, build_xlsx(good_sheet(), shared_strings=strings.encode()))
    assert (error.code, error.params) == ("too_many_strings", {"found": 3, "limit": 2})


def test_the_cell_count_sees_a_tag_split_across_two_chunks(monkeypatch):
    congress = empty_congress()
    monkeypatch.setattr(reading, "_CHUNK", 7)  # every tag straddles a chunk boundary somewhere
    monkeypatch.setattr(reading, "MAX_CELLS", 9)
    error = refusal(congress, build_xlsx(good_sheet()))
    assert (error.code, error.params["found"]) == ("too_many_cells", 10)


def test_a_declared_width_past_the_column_limit_is_refused():
    congress = empty_congress()
    sheet = sheet_xml(_row(1, _HEADER_CELLS) + _row(2, _GOOD_ROW), dimension="A1:XFD2")
    error = refusal(congress, build_xlsx(sheet))
    assert (error.code, error.params) == ("too_many_columns", {"found": 16384, "limit": reading.MAX_COLUMNS})


def test_a_csv_of_blank_lines_stops_at_the_row_limit_and_a_wide_row_is_refused():
    congress = empty_congress()
    data = csv_bytes([row(1)]) + b"\r\n" * (reading.MAX_SHEET_ROWS + 5) + b"x,y\r\n"
    error = refusal(congress, data, "roll.csv")
    assert (error.code, error.params["found"]) == ("sheet_too_large", reading.MAX_SHEET_ROWS + 1)
    wide = csv_bytes([[*row(1), *([""] * reading.MAX_COLUMNS), "x"]])
    error = refusal(congress, wide, "roll.csv")
    assert error.code == "too_many_columns"
    # Blank cells past the limit are only trailing separators: the file imports.
    trailing = csv_bytes([[*row(1), *([""] * reading.MAX_COLUMNS)]])
    assert run_import(congress, trailing, "roll.csv").is_ok


def test_uploads_past_the_reading_slots_are_refused_at_once_rather_than_queued(monkeypatch):
    congress = empty_congress()
    monkeypatch.setattr(reading, "PARSE_WAIT_SECONDS", 0)
    taken = [reading._parse_slots.acquire(blocking=False) for _ in range(reading.PARSE_SLOTS)]
    try:
        assert all(taken)
        error = refusal(congress, csv_bytes([row(1)]), "roll.csv")
    finally:
        for _ in taken:
            reading._parse_slots.release()
    assert (error.code, error.params) == ("import_busy", {"slots": reading.PARSE_SLOTS})
    assert run_import(congress, csv_bytes([row(1)]), "roll.csv").is_ok  # the slots are given back


def test_a_refused_file_gives_its_reading_slot_back():
    congress = empty_congress()
    for _ in range(reading.PARSE_SLOTS + 1):
        refusal(congress, build_xlsx(good_sheet(), shared_strings=96))
    acquired = [reading._parse_slots.acquire(blocking=False) for _ in range(reading.PARSE_SLOTS)]
    for ok in acquired:
        if ok:
            reading._parse_slots.release()
    assert all(acquired)


def test_the_upload_page_answers_a_bomb_with_400_and_the_translated_reason():
    congress = empty_congress()
    client = Client()
    login_as(client, congress, Role.ORGANIZER)
    upload = SimpleUploadedFile("bom.xlsx", build_xlsx(good_sheet(), shared_strings=96))
    response = client.post(reverse("roll_import", args=[congress.slug]), {"file": upload})
    assert response.status_code == 400
    assert "khi giải nén lớn" in response.content.decode()
    with translation.override("en"):
        upload = SimpleUploadedFile("bom.xlsx", build_xlsx(good_sheet(), shared_strings=96))
        error = refusal(congress, upload.read())
    assert "unpacks to" in error.message


def test_a_zip_with_damaged_compressed_data_is_a_corrupt_file_not_a_500():
    congress = empty_congress()
    data = bytearray(build_xlsx(good_sheet()))
    start = data.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")
    data[start : start + 40] = bytes(40)  # the first bytes of the sheet's deflate stream
    error = refusal(congress, bytes(data))
    assert error.code == "corrupt_file"


# The term's Excel imports read through the same bounded reader -------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (
            build_xlsx(sheet_xml(_row(1, _HEADER_CELLS) + _row(30_000_000, _GOOD_ROW), dimension=None)),
            "sheet_too_large",
        ),
        (build_xlsx(good_sheet(), shared_strings=96), "unpacked_too_large"),
    ],
    ids=["row-30000000", "shared-strings"],
)
def test_the_terms_excel_imports_refuse_both_bombs(data, code):
    from daihoi.congress.access import SYSTEM
    from daihoi.term import imports

    congress = empty_congress()
    for run in (
        lambda: imports.import_review(congress, "review.xlsx", data, SYSTEM),
        lambda: imports.import_year(congress, 2021, "year.xlsx", data, SYSTEM),
    ):
        with pytest.raises(ActionError) as refused:
            run()
        assert refused.value.code == code
