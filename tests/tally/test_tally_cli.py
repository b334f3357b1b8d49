"""`daihoi tally` against shared/rules/tally-format.md: JSON contract, text minutes, one-line errors."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from daihoi.tally_cli import main

HERE = pathlib.Path(__file__).parent
DATA = HERE / "data"
GOLDEN = HERE / "golden"
CANDIDATES = str(DATA / "worked_candidates.csv")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def worked(seats: int, *extra: str) -> list[str]:
    return [
        "--rules", "party", "--seats", str(seats), "--base", "30",
        "--candidates", CANDIDATES, "--ballots", str(DATA / f"worked_ballots_{seats}.csv"), *extra,
    ]  # fmt: skip


def check_golden(name: str, text: str) -> None:
    """Compare with the reviewed file; UPDATE_GOLDEN=1 rewrites it (then read it before committing)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def write(tmp_path: pathlib.Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if encoding else text)  # type: ignore[arg-type]
    return str(path)


# The worked example of party.md ------------------------------------------------------------------


def test_P13_worked_example_five_seats_json(capsys):
    code, out, err = run(capsys, *worked(5))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert list(result) == [
        "rules", "seats", "base", "alternates", "ballots", "candidates",
        "elected", "elected_alternates", "unfilled_seats", "next_round",
    ]  # fmt: skip
    assert result["ballots"] == {
        "issued": 28,
        "received": 28,
        "valid": 25,
        "invalid": 3,
        "invalid_by_reason": {"too_many_kept": 1, "all_struck": 1, "not_issued": 1},
    }
    rows = [
        (c["id"], c["votes"], c["percent"], c["passed_threshold"], c["result"], c["rank"])
        for c in result["candidates"]
    ]
    assert rows == [
        ("c01", 24, "80.00", True, "elected", 1),
        ("c02", 22, "73.33", True, "elected", 2),
        ("c03", 20, "66.67", True, "elected", 3),
        ("c04", 16, "53.33", True, "elected", 4),
        ("c05", 16, "53.33", True, "elected", 4),
        ("c06", 15, "50.00", False, "not_elected", 6),
        ("c07", 9, "30.00", False, "not_elected", 7),
    ]
    assert list(result["candidates"][0]) == [
        "id",
        "name",
        "votes",
        "percent",
        "passed_threshold",
        "result",
        "rank",
    ]
    assert result["candidates"][0]["name"] == "Nguyễn Văn An"
    assert result["elected"] == ["c01", "c02", "c03", "c04", "c05"]
    assert (result["rules"], result["seats"], result["base"], result["alternates"]) == ("party", 5, 30, 0)
    assert (result["elected_alternates"], result["unfilled_seats"], result["next_round"]) == ([], 0, None)


def test_P13_worked_example_four_seats_json_tie(capsys):
    code, out, _ = run(capsys, *worked(4))
    result = json.loads(out)
    assert code == 0
    assert result["elected"] == ["c01", "c02", "c03"]
    assert result["next_round"] == {"reason": "tie", "seats": 1, "candidates": ["c04", "c05"]}
    assert [c["result"] for c in result["candidates"]] == [
        "elected", "elected", "elected", "tied", "tied", "not_elected", "not_elected",
    ]  # fmt: skip
    assert result["unfilled_seats"] == 1


def test_P16_text_minutes_golden_five_seats(capsys):
    code, out, _ = run(capsys, *worked(5, "--format", "text"))
    assert code == 0
    check_golden("worked_example_5.txt", out)


def test_P16_text_minutes_golden_four_seats(capsys):
    code, out, _ = run(capsys, *worked(4, "--format", "text", "--issued", "30"))
    assert code == 0
    check_golden("worked_example_4.txt", out)


def test_issued_defaults_to_rows_and_can_be_given(capsys):
    _, out, _ = run(capsys, *worked(5, "--issued", "29"))
    assert json.loads(out)["ballots"]["issued"] == 29


# Other rule sets and modes -----------------------------------------------------------------------


