"""`daihoi synthesize` against shared/rules/synthesis-format.md, including its errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import docx
import pytest

from daihoi.cli import main as daihoi_main
from tests.support.synthesis import DRAFT_MD

CSV = """id,unit,section,kind,text
c1,Chi bộ 1,s01,,Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%
c2,Chi bộ 2,,,de nghi nang chi tieu tang truong kinh te xa hoi len 12%
c3,Chi bộ 3,s01,amend,Đề nghị hạ chỉ tiêu tăng trưởng kinh tế xã hội xuống 8%
c4,Chi bộ 3,,,Thống nhất cao với dự thảo
c5,Chi bộ 4,,add,"Cần bổ sung giải pháp giữ vững ANTT, nhất là tại các khu dân cư"
c6,Chi bộ 5,s03,,Bổ sung giải pháp bảo đảm an ninh trật tự ở khu dân cư
"""


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "draft.md"
    d.write_text(DRAFT_MD, encoding="utf-8")
    c = tmp_path / "comments.csv"
    c.write_bytes("\ufeff".encode() + CSV.encode())
    return tmp_path, str(d), str(c)


def run(argv, capsys):
    code = daihoi_main(["synthesize", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_follows_the_contract(files, capsys):
    _, d, c = files
    code, out, err = run(["--draft", d, "--comments", c, "--lexical"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["agreements"] == ["c4"]
    s01, s02, s03 = data["sections"]
    assert (s01["section"], s02["section"], s03["section"]) == ("s01", "s02", "s03")
    assert s01["groups"] == [
        {
            "comments": ["c1", "c2"],
            "units": 2,
            "kind": "amend",
            "summary": "Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%",
        },
        {
            "comments": ["c3"],
            "units": 1,
            "kind": "amend",
            "summary": "Đề nghị hạ chỉ tiêu tăng trưởng kinh tế xã hội xuống 8%",
        },
    ]
    assert s02["groups"] == []
    assert [(g["comments"], g["units"], g["kind"]) for g in s03["groups"]] == [(["c5", "c6"], 2, "add")]


def test_the_default_embedder_runs_offline_with_the_same_result(files, capsys):
    _, d, c = files
    code, out, _ = run(["--draft", d, "--comments", c], capsys)
    code2, out2, _ = run(["--draft", d, "--comments", c, "--lexical"], capsys)
    assert code == code2 == 0
    assert json.loads(out) == json.loads(out2)


def test_text_and_docx_reports(files, capsys):
    tmp, d, c = files
    code, out, _ = run(["--draft", d, "--comments", c, "--format", "text", "--lexical"], capsys)
    assert code == 0
    assert "BÁO CÁO TỔNG HỢP Ý KIẾN GÓP Ý" in out
    assert "2 đơn vị: Chi bộ 1, Chi bộ 2" in out
    assert "Tán thành, không góp ý thêm: 1 ý kiến của 1 đơn vị" in out
    target = tmp / "report.docx"
    code, out, _ = run(["--draft", d, "--comments", c, "--format", "docx", "--output", str(target)], capsys)
    assert (code, out) == (0, "")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(target.read_bytes())).paragraphs)
    assert "Đề nghị nâng chỉ tiêu tăng trưởng KT-XH lên 12%" in text
    assert "1. Về phát triển kinh tế" in text


@pytest.fixture
def in_tmp(files, monkeypatch):
    monkeypatch.chdir(files[0])
    return files


BAD = [
    (
        "id,unit,section,kind,text\nc1,u,s31,,x\n",
        'comments.csv:2: section "s31" is not a section of the draft',
    ),
    ("id,unit,section,kind,text\nc1,u,,,x\nc1,v,,,y\n", 'comments.csv:3: comment id "c1" is used twice'),
    (
        "id,unit,section,kind,text\nc1,u,,maybe,x\n",
        'comments.csv:2: kind "maybe" is not one of agree, amend, add, remove, other',
    ),
    ("id,unit,section,kind,text\nc1,,,,x\n", 'comments.csv:2: the "unit" column is empty'),
    ("id,unit,section,kind,text\nc1,u,,,\n", 'comments.csv:2: the "text" column is empty'),
    ("id,unit,section,kind,text\n,u,,,x\n", 'comments.csv:2: the "id" column is empty'),
    ("id,unit,section,kind,text\nc1,u,,x\n", "comments.csv:2: the row has 4 columns, 5 expected"),
    (
        "id,unit,text\nc1,u,x\n",
        "comments.csv:1: the header must be id,unit,section,kind,text (found id,unit,text)",
    ),
    ('id,unit,section,kind,text\nc1,u,,,"x\n', "comments.csv:2: not valid CSV (unexpected end of data)"),
]


@pytest.mark.parametrize(("csv_text", "message"), BAD)
def test_bad_comments_exit_2_with_one_line_and_nothing_on_stdout(in_tmp, capsys, csv_text, message):
    tmp, d, _ = in_tmp
    (tmp / "comments.csv").write_text(csv_text, encoding="utf-8")
    code, out, err = run(["--draft", d, "--comments", "comments.csv", "--lexical"], capsys)
    assert (code, out) == (2, "")
    assert err == message + "\n"


def test_errors_name_the_draft_file_and_line(in_tmp, capsys):
    tmp, _, c = in_tmp
    (tmp / "bad.md").write_text("# T\n## A {#s1}\n## B {#s1}\n", encoding="utf-8")
    code, out, err = run(["--draft", "bad.md", "--comments", c], capsys)
    assert (code, out, err) == (2, "", 'bad.md:3: section id "s1" is used twice\n')
    (tmp / "bad.md").write_bytes(b"## A\n\xff\n")
    code, out, err = run(["--draft", "bad.md", "--comments", c], capsys)
    assert (code, out, err) == (2, "", "bad.md:2: not valid UTF-8\n")
    (tmp / "bad.docx").write_bytes(b"not a zip")
    code, out, err = run(["--draft", "bad.docx", "--comments", c], capsys)
    assert (code, out, err) == (2, "", "bad.docx: not a readable Word file (not a .docx package)\n")


def test_missing_files_and_arguments(in_tmp, capsys):
    _, d, c = in_tmp
    code, out, err = run(["--draft", "nope.md", "--comments", c], capsys)
    assert (code, out, err) == (2, "", "nope.md: cannot read the file (No such file or directory)\n")
    code, out, err = run(["--draft", d], capsys)
    assert code == 2 and out == "" and err.startswith("daihoi synthesize: ") and "--comments" in err
    code, out, err = run(["--draft", d, "--comments", c, "--format", "docx"], capsys)
    assert (code, out, err) == (2, "", "daihoi synthesize: --format docx needs --output\n")


def test_the_installed_entry_point_runs_without_django(files):
    _, d, c = files
    probe = (
        "import sys; from daihoi.cli import main; code = main(['synthesize', '--draft', sys.argv[1], "
        "'--comments', sys.argv[2], '--lexical']); "
        "assert not [m for m in sys.modules if m.startswith('django')]; sys.exit(code)"
    )
    proc = subprocess.run([sys.executable, "-c", probe, d, c], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["agreements"] == ["c4"]
