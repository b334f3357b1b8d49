"""Group, ElGamal and proofs: they verify, and every tampered component makes them fail."""

from __future__ import annotations

import subprocess
import sys

import pytest

from daihoi.crypto.elgamal import DlogTable, add_all, encrypt
from daihoi.crypto.group import (
    IDENTITY,
    CryptoError,
    G,
    L,
    Point,
    base_mul,
    hash_to_scalar,
    scalar_from_hex,
    seeded_rng,
)
from daihoi.crypto.proofs import (
    Proof,
    prove_equal_logs,
    prove_knowledge,
    prove_one_of,
    verify_equal_logs,
    verify_knowledge,
    verify_one_of,
)

RNG = seeded_rng(b"test_proofs")
CONTEXT = (b"election", b"credential", b"label")


def tampered_proofs(proof: Proof) -> list[Proof]:
    """The proof with, in turn, each challenge and each response changed by one bit."""
    out = []
    for j, (c, s) in enumerate(proof.branches):
        for changed in ((c ^ 1, s), (c, s ^ 1)):
            branches = list(proof.branches)
            branches[j] = changed
            out.append(Proof(tuple(branches)))
    return out


def test_group_law_and_identity():
    a, b = base_mul(5), base_mul(7)
    assert a + b == base_mul(12)
    assert b - a == base_mul(2)
    assert G * (L - 1) == -G
    assert base_mul(0) == IDENTITY == G * 0 == a - a
    assert G * L == IDENTITY


def test_points_and_scalars_from_untrusted_hex_are_checked():
    with pytest.raises(CryptoError) as e:
        Point.from_hex("01" + "00" * 31)  # a negative field element: not a canonical encoding
    assert e.value.code == "bad_point"
    with pytest.raises(CryptoError):
        Point.from_hex("zz" * 32)
    with pytest.raises(CryptoError) as e:
        scalar_from_hex(L.to_bytes(32, "little").hex())
    assert e.value.code == "bad_scalar"
    assert scalar_from_hex((L - 1).to_bytes(32, "little").hex()) == L - 1


def test_hash_to_scalar_separates_domains_and_framing():
    assert hash_to_scalar("a", b"bc") != hash_to_scalar("a", b"b", b"c")
    assert hash_to_scalar("a", b"x") != hash_to_scalar("b", b"x")


def test_elgamal_adds_under_encryption():
    x = RNG()
    pk = base_mul(x)
    total = add_all(encrypt(pk, m, RNG()) for m in (1, 0, 1, 1))
    assert DlogTable(4).lookup(total.b - total.a * x) == 3
    with pytest.raises(CryptoError) as e:
        DlogTable(2).lookup(total.b - total.a * x)
    assert e.value.code == "no_small_log"


def test_schnorr_proof_verifies_and_tampering_fails():
    x = RNG()
    proof = prove_knowledge(x, CONTEXT, RNG)
    assert verify_knowledge(base_mul(x), proof, CONTEXT)
    assert not verify_knowledge(base_mul(x + 1), proof, CONTEXT)
    assert not verify_knowledge(base_mul(x), proof, (*CONTEXT[:2], b"other"))
    for bad in tampered_proofs(proof):
        assert not verify_knowledge(base_mul(x), bad, CONTEXT)


def test_chaum_pedersen_proof_verifies_and_tampering_fails():
    x, base2 = RNG(), base_mul(RNG())
    proof = prove_equal_logs(x, base2, CONTEXT, RNG)
    assert verify_equal_logs(base_mul(x), base2, base2 * x, proof, CONTEXT)
    assert not verify_equal_logs(base_mul(x), base2, base2 * (x + 1), proof, CONTEXT)
    for bad in tampered_proofs(proof):
        assert not verify_equal_logs(base_mul(x), base2, base2 * x, bad, CONTEXT)


@pytest.mark.parametrize("m", [0, 1])
def test_bit_proof_verifies_for_0_and_1_and_tampering_fails(m):
    pk = base_mul(RNG())
    r = RNG()
    c = encrypt(pk, m, r)
    proof = prove_one_of(pk, c, (0, 1), m, r, CONTEXT, RNG)
    assert verify_one_of(pk, c, (0, 1), proof, CONTEXT)
    assert not verify_one_of(pk, encrypt(pk, m, r + 1), (0, 1), proof, CONTEXT)
    assert not verify_one_of(pk, c, (0, 1), proof, (b"election", b"another voter", b"label"))
    for bad in tampered_proofs(proof):
        assert not verify_one_of(pk, c, (0, 1), bad, CONTEXT)


def test_a_mark_of_2_cannot_be_proven_0_or_1():
    pk = base_mul(RNG())
    r = RNG()
    c = encrypt(pk, 2, r)
    with pytest.raises(CryptoError) as e:
        prove_one_of(pk, c, (0, 1), 2, r, CONTEXT, RNG)
    assert e.value.code == "value_not_allowed"
    # A cheating prover who claims a branch that is false produces a proof that fails.
    forged = prove_one_of(pk, c, (0, 1), 1, r, CONTEXT, RNG)
    assert not verify_one_of(pk, c, (0, 1), forged, CONTEXT)
    # The same proof for 2 verifies only where 2 is allowed.
    assert verify_one_of(pk, c, (1, 2), prove_one_of(pk, c, (1, 2), 2, r, CONTEXT, RNG), CONTEXT)


def test_the_core_never_imports_django():
    code = (
        "import sys; import daihoi.crypto.record, daihoi.crypto.verify_cli, daihoi.crypto.ballot; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