def test_P15_delegation_on_one_ballot_golden(capsys, tmp_path):
    cands = write(
        tmp_path, "c.csv", "id,name\nd1,Lê Văn An\nd2,Trần Thị Bình\nd3,Ngô Văn Cường\nd4,Phạm Thị Dung\n"
    )
    ballots = write(
        tmp_path,
        "b.csv",
        "ballot,invalid_reason,d1,d2,d3,d4\n"
        "1,,1,1,1,0\n2,,1,1,0,1\n3,,1,0,1,1\n4,,1,1,1,0\n5,,0,1,1,1\n6,,1,1,1,1\n",
    )
    argv = ["--seats", "2", "--alternates", "1", "--base", "6", "--candidates", cands, "--ballots", ballots]
    code, out, _ = run(capsys, *argv)
    result = json.loads(out)
    assert code == 0
    assert result["alternates"] == 1
    assert result["ballots"]["invalid_by_reason"] == {"too_many_kept": 1}
    assert [c["votes"] for c in result["candidates"]] == [4, 4, 4, 3]
    assert result["elected"] == [] and result["elected_alternates"] == []
    assert result["next_round"] == {"reason": "tie", "seats": 2, "candidates": ["d1", "d2", "d3"]}
    code, out, _ = run(capsys, *argv, "--format", "text")
    check_golden("delegation_tie.txt", out)


def test_S4_shareholders_cumulative_through_the_cli_golden(capsys, tmp_path):
    cands = write(tmp_path, "c.csv", "id,name\nh1,Công ty A\nh2,Bà Nguyễn Thị Bình\nh3,Ông Trần Văn Cường\n")
    ballots = write(
        tmp_path,
        "b.csv",
        "ballot,invalid_reason,weight,h1,h2,h3\n"
        "S001,,1000,2000,0,0\nS002,,300,0,300,300\nS003,,500,0,0,1001\nS004,,50,40,40,20\nS005,torn,10,,,\n",
    )
    argv = [
        "--rules",
        "shareholders",
        "--seats",
        "2",
        "--base",
        "1",
        "--candidates",
        cands,
        "--ballots",
        ballots,
    ]
    code, out, _ = run(capsys, *argv)
    result = json.loads(out)
    assert code == 0
    assert result["base"] == 1860 * 2  # shares present × seats; --base is ignored
    assert result["ballots"]["invalid_by_reason"] == {
        "over_allowance": 1,
        "too_many_candidates": 1,
        "torn": 1,
    }
    assert [c["votes"] for c in result["candidates"]] == [2000, 300, 300]
    assert result["elected"] == ["h1"]
    assert result["next_round"] == {"reason": "tie", "seats": 1, "candidates": ["h2", "h3"]}
    code, out, _ = run(capsys, *argv, "--format", "text")
    check_golden("shareholders_board.txt", out)


def test_approval_through_the_cli(capsys, tmp_path):
    cands = write(tmp_path, "c.csv", "id,name\na,An\nb,Bình\n")
    ballots = write(tmp_path, "b.csv", "ballot,invalid_reason,a,b\n1,,1,0\n2,,1,1\n3,,0,0\n4,,1,0\n")
    code, out, _ = run(
        capsys, "--rules", "approval", "--seats", "1", "--candidates", cands, "--ballots", ballots
    )
    result = json.loads(out)
    assert (
        code == 0 and result["base"] == 3 and result["ballots"]["invalid_by_reason"] == {"too_many_kept": 1}
    )
    assert result["elected"] == ["a"]


# Input handling ----------------------------------------------------------------------------------


def test_bom_nfc_reordered_columns_and_blank_lines(capsys, tmp_path):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    cands = write(tmp_path, "c.csv", f"\ufeffid,name\nc1,{decomposed}\nc2,Bình\n\n")
    ballots = write(tmp_path, "b.csv", "\ufeffballot,invalid_reason,c2,c1\r\n1,,0,1\r\n\r\n2,, 1 ,0\r\n")
    code, out, err = run(capsys, "--seats", "1", "--base", "2", "--candidates", cands, "--ballots", ballots)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["candidates"][0]["name"] == "Nguyễn Văn An"
    assert [c["votes"] for c in result["candidates"]] == [1, 1]


def test_header_only_ballots_file_counts_zero(capsys, tmp_path):
    cands = write(tmp_path, "c.csv", "id,name\nc1,An\nc2,Bình\n")
    ballots = write(tmp_path, "b.csv", "ballot,invalid_reason,c1,c2\n")
    code, out, _ = run(capsys, "--seats", "1", "--base", "5", "--candidates", cands, "--ballots", ballots)
    assert code == 0 and json.loads(out)["ballots"]["received"] == 0


def test_P11_no_surplus_list_empty_cell_is_no_vote(capsys, tmp_path):
    cands = write(tmp_path, "c.csv", "id,name\nc1,An\nc2,Bình\n")
    ballots = write(tmp_path, "b.csv", "ballot,invalid_reason,c1,c2\n1,,1,\n2,,1,1\n3,,0,0\n")
    code, out, _ = run(capsys, "--seats", "2", "--base", "3", "--candidates", cands, "--ballots", ballots)
    result = json.loads(out)
    assert code == 0 and result["ballots"]["valid"] == 3
    assert [c["votes"] for c in result["candidates"]] == [2, 1]


