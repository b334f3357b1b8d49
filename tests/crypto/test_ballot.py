"""Encrypted ballots: what a ballot may say (P11, P12, spoiled, motions) is proven, and nothing else passes."""

from __future__ import annotations

import copy

import pytest

from daihoi.crypto.ballot import (
    BallotSpec,
    EncryptedBallot,
    ballot_context,
    ballot_tracker,
    encrypt_ballot,
    verify_ballot,
)
from daihoi.crypto.elgamal import encrypt
from daihoi.crypto.group import CryptoError, base_mul, seeded_rng
from daihoi.crypto.proofs import prove_one_of

RNG = seeded_rng(b"test_ballot")
SECRET = RNG()
PK = base_mul(SECRET)
EID, CRED = "congress-1/election-7", "cred-42"
SPEC = BallotSpec.for_election(7, 5, all_struck_invalid=True)


def accepts(spec: BallotSpec, data: object, eid: str = EID, cred: str = CRED) -> bool:
    """What the server and the verifier do with an untrusted ballot: parse, then check every proof."""
    try:
        ballot = EncryptedBallot.from_json(data, spec)
    except CryptoError:
        return False
    return verify_ballot(spec, PK, eid, cred, ballot)


def flipped(hex_text: str) -> str:
    raw = bytearray(bytes.fromhex(hex_text))
    raw[0] ^= 0x02
    return raw.hex()


def every_tampered_copy(data: dict) -> list[tuple[str, dict]]:
    """The ballot's JSON with, in turn, one byte of each point and each scalar changed."""
    out = []

    def walk(node: object, path: tuple) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, (*path, k))
        elif isinstance(node, str):
            bad = copy.deepcopy(data)
            target = bad
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = flipped(node)
            out.append(("/".join(map(str, path)), bad))

    walk(data, ())
    return out


def test_spec_of_a_party_election_and_a_motion():
    assert SPEC.sum_values == (1, 2, 3, 4, 5, 8)
    assert BallotSpec.for_election(3, 3, all_struck_invalid=False).sum_values == (0, 1, 2, 3, 4)
    assert BallotSpec.for_motion().sum_values == (1,)
    with pytest.raises(CryptoError) as e:
        BallotSpec(3, 2, 1, False)
    assert e.value.code == "bad_spec"


@pytest.mark.parametrize(
    ("marks", "invalid"),
    [([1, 1, 1, 1, 1, 0, 0], False), ([0, 0, 0, 0, 1, 0, 0], False), ([0] * 7, True)],
    ids=["P11 five kept of five places", "one kept", "P12 every name struck"],
)
def test_an_allowed_ballot_verifies(marks, invalid):
    ballot = encrypt_ballot(SPEC, PK, EID, CRED, marks, invalid=invalid, rng=RNG)
    assert accepts(SPEC, ballot.to_json())


@pytest.mark.parametrize(
    ("marks", "invalid"),
    [([1] * 6 + [0], False), ([0] * 7, False), ([1, 0, 0, 0, 0, 0, 0], True), ([2, 0, 0, 0, 0, 0, 0], False)],
    ids=[
        "P11 six kept of five places",
        "P12 all struck but not marked invalid",
        "invalid with a kept name",
        "mark 2",
    ],
)
def test_the_phone_refuses_to_encrypt_a_ballot_that_breaks_the_rules(marks, invalid):
    with pytest.raises(CryptoError) as e:
        encrypt_ballot(SPEC, PK, EID, CRED, marks, invalid=invalid, rng=RNG)
    assert e.value.code == "bad_marks"


def test_a_ballot_keeping_too_many_fails_even_with_honest_mark_proofs():
    """A cheater encrypts 6 kept names, proves each mark honestly, and forges the sum proof."""
    spec = SPEC
    good = encrypt_ballot(spec, PK, EID, CRED, [1, 1, 1, 1, 1, 0, 0], rng=RNG)
    r = RNG()
    sixth = encrypt(PK, 1, r)
    proof = prove_one_of(PK, sixth, (0, 1), 1, r, ballot_context(EID, CRED, PK, "mark:5"), RNG)
    cheat = EncryptedBallot(
        (*good.marks[:5], sixth, good.marks[6]),
        (*good.mark_proofs[:5], proof, good.mark_proofs[6]),
        good.invalid,
        good.invalid_proof,
        good.sum_proof,
    )
    assert not verify_ballot(spec, PK, EID, CRED, cheat)


def test_a_ballot_is_bound_to_its_election_and_credential():
    data = encrypt_ballot(SPEC, PK, EID, CRED, [1, 0, 0, 1, 0, 0, 0], rng=RNG).to_json()
    assert accepts(SPEC, data)
    assert not accepts(SPEC, data, cred="cred-43")  # copied by another voter
    assert not accepts(SPEC, data, eid="congress-1/election-8")  # replayed in another election


@pytest.mark.parametrize("invalid", [False, True], ids=["valid ballot", "invalid ballot"])
def test_every_tampered_byte_of_a_ballot_fails(invalid):
    marks = [0] * 7 if invalid else [1, 0, 1, 0, 0, 1, 0]
    data = encrypt_ballot(SPEC, PK, EID, CRED, marks, invalid=invalid, rng=RNG).to_json()
    copies = every_tampered_copy(data)
    # 7 marks and the indicator: a, b and 2 × (c, s) each; the sum proof: 6 × (c, s).
    assert len(copies) == 8 * 6 + 12
    failed = [where for where, bad in copies if not accepts(SPEC, bad)]
    assert len(failed) == len(copies)


def test_swapping_two_marks_fails():
    data = encrypt_ballot(SPEC, PK, EID, CRED, [1, 0, 0, 0, 0, 0, 0], rng=RNG).to_json()
    data["marks"][0], data["marks"][1] = data["marks"][1], data["marks"][0]
    assert not accepts(SPEC, data)


def test_a_motion_ballot_has_exactly_one_answer():
    spec = BallotSpec.for_motion()
    for marks in ([1, 0, 0], [0, 1, 0], [0, 0, 1]):
        assert accepts(spec, encrypt_ballot(spec, PK, EID, CRED, marks, rng=RNG).to_json())
    for marks in ([1, 1, 0], [0, 0, 0]):
        with pytest.raises(CryptoError):
            encrypt_ballot(spec, PK, EID, CRED, marks, rng=RNG)
    with pytest.raises(CryptoError):
        encrypt_ballot(spec, PK, EID, CRED, [0, 0, 0], invalid=True, rng=RNG)
    with_indicator = encrypt_ballot(SPEC, PK, EID, CRED, [0] * 7, invalid=True, rng=RNG).to_json()
    assert not accepts(spec, with_indicator)


def test_the_tracker_changes_with_any_byte_and_names_the_voter_nowhere():
    ballot = encrypt_ballot(SPEC, PK, EID, CRED, [1, 0, 0, 0, 0, 0, 0], rng=RNG)
    tracker = ballot_tracker(EID, CRED, ballot)
    assert len(tracker) == 64 and int(tracker, 16) >= 0
    again = encrypt_ballot(SPEC, PK, EID, CRED, [1, 0, 0, 0, 0, 0, 0], rng=RNG)
    assert ballot_tracker(EID, CRED, again) != tracker  # same vote, fresh randomness
    data = ballot.to_json()
    data["sum_proof"][0][1] = flipped(data["sum_proof"][0][1])
    assert ballot_tracker(EID, CRED, EncryptedBallot.from_json(data, SPEC)) != tracker
    assert ballot_tracker(EID, "cred-43", ballot) != tracker
