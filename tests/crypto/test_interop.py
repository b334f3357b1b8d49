"""JavaScript (the phone) and Python (the server, the verifier) agree: shared vectors, and a ballot
encrypted in Debian's Chromium verifies in Python."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from daihoi.crypto.ballot import BallotSpec, EncryptedBallot, ballot_tracker, verify_ballot
from daihoi.crypto.group import Point, base_mul, seeded_rng

from . import vectors

VENDOR = Path(__file__).resolve().parents[2] / "src/daihoi/voting/static/daihoi/vendor/noble"
RUNNER = Path(__file__).parent / "js_runner.py"
SECRET = seeded_rng(b"test_interop")()
PK = base_mul(SECRET)


def test_python_reproduces_the_shared_vectors():
    """The file the JavaScript is checked against is what the Python code makes today."""
    assert json.loads(vectors.PATH.read_text(encoding="utf-8")) == vectors.make()


def test_the_vendored_bundle_is_the_one_recorded():
    digest = hashlib.sha256((VENDOR / "noble.js").read_bytes()).hexdigest()
    assert digest in (VENDOR / "README.md").read_text(encoding="utf-8")


FRESH = [
    {"spec": BallotSpec(17, 1, 15, True), "marks": [1] * 15 + [0, 0], "invalid": False},
    {"spec": BallotSpec(17, 1, 15, True), "marks": [0] * 17, "invalid": True},
    {"spec": BallotSpec.for_motion(), "marks": [0, 0, 1], "invalid": False},
]


# Ballots the phone must refuse to encrypt (17 candidates, 15 places).
REFUSED = [
    ([1] * 16 + [0], False),  # P11: 16 kept of 15 places
    ([0] * 17, False),  # P12: every name struck must be marked invalid
    ([1] + [0] * 16, True),  # invalid with a kept name
    ([2] + [0] * 16, False),  # not a mark
    ([1] * 15, False),  # too few marks
]


@pytest.fixture(scope="module")
def chromium(tmp_path_factory) -> dict:
    """One run of ballot_crypto.js in Chromium, in its own process, on every job below."""
    data = json.loads(vectors.PATH.read_text(encoding="utf-8"))
    job = {
        "hashes": data["hash_to_scalar"],
        "vectors": data["ballots"],
        "fresh": [
            {
                "spec": f["spec"].to_json(),
                "public_key": PK.hex(),
                "election_id": "đại-hội/bầu-cử-1",
                "credential": f"phone-{k}",
                "marks": f["marks"],
                "invalid": f["invalid"],
            }
            for k, f in enumerate(FRESH)
        ],
    }
    job["refuse"] = [{**job["fresh"][0], "marks": marks, "invalid": invalid} for marks, invalid in REFUSED]
    path = tmp_path_factory.mktemp("js") / "job.json"
    path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(RUNNER), str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {"job": job, "data": data, "out": json.loads(done.stdout)}


@pytest.mark.browser
def test_javascript_hashes_to_the_same_scalars(chromium):
    assert chromium["out"]["hashes"] == [h["scalar"] for h in chromium["data"]["hash_to_scalar"]]


@pytest.mark.browser
def test_javascript_makes_the_vectors_byte_for_byte(chromium):
    expected = chromium["data"]["ballots"]
    got = chromium["out"]["vectors"]
    assert len(got) == len(expected) == len(vectors.CASES)
    for want, have in zip(expected, got, strict=True):
        assert have["ballot"] == want["ballot"], want["name"]
        assert have["tracker"] == want["tracker"], want["name"]


@pytest.mark.browser
def test_a_ballot_encrypted_in_chromium_verifies_in_python(chromium):
    for job, have, case in zip(chromium["job"]["fresh"], chromium["out"]["fresh"], FRESH, strict=True):
        spec = case["spec"]
        ballot = EncryptedBallot.from_json(have["ballot"], spec)
        assert verify_ballot(
            spec, Point.from_hex(job["public_key"]), job["election_id"], job["credential"], ballot
        )
        assert have["tracker"] == ballot_tracker(job["election_id"], job["credential"], ballot)
        # Decrypting with the test key gives back the marks the phone was given.
        plain = [ct.b - ct.a * SECRET for ct in ballot.marks]
        assert plain == [base_mul(m) for m in case["marks"]]
        assert not verify_ballot(spec, PK, job["election_id"], "another credential", ballot)


@pytest.mark.browser
def test_javascript_refuses_a_ballot_that_breaks_the_rules(chromium):
    refused = chromium["out"]["refused"]
    assert len(refused) == len(REFUSED)
    assert all(message for message in refused), refused
    assert "outside [1, 15]" in refused[0]
