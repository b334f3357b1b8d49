"""`daihoi targets --file` against the contract of shared/rules/targets.md: JSON, text, one-line errors."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from daihoi.targets_cli import main

EXAMPLE = {
    "term": [2020, 2025],
    "targets": [
        {
            "id": "t01",
            "name": "Thu ngân sách tăng bình quân",
            "kind": "growth_avg",
            "direction": "at_least",
            "target": "10",
            "unit": "%/năm",
            "mean": "compound",
            "values": {
                "2020": "100", "2021": "110", "2022": "121", "2023": "133.1", "2024": "146.41", "2025": "161.051",
            },
        }
    ],
}  # fmt: skip


def write(tmp_path: pathlib.Path, data: object, name: str = "targets.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_contract_example_gives_the_documented_output(tmp_path, capsys):
    code, out, err = run(capsys, "--file", write(tmp_path, EXAMPLE))
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "targets": [{"id": "t01", "outcome": "met", "achieved": "10.00", "ratio": None, "missing_years": []}],
        "summary": {"exceeded": 0, "met": 1, "missed": 0, "missing": 0},
    }


def test_targets_in_input_order_with_every_kind(tmp_path, capsys):
    data = {
        "term": [2020, 2025],
        "targets": [
            {"id": "z", "kind": "total", "direction": "at_least", "target": "80",
             "values": {"2021": "15", "2022": "16", "2023": "17", "2024": "18", "2025": "20"}},
            {"id": "a", "kind": "level_end", "direction": "below", "target": "0.5", "values": {"2025": "0.40"}},
            {"id": "m", "kind": "yearly_level", "direction": "at_least", "target": "100",
             "values": {"2021": "100", "2022": "100", "2024": "100", "2025": "100"}},
            {"id": "g", "kind": "growth_avg", "direction": "at_least", "target": "10", "mean": "arithmetic",
             "values": {"2020": "100", "2021": "120", "2022": "120", "2023": "132", "2024": "145.2", "2025": "159.72"}},
        ],
    }  # fmt: skip
    code, out, _ = run(capsys, "--file", write(tmp_path, data))
    result = json.loads(out)
    assert code == 0
    assert result["targets"] == [
        {"id": "z", "outcome": "exceeded", "achieved": "86", "ratio": "107.50", "missing_years": []},
        {"id": "a", "outcome": "exceeded", "achieved": "0.4", "ratio": None, "missing_years": []},
        {"id": "m", "outcome": "missing", "achieved": None, "ratio": None, "missing_years": [2023]},
        {"id": "g", "outcome": "met", "achieved": "10.00", "ratio": None, "missing_years": []},
    ]
    assert result["summary"] == {"exceeded": 2, "met": 1, "missed": 0, "missing": 1}


def test_mean_defaults_to_compound(tmp_path, capsys):
    data = json.loads(json.dumps(EXAMPLE))
    del data["targets"][0]["mean"]
    data["targets"][0]["values"]["2025"] = "159.72"
    _, out, _ = run(capsys, "--file", write(tmp_path, data))
    assert json.loads(out)["targets"][0]["outcome"] == "missed"


def test_text_format_names_the_outcomes_and_the_summary(tmp_path, capsys):
    code, out, err = run(capsys, "--file", write(tmp_path, EXAMPLE), "--format", "text")
    assert (code, err) == (0, "")
    assert "t01 Thu ngân sách tăng bình quân: đạt (met); đạt được 10.00 (bình quân kép)" in out
    assert out.rstrip().endswith("1/1 chỉ tiêu đạt và vượt (vượt 0, đạt 1, không đạt 0, thiếu số liệu 0)")


def _with(**changes: object) -> dict:
    data = json.loads(json.dumps(EXAMPLE))
    data["targets"][0].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_with(kind="median"), 'Target t01: unknown kind "median"'),
        (_with(direction="exactly"), 'Target t01: unknown direction "exactly"'),
        (_with(mean="geometric"), 'Target t01: unknown mean "geometric"'),
        (_with(target="10,5"), 'Target t01: target "10,5" is not a decimal string'),
        (_with(target=10), 'Target t01: target "10" is not a decimal string'),
        (_with(values={"2020": "100", "2025": 161.051}), "Target t01: the value of 2025"),
        (_with(values={"2019": "100", "2025": "161"}), "Target t01: year 2019 is outside the term 2020–2025"),
        (
            _with(values={"2020": "0", "2025": "161"}),
            "Target t01: the value of 2020 is 0; an average growth needs",
        ),
        (_with(values={"2020": "-1", "2025": "161"}), "Target t01: the value of 2020 is -1"),
        (_with(values={"năm": "1"}), 'Target t01: year "năm" is not a year'),
        ({"term": [2020, 2025], "targets": [EXAMPLE["targets"][0]] * 2}, "Target id t01 appears twice"),
        ({"term": [2025, 2020], "targets": []}, "term: The term 2025–2020 is not valid"),
        ({"term": "2020-2025", "targets": []}, '"term" must be [base year, end year]'),
        ({"term": [2020, 2025]}, '"targets" must be a list'),
        (
            {"term": [2020, 2025], "targets": [{"kind": "total"}]},
            'targets[0]: "id" must be a non-empty string',
        ),
        (
            {"term": [2020, 2025], "targets": [{"id": "x", "kind": "total", "direction": "at_least"}]},
            'target x: "target" is missing',
        ),
        ("{not json", "not valid JSON"),
    ],
)
def test_unusable_input_exits_2_with_one_line_naming_the_file_and_target(tmp_path, capsys, data, problem):
    path = write(tmp_path, data)
    code, out, err = run(capsys, "--file", path)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(path)
    assert problem in err


def test_missing_file_and_bad_utf8(tmp_path, capsys):
    code, out, err = run(capsys, "--file", str(tmp_path / "nope.json"))
    assert (code, out) == (2, "") and "cannot read the file" in err
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"term": [2020, 2025], "targets": [], "x": "\xff"}')
    code, out, err = run(capsys, "--file", str(bad))
    assert (code, out, err.strip()) == (2, "", f"{bad}: not valid UTF-8")


def test_the_daihoi_command_dispatches_without_django(tmp_path):
    path = write(tmp_path, EXAMPLE)
    probe = (
        "import sys; from daihoi.cli import main; code = main(['targets', '--file', sys.argv[1]]); "
        "sys.exit(code if not any(m.startswith('django') for m in sys.modules) else 9)"
    )
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).parents[2] / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", probe, path], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["met"] == 1
