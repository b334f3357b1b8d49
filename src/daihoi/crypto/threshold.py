"""The counting committee's key: Pedersen's distributed key generation (Feldman-verifiable secret sharing
by every member), t of n decryption with Lagrange interpolation in the exponent.

Ceremony, for members 1..n and threshold t:
1. Each member i makes a transport key (`TransportKey`) and publishes its public half.
2. Each member j deals (`deal`): a random polynomial f_j of degree t-1, public commitments C_jk = a_jk·G
   with a proof of knowledge of a_j0, and for every member i the share f_j(i) sealed to i's transport key.
3. Each member i opens the shares sent to it, checks each against the dealer's commitments
   (`check_share`), and keeps x_i = Σ_j f_j(i) (`combine_shares`); it publishes a proof of knowing x_i.
   A failed check is a public complaint against the dealer, and the ceremony is run again without it.
The public key is Σ_j C_j0 and member i's public share X_i = Σ_j Σ_k i^k·C_jk: both come from the
commitments alone. The whole key Σ_j a_j0 is never formed anywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from daihoi.crypto.elgamal import Ciphertext
from daihoi.crypto.group import (
    IDENTITY,
    CryptoError,
    L,
    Point,
    Rng,
    base_mul,
    frame,
    hash_to_scalar,
    random_scalar,
    scalar_bytes,
    scalar_from_hex,
    scalar_hex,
)
from daihoi.crypto.proofs import Proof, prove_equal_logs, prove_knowledge, verify_equal_logs, verify_knowledge


def _index_bytes(i: int) -> bytes:
    return i.to_bytes(4, "big")


def dealer_context(election_id: str, dealer: int) -> tuple[bytes, ...]:
    return (election_id.encode(), b"dealer", _index_bytes(dealer))


def share_context(election_id: str, member: int) -> tuple[bytes, ...]:
    return (election_id.encode(), b"share", _index_bytes(member))


def decryption_context(election_id: str, member: int, label: str) -> tuple[bytes, ...]:
    return (election_id.encode(), b"decrypt", _index_bytes(member), label.encode())


@dataclass(frozen=True)
class TransportKey:
    """A member's key for receiving its shares during the ceremony (thrown away afterwards)."""

    secret: int

    @property
    def public(self) -> Point:
        return base_mul(self.secret)

    @classmethod
    def generate(cls, rng: Rng = random_scalar) -> TransportKey:
        return cls(rng())


@dataclass(frozen=True)
class SealedShare:
    """f_j(i) sealed to member i: (k·G, f_j(i) + H(k·Y_i) mod L)."""

    dealer: int
    recipient: int
    ephemeral: Point
    masked: int


def _mask(shared: Point, ephemeral: Point, dealer: int, recipient: int) -> int:
    return hash_to_scalar(
        "daihoi/v1/share-mask", shared.data, ephemeral.data, _index_bytes(dealer), _index_bytes(recipient)
    )


@dataclass(frozen=True)
class Dealing:
    """What dealer j publishes: commitments to its polynomial, a proof for the constant term, sealed shares."""

    dealer: int
    commitments: tuple[Point, ...]
    proof: Proof
    sealed: tuple[SealedShare, ...]

    def to_json(self) -> dict[str, object]:
        """The form committee_crypto.js sends and reads."""
        return {
            "dealer": self.dealer,
            "commitments": [c.hex() for c in self.commitments],
            "proof": self.proof.to_json(),
            "sealed": [
                {"recipient": s.recipient, "ephemeral": s.ephemeral.hex(), "masked": scalar_hex(s.masked)}
                for s in self.sealed
            ],
        }

    @classmethod
    def from_json(cls, data: object) -> Dealing:
        if not isinstance(data, dict) or not isinstance(data.get("dealer"), int):
            raise CryptoError("bad_dealing", "a dealing must be an object with its dealer's index")
        dealer = data["dealer"]
        what = f"member {dealer}'s dealing"
        sealed = data.get("sealed")
        if not isinstance(sealed, list) or not all(isinstance(s, dict) for s in sealed):
            raise CryptoError("bad_dealing", f"{what}: sealed shares must be a list")
        return cls(
            dealer,
            tuple(Point.from_hex(c, f"{what}: commitment") for c in data.get("commitments") or []),
            Proof.from_json(data.get("proof"), f"{what}: proof"),
            tuple(
                SealedShare(
                    dealer,
                    int(s.get("recipient", 0)),
                    Point.from_hex(s.get("ephemeral"), f"{what}: ephemeral key"),
                    scalar_from_hex(s.get("masked"), f"{what}: sealed share"),
                )
                for s in sealed
            ),
        )


def _check_sizes(threshold: int, members: int) -> None:
    if not 1 <= threshold <= members:
        raise CryptoError("bad_threshold", f"the threshold must be between 1 and {members}, not {threshold}")


