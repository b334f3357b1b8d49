"""The election record and `daihoi verify`: accepted as published, refused after any change."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from daihoi.cli import main
from daihoi.crypto.ballot import encrypt_ballot
from daihoi.crypto.group import base_mul
from daihoi.crypto.record import CastBallot, VerifyError, verify_record
from daihoi.crypto.totals import PaperTotals

from .helpers import ELECTION, MOTION, counted_record

VOTES = [
    ([1, 1, 1, 1, 1, 0, 0], False),
    ([1, 0, 1, 0, 1, 0, 1], False),
    ([0] * 7, True),
    ([0, 1, 0, 0, 0, 0, 0], False),
]
PAPER = PaperTotals(
    issued=24, received=24, invalid_by_reason={"not_issued": 1}, votes=(20, 19, 18, 15, 15, 14, 9)
)


@pytest.fixture(scope="module")
def record() -> dict:
    return counted_record(ELECTION, VOTES, paper=PAPER)


def run_verify(tmp_path, data: dict, capsys) -> tuple[int, str]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["verify", str(path)])
    out = capsys.readouterr()
    return code, (out.out + out.err).strip()


def test_the_record_counts_electronic_and_paper_ballots_together(record):
    assert record["electronic"] == {"cast": 4, "rejected": 0, "invalid": 1, "votes": [2, 2, 2, 1, 2, 0, 1]}
    ballots = record["result"]["ballots"]
    assert ballots == {
        "issued": 28,
        "received": 28,
        "valid": 26,
        "invalid": 2,
        "invalid_by_reason": {"all_struck": 1, "not_issued": 1},
    }
    assert [c["votes"] for c in record["result"]["candidates"]] == [22, 21, 20, 16, 17, 14, 10]
    assert record["result"]["elected"] == ["c1", "c2", "c3", "c5", "c4"]


def test_daihoi_verify_accepts_the_published_record(tmp_path, capsys, record):
    code, out = run_verify(tmp_path, record, capsys)
    assert code == 0, out
    assert out.startswith("daihoi verify: OK: election congress-1/election-7: 4 electronic ballots")
    assert len(out.splitlines()) == 1


def test_daihoi_verify_runs_as_a_command_without_django(tmp_path, record):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    code = "import sys; from daihoi.cli import main; rc = main(['verify', sys.argv[1]]); assert 'django' not in sys.modules; sys.exit(rc)"
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("daihoi verify: OK")


def test_the_record_survives_a_round_trip_through_json(record):
    again = json.loads(json.dumps(record, ensure_ascii=False))
    assert again == record
    assert verify_record(again).startswith("OK")


def test_one_changed_byte_of_one_ballot_is_refused(tmp_path, capsys, record):
    text = json.dumps(record, indent=1)
    b = record["ballots"][2]["ballot"]["marks"][3]["b"]
    at = text.index(b) + 10
    changed = text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]
    path = tmp_path / "record.json"
    path.write_text(changed, encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    line = out.err.strip()
    assert len(line.splitlines()) == 1
    assert "FAILED" in line and "ballot 3 (cred-3)" in line


def tamper(record: dict, change) -> dict:
    bad = copy.deepcopy(record)
    change(bad)
    return bad


def _flip(hex_text: str) -> str:
    raw = bytearray(bytes.fromhex(hex_text))
    raw[0] ^= 0x02
    return raw.hex()


CHANGES = {
    "tracker": (lambda r: r["ballots"][0].__setitem__("tracker", "0" * 64), "ballot 1 (cred-1): tracker"),
    "proof": (
        lambda r: r["ballots"][1]["ballot"]["sum_proof"][0].__setitem__(
            1, _flip(r["ballots"][1]["ballot"]["sum_proof"][0][1])
        ),
        "ballot 2 (cred-2)",
    ),
    "dropped ballot": (lambda r: r["ballots"].pop(0), "totals"),
    "set aside": (
        lambda r: r["ballots"][0].__setitem__("accepted", False),
        "set aside as invalid but its proofs hold",
    ),
    "electronic count": (lambda r: r["electronic"]["votes"].__setitem__(0, 3), "electronic"),
    "result": (lambda r: r["result"]["elected"].reverse(), "result"),
    "paper votes": (lambda r: r["paper"]["votes"].__setitem__(6, 10), "result"),
    "public key": (lambda r: r.__setitem__("public_key", base_mul(5).hex()), "public_key"),
    "commitment": (
        lambda r: r["committee"]["members"][1]["commitments"].__setitem__(1, base_mul(5).hex()),
        "public share does not follow",
    ),
    "threshold": (lambda r: r["committee"].__setitem__("threshold", 3), "member 1"),
    "decryption factor": (
        lambda r: r["decryptions"][0]["factors"][2].__setitem__("factor", base_mul(7).hex()),
        "decryption by member 1",
    ),
    "one decryption only": (lambda r: r["decryptions"].pop(), "decryption needs 2 members"),
    "not a record": (lambda r: r.__setitem__("format", "other"), "not a daihoi-election-record/1 file"),
    "missing key": (lambda r: r.pop("totals"), "malformed record"),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_a_changed_record_is_refused_naming_what_failed(record, what):
    change, named = CHANGES[what]
    with pytest.raises(VerifyError) as e:
        verify_record(tamper(record, change))
    assert named in str(e.value)


def test_a_ballot_whose_proofs_fail_is_set_aside_and_counted_invalid():
    from daihoi.crypto.threshold import public_key, run_ceremony

    stranger = run_ceremony(ELECTION.id, 2, 3)
    wrong_key = public_key({m.index: m.commitments for m in stranger})
    forged = CastBallot(
        "cred-x", encrypt_ballot(ELECTION.spec(), wrong_key, ELECTION.id, "cred-x", [1, 1, 1, 1, 1, 0, 0])
    )
    record = counted_record(ELECTION, VOTES, paper=PAPER, extra=[forged])
    assert record["ballots"][-1]["accepted"] is False
    assert record["electronic"]["rejected"] == 1
    assert record["result"]["ballots"]["invalid_by_reason"] == {
        "all_struck": 1,
        "bad_proof": 1,
        "not_issued": 1,
    }
    assert [c["votes"] for c in record["result"]["candidates"]] == [22, 21, 20, 16, 17, 14, 10]
    assert verify_record(record).startswith("OK")
    with pytest.raises(VerifyError, match="counted as accepted but its proofs fail"):
        verify_record(tamper(record, lambda r: r["ballots"][-1].__setitem__("accepted", True)))


def test_a_ballot_that_does_not_even_parse_is_kept_set_aside():
    garbage = CastBallot("cred-g", {"marks": [{"a": "zz"}], "invalid": None, "sum_proof": []})
    record = counted_record(ELECTION, VOTES[:2], extra=[garbage])
    entry = record["ballots"][-1]
    assert entry == {"credential": "cred-g", "tracker": None, "accepted": False, "ballot": garbage.ballot}
    assert record["result"]["ballots"]["invalid_by_reason"] == {"bad_proof": 1}
    assert verify_record(record).startswith("OK")


def test_a_motion_record_verifies_and_recomputes_the_decision(tmp_path, capsys):
    record = counted_record(MOTION, [([1, 0, 0], False)] * 3 + [([0, 1, 0], False)], paper=None)
    assert record["electronic"]["votes"] == [3, 1, 0]
    assert record["result"]["passed"] is False  # 2 × 3 > 30 does not hold
    assert record["spec"] == {"choices": 3, "min_marks": 1, "max_marks": 1, "allow_invalid": False}
    assert run_verify(tmp_path, record, capsys)[0] == 0
    with pytest.raises(VerifyError, match="result"):
        verify_record(tamper(record, lambda r: r["result"].__setitem__("passed", True)))


def test_verify_refuses_a_file_that_is_not_json(tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.json")]) == 2
    assert "FAILED" in capsys.readouterr().err
    assert main(["verify"]) == 2
