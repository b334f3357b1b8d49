"""`daihoi congress new --from congress.yaml|.xlsx`: all or nothing, errors by place, exit status 1."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from daihoi.audit.models import AuditEntry
from daihoi.congress.models import Congress, Organization, SeatAllocation, StaffRole

pytestmark = pytest.mark.django_db

YAML = """\
organization:
  name: Công đoàn Công ty Điện lực Hoà Bình
  kind: trade_union
  place: Hoà Bình
congress:
  slug: cd-dien-luc
  name: Đại hội Công đoàn Công ty Điện lực Hoà Bình lần thứ III
  ordinal: 3
  term: 2028-2033
  starts_on: 2028-03-01
  venue: Hội trường công ty
seats:
  total: 20
  ex_officio: 2
units:
  - {name: Công đoàn bộ phận Kỹ thuật, members: 60}
  - {name: Công đoàn bộ phận Kinh doanh, members: 30}
staff:
  - {username: kiemphieu1, full_name: Đỗ Văn Nam, roles: [counting]}
"""


def run(path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("congress", "new", "--from", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_congress_from_yaml(tmp_path):
    path = tmp_path / "congress.yaml"
    path.write_text(YAML, encoding="utf-8")
    out, _err = run(path)
    congress = Congress.objects.get(slug="cd-dien-luc")
    assert congress.rules == "approval"
    assert (congress.term_start, congress.term_end, congress.ends_on) == (2028, 2033, congress.starts_on)
    assert congress.organization.kind == "trade_union"
    assert sum(SeatAllocation.objects.filter(congress=congress).values_list("seats", flat=True)) == 18
    line = next(line for line in out.splitlines() if line.startswith("kiemphieu1\t"))
    password = line.split("\t")[1]
    assert authenticate(username="kiemphieu1", password=password) is not None
    assert StaffRole.objects.get(user__username="kiemphieu1").role == "counting"


def test_errors_are_listed_by_place_and_nothing_is_written(tmp_path):
    path = tmp_path / "congress.yaml"
    path.write_text(
        YAML.replace("ordinal: 3", "ordinal: ba")
        .replace("members: 30", "members: -4")
        .replace("[counting]", "[boss]"),
        encoding="utf-8",
    )
    # Counted, not "none at all": the suite's live-server tests may leave rows behind.
    before = (Congress.objects.count(), Organization.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="3 lỗi"):
        run(path)
    assert (Congress.objects.count(), Organization.objects.count(), AuditEntry.objects.count()) == before


def test_errors_in_stderr(tmp_path):
    path = tmp_path / "congress.yaml"
    path.write_text(YAML.replace("ordinal: 3", "ordinal: ba"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("congress", "new", "--from", str(path), stdout=io.StringIO(), stderr=err)
    assert "congress.ordinal: “ba” không phải số nguyên" in err.getvalue()


def test_a_congress_from_xlsx(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in [
        ("# khoá", "giá trị"),
        ("organization.name", "Đoàn TNCS Hồ Chí Minh xã An Phú"),
        ("organization.kind", "youth_union"),
        ("congress.name", "Đại hội Đoàn xã An Phú lần thứ VII"),
        ("congress.ordinal", 7),
        ("congress.term", "2027-2032"),
        ("congress.starts_on", "2027-04-02"),
        ("seats.total", 12),
        ("unit", "Chi đoàn thôn 1", 25),
        ("unit", "Chi đoàn thôn 2", 35),
        ("staff", "chutich", "Nguyễn Văn An", "presidium, secretariat"),
    ]:
        ws.append(row)
    path = tmp_path / "congress.xlsx"
    wb.save(path)
    run(path)
    congress = Congress.objects.get()
    assert congress.slug.startswith("dai-hoi-doan-xa-an-phu")
    assert list(congress.organization.children.values_list("name", flat=True)) == [
        "Chi đoàn thôn 1",
        "Chi đoàn thôn 2",
    ]
    assert sorted(StaffRole.objects.values_list("role", flat=True)) == ["presidium", "secretariat"]


def test_an_unknown_xlsx_key_is_an_error_by_row(tmp_path):
    wb = Workbook()
    wb.active.append(("congres.name", "x"))
    path = tmp_path / "congress.xlsx"
    wb.save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("congress", "new", "--from", str(path), stdout=io.StringIO(), stderr=err)
    assert "dòng 1: không rõ khoá “congres.name”" in err.getvalue()


def test_the_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "congress.yaml"
    path.write_text("organization: [\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from daihoi.cli import main; main()", "congress", "new", "--from", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "YAML" in result.stderr