CANDS = "id,name\nc01,An\nc02,Bình\nc03,Cường\n"
HEAD = "ballot,invalid_reason,c01,c02,c03\n"


@pytest.mark.parametrize(
    ("candidates", "ballots", "extra", "message"),
    [
        (CANDS, HEAD + "1,,1,0,0\n2,,1,2,0\n", [], 'b.csv:3: mark "2" in column c02 is not 0 or 1'),
        (CANDS, HEAD + "1,,1,,0\n", [], 'b.csv:2: mark "" in column c02 is not 0 or 1'),
        (CANDS, HEAD + "1,,1,0,0\n2,,0,1,0\n1,,0,0,1\n", [], 'b.csv:4: ballot "1" already on line 2'),
        (CANDS, HEAD + "1,,1,0\n", [], "b.csv:2: 4 fields, the header has 5"),
        (CANDS, HEAD + ",,1,0,0\n", [], "b.csv:2: the ballot number is empty"),
        (
            CANDS,
            HEAD + "1,lost,1,0,0\n",
            [],
            'b.csv:2: invalid_reason "lost" is not a code of rule set party '
            "(allowed: added_name, not_issued, signed_or_marked, single_both_or_none, torn)",
        ),
        (
            CANDS,
            HEAD + "1,too_many_kept,1,1,1\n",
            [],
            'b.csv:2: invalid_reason "too_many_kept" is decided from the marks; leave it empty',
        ),
        (
            CANDS,
            "ballot,invalid_reason,c01,c02,c03,c09\n",
            [],
            'b.csv:1: column "c09" is not a candidate id in the candidates file',
        ),
        (CANDS, "ballot,invalid_reason,c01,c03\n", [], "b.csv:1: no column for candidate c02"),
        (CANDS, "ballot,invalid_reason,c01,c02,c02,c03\n", [], 'b.csv:1: column "c02" appears twice'),
        (CANDS, "id,c01,c02,c03\n", [], 'b.csv:1: the header starts "id,c01", expected "ballot,invalid_reason"'),
        (
            CANDS,
            "ballot,invalid_reason,weight,c01,c02,c03\n1,,2,1,0,0\n",
            [],
            "b.csv:2: weight 2: rule set party is not weighted, so weight must be 1",
        ),
        (CANDS, "", [], 'b.csv:1: the file is empty; expected the header "ballot,invalid_reason,<candidate ids>"'),
        ("", HEAD, [], 'c.csv:1: the file is empty; expected the header "id,name"'),
        ("id,name\n", HEAD, [], "c.csv:1: no candidates"),
        ("id,name\nc01,An\nc01,Bình\n", HEAD, [], 'c.csv:3: candidate id "c01" already on line 2'),
        ("id,name\nc01,An\nc02,\n", HEAD, [], "c.csv:3: candidate c02 has no name"),
        ("id,name,x\nc01,An,1\n", HEAD, [], 'c.csv:1: the header is "id,name,x", expected "id,name"'),
        (CANDS, HEAD + "1,,1,0,0\n", ["--issued", "0"], "b.csv: Cannot certify: ballots received (1) exceed ballots issued (0)"),
        (CANDS, HEAD, ["--seats", "0"], "daihoi tally: --seats must be at least 1, not 0"),
        (CANDS, HEAD, ["--base", "0"], "daihoi tally: --base must be at least 1, not 0"),
        (CANDS, HEAD, ["--rules", "youth"], "daihoi tally: --rules: There is no rule set youth (known: approval, party, shareholders)"),
        (CANDS, HEAD, ["--seats", "two"], "daihoi tally: argument --seats: “two” is not a whole number."),
        (CANDS, HEAD, ["--seats", "²"], "daihoi tally: argument --seats: “²” is not a whole number."),
        (CANDS, HEAD, ["--base", "9" * 5000], "daihoi tally: argument --base: 999999… is more than the maximum 999999999999999999"),
        (CANDS, HEAD, ["--issued", ""], "daihoi tally: argument --issued: a number is needed"),
        (CANDS, HEAD + "1,,1,²,0\n", [], 'b.csv:2: mark "²" in column c02 is not 0 or 1'),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_and_no_output(capsys, tmp_path, candidates, ballots, extra, message):
    c = write(tmp_path, "c.csv", candidates)
    b = write(tmp_path, "b.csv", ballots)
    argv = ["--seats", "2", "--base", "10", "--candidates", c, "--ballots", b, *extra]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.strip().replace(str(tmp_path) + os.sep, "") == message


def test_bad_format_is_one_line(capsys, tmp_path):
    c = write(tmp_path, "c.csv", CANDS)
    b = write(tmp_path, "b.csv", HEAD)
    code, out, err = run(
        capsys, "--seats", "1", "--base", "2", "--candidates", c, "--ballots", b, "--format", "xml"
    )
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("daihoi tally: argument --format: invalid choice: 'xml'")


def test_base_is_required_for_party(capsys, tmp_path):
    c = write(tmp_path, "c.csv", CANDS)
    b = write(tmp_path, "b.csv", HEAD)
    code, out, err = run(capsys, "--seats", "1", "--candidates", c, "--ballots", b)
    assert (code, out) == (2, "")
    assert err == "daihoi tally: --base (N) is required for rule set party\n"


def test_not_utf8_and_missing_file(capsys, tmp_path):
    c = write(tmp_path, "c.csv", CANDS)
    bad = tmp_path / "b.csv"
    bad.write_bytes(HEAD.encode() + b"1,,1,0,0\n2,\xff,1,0,0\n")
    code, out, err = run(capsys, "--seats", "1", "--base", "5", "--candidates", c, "--ballots", str(bad))
    assert (code, out) == (2, "") and err.endswith("b.csv:3: not valid UTF-8\n")
    code, out, err = run(
        capsys, "--seats", "1", "--base", "5", "--candidates", c, "--ballots", str(tmp_path / "no.csv")
    )
    assert (code, out) == (2, "") and "no.csv: cannot read the file" in err and err.count("\n") == 1


def test_shareholders_votes_must_be_whole_numbers(capsys, tmp_path):
    c = write(tmp_path, "c.csv", "id,name\nh1,A\nh2,B\n")
    b = write(tmp_path, "b.csv", "ballot,invalid_reason,weight,h1,h2\n1,,10,5,-1\n")
    code, out, err = run(capsys, "--rules", "shareholders", "--seats", "1", "--candidates", c, "--ballots", b)
    assert (code, out) == (2, "")
    assert err.strip().endswith('b.csv:2: mark "-1" in column h2 is not a whole number of votes')


@pytest.mark.parametrize(
    ("weight", "shown"),
    [
        ("9" * 5000, "999999999999… (5000 characters)"),
        ("1" + "0" * 29, "100000000000… (30 characters)"),
        ("²", "²"),
        ("-3", "-3"),
        ("", ""),
    ],
)
def test_a_bad_weight_exits_2_with_one_line_not_a_traceback(capsys, tmp_path, weight, shown):
    c = write(tmp_path, "c.csv", "id,name\nh1,A\nh2,B\n")
    b = write(tmp_path, "b.csv", f"ballot,invalid_reason,weight,h1,h2\n1,,{weight},5,0\n")
    code, out, err = run(capsys, "--rules", "shareholders", "--seats", "1", "--candidates", c, "--ballots", b)
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.strip().endswith(
        f'b.csv:2: weight "{shown}" is not a whole number from 1 to 999,999,999,999,999,999'
    )


def test_votes_of_5000_digits_exit_2_with_one_line(capsys, tmp_path):
    c = write(tmp_path, "c.csv", "id,name\nh1,A\nh2,B\n")
    b = write(tmp_path, "b.csv", f"ballot,invalid_reason,weight,h1,h2\n1,,10,{'7' * 5000},0\n")
    code, out, err = run(capsys, "--rules", "shareholders", "--seats", "1", "--candidates", c, "--ballots", b)
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.strip().endswith(
        'b.csv:2: mark "777777777777… (5000 characters)" in column h1 is not a whole number of votes'
    )


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "--candidates" in capsys.readouterr().out


# Through a real process --------------------------------------------------------------------------


def test_runs_as_a_module_in_a_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "daihoi.tally_cli", *worked(4)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["next_round"]["reason"] == "tie"


def test_runs_as_daihoi_tally_entry_point():
    exe = pathlib.Path(sys.executable).parent / "daihoi"
    if not exe.exists():
        pytest.skip("the daihoi entry point is not installed in this environment")
    proc = subprocess.run(
        [str(exe), "tally", *worked(5, "--format", "text")], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (GOLDEN / "worked_example_5.txt").read_text(encoding="utf-8")
    bad = subprocess.run([str(exe), "tally", "--seats", "5"], capture_output=True, text=True, check=False)
    assert (bad.returncode, bad.stdout, bad.stderr.count("\n")) == (2, "", 1)
