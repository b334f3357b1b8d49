"""bench/evote.py --record FILE, at small scale: the election it runs over HTTP (encrypted ballots, close,
2-of-3 decryption, certification) is published as a record that `daihoi verify` accepts, and refuses once
one byte of one ballot is changed. Nothing here depends on timing: only the files and the exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# A whole-process test (it starts `daihoi serve`, about 30 s): run in CI, or with -m ci_only.
pytestmark = pytest.mark.ci_only

ROOT = Path(__file__).resolve().parents[2]
VOTERS = 20


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "daihoi.cli", "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=environment(),
    )


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    return env


def test_the_benchs_record_verifies_and_one_changed_byte_of_a_ballot_fails_it(tmp_path):
    record = tmp_path / "record.json"
    bench = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "evote.py"),
            *("--voters", str(VOTERS), "--screens", "1", "--within", "0.5", "--node-runs", "0"),
            *("--record", str(record)),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=environment(),
        timeout=600,
    )
    assert record.exists(), bench.stdout + bench.stderr
    assert "daihoi verify: exit 0" in bench.stdout, bench.stdout
    data = json.loads(record.read_text(encoding="utf-8"))
    assert len(data["ballots"]) == VOTERS and all(b["accepted"] for b in data["ballots"])
    assert len(data["decryptions"]) == 2 and data["committee"]["threshold"] == 2
    assert sum(data["electronic"]["votes"]) == sum(c["votes"] for c in data["result"]["candidates"])

    done = verify(record)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"daihoi verify: OK: election daihoi/bench-evote/election/{1}: {VOTERS}")

    # One byte of one ballot's ciphertext (the 7th ballot's 3rd mark), as text in the file.
    text = record.read_text(encoding="utf-8")
    b = data["ballots"][6]["ballot"]["marks"][2]["b"]
    at = text.index(b) + 20
    changed = text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]
    assert len(changed) == len(text) and changed != text
    record.write_text(changed, encoding="utf-8")
    done = verify(record)
    assert done.returncode == 2
    assert done.stdout == "" and "FAILED" in done.stderr and "ballot 7" in done.stderr
