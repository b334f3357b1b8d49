"""An encrypted ballot: one ciphertext per mark (0 or 1), an optional "invalid" indicator, and their proofs.

The statement proven for a ballot with k choices, allowed kept counts [min, max] and an indicator v:
  each mark is 0 or 1;  v is 0 or 1;  S = Σ marks + (k+1)·v  is one of {min..max} ∪ {k+1}.
Since Σ marks ≤ k, S = k+1 holds exactly when v = 1 and every mark is 0, and otherwise v = 0 and the
kept count is in [min, max]. So an invalid ballot (P12: every name struck, or deliberately spoiled) is
an all-zero ballot whose indicator is 1: it adds nothing to any candidate, and the decrypted sum of the
indicators is the number of invalid ballots. A ballot without an indicator (a motion) proves S ∈ [min, max].
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from daihoi.crypto.elgamal import Ciphertext, add_all, encrypt
from daihoi.crypto.group import CryptoError, L, Point, Rng, frame, random_scalar
from daihoi.crypto.proofs import Proof, prove_one_of, verify_one_of

BITS = (0, 1)


@dataclass(frozen=True)
class BallotSpec:
    """What a ballot may say: `choices` marks, a kept count in [min_marks, max_marks], and whether an
    encrypted invalid indicator (P12 / spoiled) is carried."""

    choices: int
    min_marks: int
    max_marks: int
    allow_invalid: bool

    def __post_init__(self) -> None:
        if not 1 <= self.choices <= 1000:
            raise CryptoError("bad_spec", f"a ballot needs 1 to 1000 choices, not {self.choices}")
        if not 0 <= self.min_marks <= self.max_marks <= self.choices:
            raise CryptoError(
                "bad_spec",
                f"kept counts must satisfy 0 ≤ min ({self.min_marks}) ≤ max ({self.max_marks}) ≤ choices "
                f"({self.choices})",
            )

    @property
    def sum_values(self) -> tuple[int, ...]:
        """The values S may take (see the module docstring)."""
        values = tuple(range(self.min_marks, self.max_marks + 1))
        return (*values, self.choices + 1) if self.allow_invalid else values

    def to_json(self) -> dict[str, object]:
        return {
            "choices": self.choices,
            "min_marks": self.min_marks,
            "max_marks": self.max_marks,
            "allow_invalid": self.allow_invalid,
        }

    @classmethod
    def from_json(cls, data: object) -> BallotSpec:
        if not isinstance(data, dict):
            raise CryptoError("bad_spec", "the ballot spec must be an object")
        try:
            choices, lo, hi, inv = (
                data["choices"],
                data["min_marks"],
                data["max_marks"],
                data["allow_invalid"],
            )
        except KeyError as e:
            raise CryptoError("bad_spec", f"the ballot spec lacks {e.args[0]}") from None
        if not all(type(n) is int for n in (choices, lo, hi)) or type(inv) is not bool:
            raise CryptoError(
                "bad_spec", "the ballot spec's counts must be integers and allow_invalid a boolean"
            )
        return cls(choices, lo, hi, inv)

    @classmethod
    def for_election(cls, candidates: int, places: int, *, all_struck_invalid: bool) -> BallotSpec:
        """A strike ballot: keep at most `places` (P11); every name struck is invalid when the rule says so
        (P12), and a deliberate spoil is always possible."""
        return cls(candidates, 1 if all_struck_invalid else 0, min(places, candidates), True)

    @classmethod
    def for_motion(cls, answers: int = 3) -> BallotSpec:
        """Exactly one answer (yes / no / abstain)."""
        return cls(answers, 1, 1, False)


def ballot_context(election_id: str, credential: str, public_key: Point, label: str) -> tuple[bytes, ...]:
    return (election_id.encode(), credential.encode(), public_key.data, label.encode())


@dataclass(frozen=True)
class EncryptedBallot:
    marks: tuple[Ciphertext, ...]
    mark_proofs: tuple[Proof, ...]
    invalid: Ciphertext | None
    invalid_proof: Proof | None
    sum_proof: Proof

    def to_json(self) -> dict[str, object]:
        return {
            "marks": [
                {**c.to_json(), "proof": p.to_json()}
                for c, p in zip(self.marks, self.mark_proofs, strict=True)
            ],
            "invalid": None
            if self.invalid is None or self.invalid_proof is None
            else {**self.invalid.to_json(), "proof": self.invalid_proof.to_json()},
            "sum_proof": self.sum_proof.to_json(),
        }

    @classmethod
    def from_json(cls, data: object, spec: BallotSpec) -> EncryptedBallot:
        """Parse an untrusted ballot; the shape must match the spec (proofs are not checked here)."""
        if not isinstance(data, dict):
            raise CryptoError("bad_ballot", "the ballot must be an object")
        marks = data.get("marks")
        if not isinstance(marks, list) or len(marks) != spec.choices:
            raise CryptoError("bad_ballot", f"the ballot must have {spec.choices} marks")
        ciphertexts = tuple(Ciphertext.from_json(m, f"marks[{i}]") for i, m in enumerate(marks))
        proofs = tuple(Proof.from_json(m.get("proof"), f"marks[{i}].proof") for i, m in enumerate(marks))
        invalid = data.get("invalid")
        if spec.allow_invalid != (invalid is not None):
            raise CryptoError(
                "bad_ballot",
                "the ballot must carry an invalid indicator"
                if spec.allow_invalid
                else "this ballot must not carry an invalid indicator",
            )
        inv_c = inv_p = None
        if invalid is not None:
            inv_c = Ciphertext.from_json(invalid, "invalid")
            assert isinstance(invalid, dict)  # checked by from_json
            inv_p = Proof.from_json(invalid.get("proof"), "invalid.proof")
        return cls(ciphertexts, proofs, inv_c, inv_p, Proof.from_json(data.get("sum_proof"), "sum_proof"))

    def encode(self) -> bytes:
        """Canonical bytes (every point and scalar in order), hashed into the tracker."""
        parts = [c.encode() + p.encode() for c, p in zip(self.marks, self.mark_proofs, strict=True)]
        if self.invalid is not None and self.invalid_proof is not None:
            parts.append(self.invalid.encode() + self.invalid_proof.encode())
        parts.append(self.sum_proof.encode())
        return frame(parts)


def sum_ciphertext(spec: BallotSpec, marks: Sequence[Ciphertext], invalid: Ciphertext | None) -> Ciphertext:
    """Encryption of S = Σ marks + (k+1)·v."""
    total = add_all(marks)
    if invalid is not None:
        total = total + invalid.scale(spec.choices + 1)
    return total


def encrypt_ballot(
    spec: BallotSpec,
    public_key: Point,
    election_id: str,
    credential: str,
    marks: Sequence[int],
    *,
    invalid: bool = False,
    rng: Rng = random_scalar,
) -> EncryptedBallot:
    """Encrypt `marks` (1 kept / 0 struck) with every proof. `invalid` (P12, spoiled) needs all marks 0.

    Randomness order (the JavaScript side follows it, for the shared test vectors): for each mark its r
    then its proof's draws; then the indicator's r and proof; then the sum proof.
    """
    if len(marks) != spec.choices or any(m not in BITS for m in marks):
        raise CryptoError("bad_marks", f"a ballot needs {spec.choices} marks of 0 or 1")
    kept = sum(marks)
    if invalid and (kept or not spec.allow_invalid):
        raise CryptoError("bad_marks", "only a ballot with every mark 0 can be marked invalid")
    if not invalid and not spec.min_marks <= kept <= spec.max_marks:
        raise CryptoError(
            "bad_marks", f"the kept count {kept} is outside [{spec.min_marks}, {spec.max_marks}]"
        )
    ciphertexts, proofs, rs = [], [], []
    for i, m in enumerate(marks):
        r = rng()
        c = encrypt(public_key, m, r)
        ciphertexts.append(c)
        proofs.append(
            prove_one_of(
                public_key,
                c,
                BITS,
                m,
                r,
                ballot_context(election_id, credential, public_key, f"mark:{i}"),
                rng,
            )
        )
        rs.append(r)
    inv_c = inv_p = None
    r_total = sum(rs)
    if spec.allow_invalid:
        v = int(invalid)
        r_v = rng()
        inv_c = encrypt(public_key, v, r_v)
        inv_p = prove_one_of(
            public_key,
            inv_c,
            BITS,
            v,
            r_v,
            ballot_context(election_id, credential, public_key, "invalid"),
            rng,
        )
        r_total += (spec.choices + 1) * r_v
    s = kept + (spec.choices + 1) * int(invalid)
    total = sum_ciphertext(spec, ciphertexts, inv_c)
    sum_proof = prove_one_of(
        public_key,
        total,
        spec.sum_values,
        s,
        r_total % L,
        ballot_context(election_id, credential, public_key, "sum"),
        rng,
    )
    return EncryptedBallot(tuple(ciphertexts), tuple(proofs), inv_c, inv_p, sum_proof)


def verify_ballot(
    spec: BallotSpec, public_key: Point, election_id: str, credential: str, ballot: EncryptedBallot
) -> bool:
    """Whether every proof of the ballot holds for this election and credential."""
    if len(ballot.marks) != spec.choices or spec.allow_invalid != (ballot.invalid is not None):
        return False
    for i, (c, p) in enumerate(zip(ballot.marks, ballot.mark_proofs, strict=True)):
        if not verify_one_of(
            public_key, c, BITS, p, ballot_context(election_id, credential, public_key, f"mark:{i}")
        ):
            return False
    if ballot.invalid is not None and (
        ballot.invalid_proof is None
        or not verify_one_of(
            public_key,
            ballot.invalid,
            BITS,
            ballot.invalid_proof,
            ballot_context(election_id, credential, public_key, "invalid"),
        )
    ):
        return False
    total = sum_ciphertext(spec, ballot.marks, ballot.invalid)
    return verify_one_of(
        public_key,
        total,
        spec.sum_values,
        ballot.sum_proof,
        ballot_context(election_id, credential, public_key, "sum"),
    )


def ballot_tracker(election_id: str, credential: str, ballot: EncryptedBallot) -> str:
    """The hash the voter's phone shows and the record publishes: SHA-256 of the framed election id,
    credential and the ballot's canonical bytes, in hex."""
    data = frame([b"daihoi/v1/tracker", election_id.encode(), credential.encode(), ballot.encode()])
    return hashlib.sha256(data).hexdigest()
