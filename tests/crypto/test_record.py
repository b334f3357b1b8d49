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
from daihoi.crypto.record import CastBallot, Poll, VerifyError, verify_record
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


# P13: a round held among the tied. N = 10; c1 has 4 votes, c2 has 3: c1 wins the tie round with no
# majority (the party rule set's default), and no one would pass the 2 × votes > N test of a normal round.
TIE_ROUND = Poll(
    "congress-1/election-8",
    "election",
    "Bầu Ban Chấp hành (lần 2)",
    (("c1", "Ứng viên 1"), ("c2", "Ứng viên 2")),
    seats=1,
    base=10,
    is_tie_round=True,
)
TIE_VOTES = [([1, 0], False)] * 4 + [([0, 1], False)] * 3


def test_P13_a_tie_round_record_verifies_with_the_tie_round_rule(tmp_path, capsys):
    record = counted_record(TIE_ROUND, TIE_VOTES)
    assert record["poll"]["is_tie_round"] is True
    assert record["poll"]["tie_round_needs_majority"] is None
    assert record["result"]["elected"] == ["c1"]
    assert [c["passed_threshold"] for c in record["result"]["candidates"]] == [True, True]
    assert run_verify(tmp_path, record, capsys)[0] == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.__setitem__("is_tie_round", False),  # a normal round: c1's 4 of 10 do not pass
        lambda p: p.pop("is_tie_round"),  # absent: a normal round too
        lambda p: p.__setitem__("tie_round_needs_majority", True),  # the congress asked for a majority
    ],
    ids=["flag off", "flag absent", "majority required"],
)
def test_P13_changing_the_tie_round_flags_makes_the_stored_result_fail(tmp_path, capsys, change):
    record = counted_record(TIE_ROUND, TIE_VOTES)
    code, out = run_verify(tmp_path, tamper(record, lambda r: change(r["poll"])), capsys)
    assert code == 2
    assert "result: not what the rules give" in out


def test_P13_a_tie_round_that_needs_a_majority_elects_no_one_below_it(tmp_path, capsys):
    poll = Poll(**{**TIE_ROUND.__dict__, "tie_round_needs_majority": True})
    record = counted_record(poll, TIE_VOTES)
    assert record["result"]["elected"] == []
    assert record["result"]["next_round"]["reason"] == "not_enough_passed"
    assert run_verify(tmp_path, record, capsys)[0] == 0


def test_a_record_without_the_round_flags_is_read_as_a_normal_round(record):
    old = tamper(
        record,
        lambda r: [
            r["poll"].pop(k) for k in ("is_tie_round", "tie_round_needs_majority", "elects_alternates")
        ],
    )
    assert verify_record(old).startswith("OK")
    with pytest.raises(VerifyError, match="poll: is_tie_round"):
        verify_record(tamper(record, lambda r: r["poll"].__setitem__("is_tie_round", "yes")))


def test_a_motion_record_carries_no_round_flags():
    assert "is_tie_round" not in MOTION.to_json()
