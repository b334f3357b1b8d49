"""Non-interactive zero-knowledge proofs (Fiat–Shamir with SHA-512, domain separated).

Every proof is a list of (challenge, response) scalars; the verifier recomputes the commitments from them
and checks that the challenges add up to the hash. `context` binds a proof to the election, the voter's
credential (or the committee member) and the statement's label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.group import (
    CryptoError,
    L,
    Point,
    Rng,
    base_mul,
    hash_to_scalar,
    scalar_from_hex,
    scalar_hex,
    small_multiple,
)

DOMAIN_POK = "daihoi/v1/pok"
DOMAIN_EQ = "daihoi/v1/dleq"
DOMAIN_OR = "daihoi/v1/or"


@dataclass(frozen=True)
class Proof:
    """(c_j, s_j) for each branch; a plain Schnorr or Chaum–Pedersen proof has one branch."""

    branches: tuple[tuple[int, int], ...]

    def to_json(self) -> list[list[str]]:
        return [[scalar_hex(c), scalar_hex(s)] for c, s in self.branches]

    @classmethod
    def from_json(cls, data: object, what: str = "proof") -> Proof:
        if not isinstance(data, list) or not data:
            raise CryptoError("bad_proof", f"{what} must be a list of [challenge, response] pairs")
        branches = []
        for i, pair in enumerate(data):
            if not isinstance(pair, list) or len(pair) != 2:
                raise CryptoError("bad_proof", f"{what}[{i}] must be a [challenge, response] pair")
            branches.append(
                (scalar_from_hex(pair[0], f"{what}[{i}][0]"), scalar_from_hex(pair[1], f"{what}[{i}][1]"))
            )
        return cls(tuple(branches))

    def encode(self) -> bytes:
        return b"".join(c.to_bytes(32, "little") + s.to_bytes(32, "little") for c, s in self.branches)


def prove_knowledge(x: int, context: Sequence[bytes], rng: Rng) -> Proof:
    """Schnorr proof of knowledge of x with X = x·G."""
    public = base_mul(x)
    w = rng()
    c = hash_to_scalar(DOMAIN_POK, *context, public.data, base_mul(w).data)
    return Proof(((c, (w + c * x) % L),))


def verify_knowledge(public: Point, proof: Proof, context: Sequence[bytes]) -> bool:
    if len(proof.branches) != 1:
        return False
    c, s = proof.branches[0]
    commitment = base_mul(s) - public * c
    return hash_to_scalar(DOMAIN_POK, *context, public.data, commitment.data) == c


def prove_equal_logs(x: int, base2: Point, context: Sequence[bytes], rng: Rng) -> Proof:
    """Chaum–Pedersen: log_G(x·G) = log_base2(x·base2)."""
    y1, y2 = base_mul(x), base2 * x
    w = rng()
    c = hash_to_scalar(DOMAIN_EQ, *context, y1.data, base2.data, y2.data, base_mul(w).data, (base2 * w).data)
    return Proof(((c, (w + c * x) % L),))


def verify_equal_logs(y1: Point, base2: Point, y2: Point, proof: Proof, context: Sequence[bytes]) -> bool:
    if len(proof.branches) != 1:
        return False
    c, s = proof.branches[0]
    a1 = base_mul(s) - y1 * c
    a2 = base2 * s - y2 * c
    return hash_to_scalar(DOMAIN_EQ, *context, y1.data, base2.data, y2.data, a1.data, a2.data) == c


def _values_bytes(values: Sequence[int]) -> bytes:
    return b"".join(v.to_bytes(4, "big") for v in values)


def prove_one_of(
    public_key: Point,
    ciphertext: Ciphertext,
    values: Sequence[int],
    m: int,
    r: int,
    context: Sequence[bytes],
    rng: Rng,
) -> Proof:
    """Disjunctive Chaum–Pedersen: the ciphertext (encrypted with randomness r) holds one of `values`.

    Randomness is drawn branch by branch in order: w for the true branch, c then s for each simulated one.
    """
    if m not in values:
        raise CryptoError("value_not_allowed", f"{m} is not one of the allowed values {list(values)}")
    a, b = ciphertext.a, ciphertext.b
    branches: list[tuple[int, int]] = []
    commitments: list[bytes] = []
    real = values.index(m)
    w = 0
    for j, v in enumerate(values):
        if j == real:
            w = rng()
            commitments += [base_mul(w).data, (public_key * w).data]
            branches.append((0, 0))
        else:
            c_j, s_j = rng(), rng()
            commitments += [
                (base_mul(s_j) - a * c_j).data,
                (public_key * s_j - (b - small_multiple(v)) * c_j).data,
            ]
            branches.append((c_j, s_j))
    c = hash_to_scalar(
        DOMAIN_OR, *context, public_key.data, a.data, b.data, _values_bytes(values), *commitments
    )
    c_real = (c - sum(cj for cj, _ in branches)) % L
    branches[real] = (c_real, (w + c_real * r) % L)
    return Proof(tuple(branches))


def verify_one_of(
    public_key: Point, ciphertext: Ciphertext, values: Sequence[int], proof: Proof, context: Sequence[bytes]
) -> bool:
    if len(proof.branches) != len(values):
        return False
    a, b = ciphertext.a, ciphertext.b
    commitments: list[bytes] = []
    for (c_j, s_j), v in zip(proof.branches, values, strict=True):
        commitments += [
            (base_mul(s_j) - a * c_j).data,
            (public_key * s_j - (b - small_multiple(v)) * c_j).data,
        ]
    c = hash_to_scalar(
        DOMAIN_OR, *context, public_key.data, a.data, b.data, _values_bytes(values), *commitments
    )
    return sum(c_j for c_j, _ in proof.branches) % L == c


__all__ = [
    "Proof",
    "prove_equal_logs",
    "prove_knowledge",
    "prove_one_of",
    "verify_equal_logs",
    "verify_knowledge",
    "verify_one_of",
]
