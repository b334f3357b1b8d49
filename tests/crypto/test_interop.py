"""JavaScript (the phone, a committee member's device) and Python (the server, the verifier) agree: shared
vectors, a ballot encrypted in Debian's Chromium verifies in Python, and a member's device takes part in
the key ceremony and the decryption alongside Python members."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from daihoi.crypto.ballot import BallotSpec, EncryptedBallot, ballot_tracker, verify_ballot
from daihoi.crypto.elgamal import DlogTable, add_all, encrypt
from daihoi.crypto.group import Point, base_mul, scalar_from_hex, scalar_hex, seeded_rng
from daihoi.crypto.proofs import Proof
from daihoi.crypto.threshold import (
    Dealing,
    PartialDecryption,
    TransportKey,
    check_dealer,
    combine_partials,
    combine_shares,
    deal,
    key_fingerprint,
    open_share,
    partial_decrypt,
    public_key,
    public_share,
    restore_share,
    share_backup,
    verify_partial,
    verify_share,
)

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


@pytest.fixture(scope="module")
def committee_run(tmp_path_factory) -> dict:
    """Members 1 and 2 in Python, member 3 on a device running committee_crypto.js in Chromium."""
    rng = seeded_rng(b"committee interop")
    eid = "đại-hội/bầu-cử-1"
    transport = {i: TransportKey.generate(rng) for i in (1, 2, 3)}
    publics = {i: k.public for i, k in transport.items()}
    d1, d2 = deal(eid, 1, 2, publics, rng), deal(eid, 2, 2, publics, rng)
    seed = b"member 3"
    d3 = deal(eid, 3, 2, publics, seeded_rng(seed))  # what the device must make from the same draws
    commitments = {1: d1.commitments, 2: d2.commitments, 3: d3.commitments}
    pk = public_key(commitments)
    x1 = combine_shares([open_share(transport[1], d.sealed[0]) for d in (d1, d2, d3)])
    totals = [add_all(encrypt(pk, m, rng()) for m in ms) for ms in ((1, 1, 0), (0, 1, 0), (0, 0, 0))]
    labels = ["mark:0", "mark:1", "invalid"]
    bad = d2.to_json()
    bad["sealed"][2]["masked"] = scalar_hex(scalar_from_hex(bad["sealed"][2]["masked"]) + 1)
    job = {
        "committee": {
            "election_id": eid,
            "threshold": 2,
            "member": 3,
            "transport_keys": {str(i): p.hex() for i, p in publics.items()},
            "transport_secret": scalar_hex(transport[3].secret),
            "seed": seed.hex(),
            "dealings": [d1.to_json(), d2.to_json()],
            "bad_dealings": [d1.to_json(), bad],
            "totals": [{"label": label, **t.to_json()} for label, t in zip(labels, totals, strict=True)],
            "python_backup": share_backup(eid, 1, x1),
            "public_shares": {str(i): public_share(commitments, i).hex() for i in (1, 2, 3)},
        }
    }
    path = tmp_path_factory.mktemp("js") / "job.json"
    path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(RUNNER), str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        "out": json.loads(done.stdout)["committee"],
        "eid": eid,
        "d3": d3,
        "pk": pk,
        "commitments": commitments,
        "x1": x1,
        "totals": totals,
        "labels": labels,
    }


@pytest.mark.browser
def test_a_members_device_deals_exactly_as_python(committee_run):
    assert committee_run["out"]["dealing"] == committee_run["d3"].to_json()
    parsed = Dealing.from_json(committee_run["out"]["dealing"])
    assert check_dealer(committee_run["eid"], 3, parsed.commitments, parsed.proof)


@pytest.mark.browser
def test_a_members_device_forms_a_share_python_accepts(committee_run):
    r = committee_run
    opened = r["out"]["opened"]
    assert opened["complaints"] == []
    assert opened["publicKey"] == r["pk"].hex()
    share = public_share(r["commitments"], 3)
    assert opened["publicShare"] == share.hex()
    assert verify_share(r["eid"], 3, share, Proof.from_json(opened["shareProof"]))
    assert r["out"]["fingerprint"] == key_fingerprint(r["pk"])
    assert Point.from_hex(r["out"]["key"]["public"]) == base_mul(scalar_from_hex(r["out"]["key"]["secret"]))


@pytest.mark.browser
def test_a_members_device_complains_of_a_share_that_does_not_match(committee_run):
    assert committee_run["out"]["complaints"] == [2]


@pytest.mark.browser
def test_a_devices_partial_decryption_verifies_and_combines_with_pythons(committee_run):
    r = committee_run
    partial = PartialDecryption.from_json(r["out"]["partial"], r["labels"])
    assert verify_partial(r["eid"], public_share(r["commitments"], 3), partial, r["totals"], r["labels"])
    mine = partial_decrypt(r["eid"], 1, r["x1"], r["totals"], r["labels"])
    table = DlogTable(3)
    assert [table.lookup(p) for p in combine_partials(2, r["totals"], [mine, partial])] == [2, 1, 0]


@pytest.mark.browser
def test_a_share_backup_made_on_either_side_restores_on_the_other(committee_run):
    r = committee_run
    publics = {i: public_share(r["commitments"], i) for i in (1, 2, 3)}
    member, share = restore_share(r["out"]["backup"], r["eid"], publics)
    assert member == 3 and scalar_hex(share) == r["out"]["opened"]["share"]
    assert r["out"]["restored"] == {"member": 1, "share": scalar_hex(r["x1"])}
    assert r["out"]["wrongElection"] == "the backup is damaged or belongs to another election"