def deal(
    election_id: str,
    dealer: int,
    threshold: int,
    transport_keys: Mapping[int, Point],
    rng: Rng = random_scalar,
) -> Dealing:
    """Member `dealer` deals its polynomial; `transport_keys` are every member's public transport keys."""
    _check_sizes(threshold, len(transport_keys))
    coefficients = [rng() for _ in range(threshold)]
    commitments = tuple(base_mul(a) for a in coefficients)
    proof = prove_knowledge(coefficients[0], dealer_context(election_id, dealer), rng)
    sealed = []
    for i, y in sorted(transport_keys.items()):
        value = sum(a * pow(i, k, L) for k, a in enumerate(coefficients)) % L
        k_eph = rng()
        ephemeral = base_mul(k_eph)
        sealed.append(SealedShare(dealer, i, ephemeral, (value + _mask(y * k_eph, ephemeral, dealer, i)) % L))
    return Dealing(dealer, commitments, proof, tuple(sealed))


def open_share(key: TransportKey, sealed: SealedShare) -> int:
    shared = sealed.ephemeral * key.secret
    return (sealed.masked - _mask(shared, sealed.ephemeral, sealed.dealer, sealed.recipient)) % L


def commitment_at(commitments: Sequence[Point], i: int) -> Point:
    """Σ_k i^k·C_k: f(i)·G computed from the public commitments."""
    total = IDENTITY
    for k, c in enumerate(commitments):
        total = total + c * pow(i, k, L)
    return total


def check_share(commitments: Sequence[Point], member: int, share: int) -> bool:
    """Feldman's check: the share f_j(i) matches dealer j's commitments."""
    return base_mul(share) == commitment_at(commitments, member)


def check_dealer(election_id: str, dealer: int, commitments: Sequence[Point], proof: Proof) -> bool:
    """Anyone's check of a dealer: its constant term is proven known (no copied or cancelling keys)."""
    return bool(commitments) and verify_knowledge(commitments[0], proof, dealer_context(election_id, dealer))


def combine_shares(shares: Sequence[int]) -> int:
    """Member i's key share x_i = Σ_j f_j(i)."""
    return sum(shares) % L


def public_key(all_commitments: Mapping[int, Sequence[Point]]) -> Point:
    total = IDENTITY
    for commitments in all_commitments.values():
        total = total + commitments[0]
    return total


def public_share(all_commitments: Mapping[int, Sequence[Point]], member: int) -> Point:
    """X_i = x_i·G, from the commitments alone."""
    total = IDENTITY
    for commitments in all_commitments.values():
        total = total + commitment_at(commitments, member)
    return total


def key_fingerprint(key: Point) -> str:
    """A short fingerprint of the public key for people to compare by eye (as committee_crypto.js)."""
    digits = key.data[:8].hex().upper()
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


BACKUP_PREFIX = "daihoi-share-v1"


def _backup_check(election_id: str, member: int, share: int) -> str:
    data = frame([b"daihoi/v1/share-backup", election_id.encode(), _index_bytes(member), scalar_bytes(share)])
    return hashlib.sha256(data).hexdigest()[:8]


def share_backup(election_id: str, member: int, share: int) -> str:
    """The text of the printed QR backup of a member's key share (as committee_crypto.js's shareBackup)."""
    return f"{BACKUP_PREFIX}:{member}:{scalar_hex(share)}:{_backup_check(election_id, member, share)}"


def restore_share(text: str, election_id: str, public: Mapping[int, Point]) -> tuple[int, int]:
    """(member, share) from a backup, checked against this election and the member's public share."""
    parts = text.strip().split(":")
    if len(parts) != 4 or parts[0] != BACKUP_PREFIX or not parts[1].isdigit():
        raise CryptoError("bad_backup", "this is not a daihoi key-share backup")
    member, share = int(parts[1]), scalar_from_hex(parts[2], "the backed-up share")
    if parts[3] != _backup_check(election_id, member, share):
        raise CryptoError("bad_backup", "the backup is damaged or belongs to another election")
    if member not in public or base_mul(share) != public[member]:
        raise CryptoError("bad_backup", f"the backup does not match member {member}'s public share")
    return member, share


def prove_share(election_id: str, member: int, x: int, rng: Rng = random_scalar) -> Proof:
    return prove_knowledge(x, share_context(election_id, member), rng)


def verify_share(election_id: str, member: int, public: Point, proof: Proof) -> bool:
    return verify_knowledge(public, proof, share_context(election_id, member))


@dataclass(frozen=True)
class PartialDecryption:
    """Member i's x_i·A for each total ciphertext (A, B), each with a Chaum–Pedersen proof against X_i."""

    member: int
    factors: tuple[Point, ...]
    proofs: tuple[Proof, ...]

    def to_json(self, labels: Sequence[str]) -> dict[str, object]:
        """As in the election record's `decryptions`, and as committee_crypto.js sends it."""
        return {
            "member": self.member,
            "factors": [
                {"label": label, "factor": d.hex(), "proof": p.to_json()}
                for label, d, p in zip(labels, self.factors, self.proofs, strict=True)
            ],
        }

    @classmethod
    def from_json(cls, data: object, labels: Sequence[str]) -> PartialDecryption:
        if not isinstance(data, dict) or not isinstance(data.get("member"), int):
            raise CryptoError("bad_partial", "a partial decryption must be an object with its member's index")
        member = data["member"]
        factors = data.get("factors")
        if not isinstance(factors, list) or [
            f.get("label") if isinstance(f, dict) else None for f in factors
        ] != list(labels):
            raise CryptoError("bad_partial", f"member {member}'s decryption: one factor per total expected")
        return cls(
            member,
            tuple(Point.from_hex(f["factor"], f"member {member} factor") for f in factors),
            tuple(Proof.from_json(f["proof"], f"member {member} proof") for f in factors),
        )


def partial_decrypt(
    election_id: str,
    member: int,
    x: int,
    ciphertexts: Sequence[Ciphertext],
    labels: Sequence[str],
    rng: Rng = random_scalar,
) -> PartialDecryption:
    factors, proofs = [], []
    for c, label in zip(ciphertexts, labels, strict=True):
        factors.append(c.a * x)
        proofs.append(prove_equal_logs(x, c.a, decryption_context(election_id, member, label), rng))
    return PartialDecryption(member, tuple(factors), tuple(proofs))


def verify_partial(
    election_id: str,
    public: Point,
    partial: PartialDecryption,
    ciphertexts: Sequence[Ciphertext],
    labels: Sequence[str],
) -> bool:
    if not len(partial.factors) == len(partial.proofs) == len(ciphertexts) == len(labels):
        return False
    return all(
        verify_equal_logs(public, c.a, d, p, decryption_context(election_id, partial.member, label))
        for c, d, p, label in zip(ciphertexts, partial.factors, partial.proofs, labels, strict=True)
    )


def lagrange_at_zero(member: int, members: Sequence[int]) -> int:
    """λ_i = Π_{j≠i} j / (j − i) mod L."""
    num, den = 1, 1
    for j in members:
        if j != member:
            num = num * j % L
            den = den * (j - member) % L
    return num * pow(den, -1, L) % L


def combine_partials(
    threshold: int, ciphertexts: Sequence[Ciphertext], partials: Sequence[PartialDecryption]
) -> tuple[Point, ...]:
    """m·G for each ciphertext from the partial decryptions of at least `threshold` distinct members."""
    members = [p.member for p in partials]
    if len(set(members)) != len(members):
        raise CryptoError("duplicate_member", "a member's partial decryption is given twice")
    if len(members) < threshold:
        raise CryptoError(
            "too_few_members",
            f"decryption needs {threshold} members of the counting committee, only {len(members)} took part",
        )
    lambdas = {m: lagrange_at_zero(m, members) for m in members}
    out = []
    for idx, c in enumerate(ciphertexts):
        shared = IDENTITY
        for p in partials:
            shared = shared + p.factors[idx] * lambdas[p.member]
        out.append(c.b - shared)
    return tuple(out)


@dataclass(frozen=True)
class Member:
    """One member's outcome of the ceremony: the public record part and the share it keeps."""

    index: int
    commitments: tuple[Point, ...]
    dealer_proof: Proof
    share: int  # secret: stays on the member's device
    share_proof: Proof


def run_ceremony(
    election_id: str, threshold: int, members: int, rng: Rng = random_scalar
) -> tuple[Member, ...]:
    """The whole ceremony in one process, for tests, benchmarks and demos only: in the hall every step of a
    member runs on that member's own device and only the public parts travel."""
    _check_sizes(threshold, members)
    transport = {i: TransportKey.generate(rng) for i in range(1, members + 1)}
    publics = {i: k.public for i, k in transport.items()}
    dealings = {j: deal(election_id, j, threshold, publics, rng) for j in transport}
    out = []
    for i, key in transport.items():
        received = []
        for j, dealing in dealings.items():
            if not check_dealer(election_id, j, dealing.commitments, dealing.proof):
                raise CryptoError("bad_dealer", f"member {j}'s commitments carry no valid proof")
            share = open_share(key, next(s for s in dealing.sealed if s.recipient == i))
            if not check_share(dealing.commitments, i, share):
                raise CryptoError(
                    "bad_share", f"member {j}'s share for member {i} does not match its commitments"
                )
            received.append(share)
        x = combine_shares(received)
        out.append(
            Member(i, dealings[i].commitments, dealings[i].proof, x, prove_share(election_id, i, x, rng))
        )
    return tuple(out)
